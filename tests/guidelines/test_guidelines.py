"""The guideline: versions, acknowledgements, the editor requirement, reminders and the report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sigill.core.models import AuditEntry
from sigill.core.todo import todos_for
from sigill.guidelines import selectors, services
from sigill.guidelines.models import GuidelineVersion
from sigill.guidelines.rendering import render_markdown
from sigill.organisation.models import User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.conftest import signed_in_client


def publish(
    by: User, *, days_ago: int = 0, summary: str = "Nytt avsnitt om privata konton."
) -> GuidelineVersion:
    return services.publish_version(
        title="Riktlinje för sociala medier",
        body="# Riktlinje\n\nRedaktören läser kontot varje arbetsdag.",
        change_summary=summary,
        in_force_from=timezone.localdate() - dt.timedelta(days=days_ago),
        by=by,
    )


@pytest.fixture
def version_in_force(alice: User, erik: User) -> GuidelineVersion:
    erik.email = "erik@vara-kommun.example"
    erik.save()
    return publish(alice, days_ago=10)


def test_only_comms_publishes_a_version(alice: User, erik: User) -> None:
    with pytest.raises(PermissionDenied):
        publish(erik)
    version = publish(alice)
    assert version.number == 1
    assert publish(alice).number == 2
    assert AuditEntry.objects.filter(act="guidelines.version.published").count() == 2


def test_the_version_in_force_is_the_latest_whose_date_has_come(alice: User) -> None:
    first = publish(alice, days_ago=30)
    publish(alice, days_ago=-30)
    assert selectors.current_version() == first


def test_an_editor_without_acknowledgement_cannot_be_assigned_until_they_acknowledge(
    alice: User, erik: User, library_account: Account, version_in_force: GuidelineVersion
) -> None:
    assert not selectors.has_acknowledged_current(erik)
    with pytest.raises(ValidationError, match="har inte bekräftat den gällande riktlinjen"):
        registry_services.assign_editor(account=library_account, user=erik, by=alice)
    services.acknowledge(version=version_in_force, by=erik)
    assert selectors.has_acknowledged_current(erik)
    registry_services.assign_editor(account=library_account, user=erik, by=alice)
    assert AuditEntry.objects.filter(act="guidelines.acknowledged", actor=erik).count() == 1


def test_without_a_version_in_force_editors_are_assigned_as_before(
    alice: User, erik: User, library_account: Account
) -> None:
    assert selectors.has_acknowledged_current(erik)
    registry_services.assign_editor(account=library_account, user=erik, by=alice)


def test_a_new_version_must_be_acknowledged_again(
    alice: User, erik: User, version_in_force: GuidelineVersion
) -> None:
    services.acknowledge(version=version_in_force, by=erik)
    assert selectors.must_acknowledge(erik) is None
    second = publish(alice)
    assert selectors.must_acknowledge(erik) == second
    with pytest.raises(ValidationError):
        services.acknowledge(version=version_in_force, by=erik)


def test_publishing_a_version_in_force_emails_the_editors_once(
    alice: User, erik: User, django_capture_on_commit_callbacks
) -> None:
    erik.email = "erik@vara-kommun.example"
    erik.save()
    with django_capture_on_commit_callbacks(execute=True):
        version = publish(alice)
    assert [message.to for message in mail.outbox] == [["erik@vara-kommun.example"]]
    assert "version 1" in mail.outbox[0].subject.lower()
    assert services.send_reminders(version=version) == 0
    assert len(mail.outbox) == 1


def test_a_version_coming_into_force_later_is_reminded_of_on_that_day(
    alice: User, erik: User, django_capture_on_commit_callbacks
) -> None:
    erik.email = "erik@vara-kommun.example"
    erik.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(alice, days_ago=-3)
    assert mail.outbox == []
    assert services.send_due_reminders(timezone.localdate() + dt.timedelta(days=3)) == 1
    assert len(mail.outbox) == 1


def test_the_editor_gets_a_todo_and_comms_a_count(
    alice: User, erik: User, version_in_force: GuidelineVersion
) -> None:
    assert any(
        "riktlinje" in todo.title.lower() or "guideline" in todo.title.lower() for todo in todos_for(erik)
    )
    assert any(todo.url == reverse("guidelines:report") for todo in todos_for(alice))
    services.acknowledge(version=version_in_force, by=erik)
    assert not any(todo.url == reverse("guidelines:current") for todo in todos_for(erik))


def test_the_report_lists_who_has_not_acknowledged(
    alice: User, erik: User, version_in_force: GuidelineVersion
) -> None:
    response = signed_in_client(alice).get(reverse("guidelines:report"))
    assert response.status_code == 200
    assert [row.person for row in response.context["rows"] if row.acknowledged_at is None] == [erik]


def test_an_employee_reads_the_version_in_force_and_acknowledges_through_the_page(
    charlie: User, erik: User, version_in_force: GuidelineVersion
) -> None:
    assert signed_in_client(charlie).get(reverse("guidelines:current")).status_code == 200
    client = signed_in_client(erik)
    response = client.post(reverse("guidelines:acknowledge", kwargs={"number": version_in_force.number}))
    assert response.status_code == 302
    assert selectors.has_acknowledged_current(erik)


def test_a_coming_version_is_hidden_from_everyone_but_comms(alice: User, charlie: User) -> None:
    coming = publish(alice, days_ago=-3)
    url = reverse("guidelines:version", kwargs={"number": coming.number})
    assert signed_in_client(charlie).get(url).status_code == 404
    assert signed_in_client(alice).get(url).status_code == 200


def test_markdown_is_rendered_without_any_html_or_script_the_author_wrote() -> None:
    html = render_markdown(
        "# Rubrik\n\n<script>alert(1)</script>\n\n[länk](javascript:alert(1)) **fet** <img src=x onerror=alert(1)>"
    )
    assert "<h1>Rubrik</h1>" in html
    assert "<strong>fet</strong>" in html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html


def test_the_daily_command_reminds_of_a_version_that_has_come_into_force(
    alice: User, erik: User, django_capture_on_commit_callbacks
) -> None:
    erik.email = "erik@vara-kommun.example"
    erik.save()
    version = publish(alice, days_ago=-1)
    call_command("guideline_reminders", verbosity=0)
    assert mail.outbox == []
    GuidelineVersion.objects.filter(pk=version.pk).update(in_force_from=timezone.localdate())
    call_command("guideline_reminders", verbosity=0)
    call_command("guideline_reminders", verbosity=0)
    assert len(mail.outbox) == 1


def test_the_registrys_editor_form_says_why_an_editor_cannot_be_assigned(
    alice: User, erik: User, library_account: Account, version_in_force: GuidelineVersion
) -> None:
    url = reverse("registry:editor_assign", kwargs={"slug": library_account.slug})
    response = signed_in_client(alice).post(url, {"user": erik.pk})
    assert response.status_code == 422
    assert "Erik Ek har inte bekräftat den gällande riktlinjen" in response.content.decode()
    assert not library_account.editor_assignments.exists()


def test_the_demo_holds_version_1_in_force_from_21_february_2024_written_for_vara(db: None) -> None:
    from sigill.demo import guidelines as demo
    from sigill.demo import organisation as organisation_demo

    organisation_demo.seed()
    demo.seed()
    demo.seed()  # seeding again changes nothing
    version = selectors.current_version()
    assert version is not None and version.number == 1
    assert version.in_force_from == dt.date(2024, 2, 21)
    assert selectors.current_version(today=dt.date(2024, 2, 20)) is None
    assert "Vara kommun" in version.body and version.change_summary
    assert GuidelineVersion.objects.count() == 1
    waiting = [person.username for person in selectors.not_acknowledged(version)]
    assert waiting == [demo.NOT_YET_ACKNOWLEDGED]


def test_comms_moderates_without_acknowledging_because_the_guideline_binds_editors(
    alice: User, version_in_force: GuidelineVersion
) -> None:
    """The guideline asks editors to acknowledge it before they work; comms writes and publishes it,
    and moderates every account without being anyone's editor."""
    assert selectors.must_acknowledge(alice) is None
    assert signed_in_client(alice).get(reverse("moderation:queue")).status_code == 200


def test_comms_who_is_also_an_accounts_editor_must_acknowledge_like_any_editor(
    alice: User, library_account: Account, version_in_force: GuidelineVersion
) -> None:
    services.acknowledge(version=version_in_force, by=alice)
    registry_services.assign_editor(account=library_account, user=alice, by=alice)
    newer = publish(alice, summary="Nytt avsnitt om krisinformation.")
    assert selectors.must_acknowledge(alice) == newer
