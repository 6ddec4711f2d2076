"""Every received comment becomes a case; the queue puts residents' reports first, then findings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sigill.archive.capture import Direction, Kind
from sigill.compliance import services as compliance_services
from sigill.guidelines import services as guideline_services
from sigill.moderation import selectors, services
from sigill.moderation.models import Case, Severity, SupervisionVisit
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.api.conftest import api_as
from tests.archive.conftest import comment, post
from tests.conftest import signed_in_client
from tests.moderation.conftest import PERSONNUMMER, arrive

pytestmark = pytest.mark.django_db


def test_a_comment_with_an_identity_number_is_a_flagged_case(library: Account) -> None:
    [case] = arrive(comment(library, "c-1", f"Min son har personnummer {PERSONNUMMER}, hjälp oss"))
    assert case.is_open and case.severity == Severity.HIGH
    [finding] = [f for f in selectors.findings_of(case) if f.type == "pii.personnummer"]
    text = f"Min son har personnummer {PERSONNUMMER}, hjälp oss"
    assert text[finding.start : finding.end] == PERSONNUMMER


def test_every_received_comment_is_a_case_but_own_posts_are_not(library: Account) -> None:
    cases = arrive(
        post(library, "p-1", "Välkommen till sagostunden på lördag!"),
        comment(library, "c-1", "Vad roligt, vi kommer!"),
        comment(library, "m-1", "Hej, en fråga", kind=Kind.MESSAGE, parent_platform_id=""),
        comment(library, "r-1", "Tack för svaret", kind=Kind.REPLY, direction=Direction.DRAWN_UP),
    )
    assert sorted(case.item.object_id for case in cases) == ["c-1", "m-1"]
    assert Case.objects.get(item__object_id="c-1").severity == Severity.NONE


def test_screening_the_same_version_twice_changes_nothing(library: Account) -> None:
    [case] = arrive(comment(library, "c-1", f"Ring mig, {PERSONNUMMER}"))
    assert services.screen_items([case.item_id]) == 0
    assert case.findings.count() == 1


def test_flagged_cases_come_first_by_severity_then_by_time_left(library: Account, erik: User) -> None:
    arrive(
        comment(library, "clean", "Tack för ett fint evenemang"),
        comment(library, "phone", "Ring mig på 070-123 45 67 om boken"),
        comment(library, "threat", "Jag vet var du bor, akta dig"),
    )
    queue = selectors.queue_for(erik, selectors.QueueFilters())
    assert [case.item.object_id for case in queue.cases] == ["threat", "phone", "clean"]


def test_the_time_target_sets_when_a_case_is_due(library: Account, alice: User) -> None:
    [case] = arrive(comment(library, "c-1", "Hej"))
    services.set_time_target(account=library, hours=4, weekends_count=True, by=alice)
    case.refresh_from_db()
    assert case.due_at == case.opened_at + dt.timedelta(hours=4)


def test_an_overdue_case_shows_on_comms_start_page(library: Account, alice: User) -> None:
    [case] = arrive(comment(library, "c-1", "Hej"))
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    page = signed_in_client(alice).get(reverse("core:home"))
    assert "1 kommentar har passerat sin tidsgräns för moderering" in page.content.decode()


def test_a_residents_report_puts_the_comment_first_in_the_editors_queue(library: Account, erik: User) -> None:
    arrive(
        comment(library, "threat", "Jag vet var du bor, akta dig"),
        comment(
            library,
            "quiet",
            "Bibliotekarien borde sparkas",
            url="https://www.facebook.com/varabibliotek/posts/1?comment_id=quiet",
        ),
    )
    policy = reverse("compliance_public:policy", kwargs={"slug": library.slug})
    reported = Client().post(
        policy,
        {
            "comment_url": "https://facebook.com/varabibliotek/posts/1?comment_id=quiet",
            "reason": "harassment",
        },
    )
    assert reported.status_code in (200, 302)
    queue = selectors.queue_for(erik, selectors.QueueFilters())
    assert queue.cases[0].item.object_id == "quiet"
    assert queue.cases[0].pk in queue.reports
    page = signed_in_client(erik).get(reverse("moderation:queue")).content.decode()
    assert page.index("Anmäld av en invånare") < page.index("akta dig")


def test_a_report_of_a_comment_sigill_has_not_captured_is_listed_above_the_cases(
    library: Account, erik: User
) -> None:
    compliance_services.report_comment(
        account=library,
        comment_url="https://www.facebook.com/varabibliotek/posts/9?comment_id=unknown",
        reason="personal_data",
        contact="",
        sender_address="192.0.2.7",
    )
    queue = selectors.queue_for(erik, selectors.QueueFilters())
    assert [report.reason for report in queue.unmatched_reports] == ["personal_data"]


def test_the_queue_records_who_looked_at_which_account(library: Account, erik: User) -> None:
    arrive(comment(library, "c-1", "Hej"))
    client = signed_in_client(erik)
    client.get(reverse("moderation:queue"))
    client.get(reverse("moderation:queue"))  # within half an hour: the same look
    visits = SupervisionVisit.objects.filter(account=library)
    assert [(visit.user, visit.account) for visit in visits] == [(erik, library)]


def test_an_editor_is_sent_to_the_guideline_before_moderating(
    library: Account, erik: User, alice: User
) -> None:
    version = guideline_services.publish_version(
        title="Riktlinje för sociala medier",
        body="# Riktlinje\n\nVersion 2.",
        change_summary="Nytt om kommentarer",
        in_force_from=timezone.localdate(),
        by=alice,
    )
    client = signed_in_client(erik)
    blocked = client.get(reverse("moderation:queue"))
    assert blocked.status_code == 403
    assert "Bekräfta riktlinjen först" in blocked.content.decode()
    guideline_services.acknowledge(version=version, by=erik)
    assert client.get(reverse("moderation:queue")).status_code == 200


def test_a_unit_manager_sees_the_queue_but_cannot_decide(library: Account, bob: User) -> None:
    [case] = arrive(comment(library, "c-1", "Hej"))
    client = signed_in_client(bob)
    assert client.get(reverse("moderation:case", kwargs={"pk": case.pk})).status_code == 200
    refused = client.post(reverse("moderation:decide", kwargs={"pk": case.pk}), {"act": "keep"})
    assert refused.status_code == 403
    assert not case.decisions.exists()


def test_platform_text_is_escaped_on_the_case_page(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", '<script>alert("x")</script> ring 070-123 45 67'))
    page = signed_in_client(erik).get(reverse("moderation:case", kwargs={"pk": case.pk})).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_the_page_and_the_api_list_the_cases_in_the_same_order_with_reports_first(
    library: Account, erik: User
) -> None:
    cases = arrive(
        comment(library, "clean", "Tack för ett fint evenemang"),
        comment(library, "phone", "Ring mig på 070-123 45 67 om boken"),
        comment(library, "threat", "Jag vet var du bor, akta dig"),
        comment(
            library,
            "quiet",
            "Bibliotekarien borde sparkas",
            url="https://www.facebook.com/varabibliotek/posts/1?comment_id=quiet",
        ),
    )
    compliance_services.report_comment(
        account=library,
        comment_url="https://facebook.com/varabibliotek/posts/1?comment_id=quiet",
        reason="harassment",
        contact="",
        sender_address="192.0.2.7",
    )
    by_id = {case.pk: case.item.object_id for case in cases}
    page = signed_in_client(erik).get(reverse("moderation:queue")).content.decode()
    on_page = sorted(by_id, key=lambda pk: page.index(reverse("moderation:case", kwargs={"pk": pk})))
    listed = api_as(erik).get(reverse("api:moderation_cases"), {"state": "open"}).json()["items"]
    assert [by_id[pk] for pk in on_page] == ["quiet", "threat", "phone", "clean"]
    assert [by_id[found["id"]] for found in listed] == ["quiet", "threat", "phone", "clean"]
