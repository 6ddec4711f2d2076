"""Profile checks, the generated about texts, the policy page and residents' reports."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sigill.compliance import selectors, services
from sigill.compliance.models import CommentReport, ProfileCheck, Requirement, Result
from sigill.demo import registry as registry_demo
from sigill.organisation.models import User
from sigill.registry.models import Account, Platform
from tests.compliance.profiles import COMPLETE_PROFILE, LOGO_SEEN, PUBLIC_RECORDS, not_met
from tests.conftest import signed_in_client


def test_a_profile_text_without_the_public_records_notice_fails_exactly_that_item(
    alice: User, library_on_linkedin: Account
) -> None:
    check = services.record_check(
        account=library_on_linkedin, by=alice, judgements=LOGO_SEEN, profile_text=COMPLETE_PROFILE
    )
    assert not_met(check) == [Requirement.PUBLIC_RECORDS]
    assert not check.passed
    assert check.score == 90
    assert library_on_linkedin in selectors.failing_accounts(alice)


def test_a_complete_profile_text_passes(alice: User, library_on_linkedin: Account) -> None:
    check = services.record_check(
        account=library_on_linkedin,
        by=alice,
        judgements=LOGO_SEEN,
        profile_text=COMPLETE_PROFILE + PUBLIC_RECORDS,
    )
    assert check.passed and check.score == 100
    assert library_on_linkedin not in selectors.failing_accounts(alice)


def test_what_is_not_possible_on_the_platform_does_not_count_against_the_score(
    alice: User, library_on_linkedin: Account
) -> None:
    check = services.record_check(
        account=library_on_linkedin,
        by=alice,
        judgements={**LOGO_SEEN, Requirement.PUBLIC_RECORDS: Result.NOT_POSSIBLE},
        profile_text=COMPLETE_PROFILE,
    )
    assert check.passed and check.score == 100


def test_sigills_about_text_passes_its_own_check_on_every_platform(
    alice: User, library_on_linkedin: Account
) -> None:
    account = library_on_linkedin
    for platform in Platform.objects.all():
        account.platform = platform  # the same account, written for each platform in turn
        check = services.record_check(
            account=account,
            by=alice,
            judgements=LOGO_SEEN,
            profile_text=selectors.about_text(account).text,
            profile_link=selectors.policy_url(account),
        )
        assert check.passed, (platform.slug, not_met(check))


PLATFORM_SLUGS = [
    row[0] for row in import_module("sigill.registry.migrations.0002_platform_catalogue").PLATFORMS
]


@pytest.mark.parametrize("platform_slug", PLATFORM_SLUGS)
def test_the_about_text_never_exceeds_the_platforms_limit_for_any_demo_account(
    platform_slug: str, vara: None, alice: User
) -> None:
    """Every demo account's real-length name, unit and purpose, written for every platform."""
    from sigill.demo import organisation as organisation_demo

    organisation_demo.seed()
    registry_demo.seed()
    platform = Platform.objects.get(slug=platform_slug)
    for account in Account.objects.select_related("unit"):
        account.platform = platform
        about = selectors.about_text(account)
        assert platform.profile_text_limit is None or about.length <= platform.profile_text_limit, (
            account.display_name,
            about.text,
        )
        assert "Vara kommun" in about.text


def test_a_very_long_name_is_cut_to_fit_the_limit(alice: User, library_account: Account, vara: None) -> None:
    library_account.display_name = "Kultur- och fritidsförvaltningens biblioteksverksamhet " * 4
    library_account.platform = Platform.objects.get(slug="tiktok")
    about = selectors.about_text(library_account)
    assert about.length <= 80 and about.text.endswith("…")


def test_a_template_change_shows_which_profiles_need_updating(
    alice: User, library_on_linkedin: Account
) -> None:
    services.record_text_applied(account=library_on_linkedin, by=alice)
    assert selectors.outdated_profiles(alice) == []
    services.change_template(code="about_full", body="{konto} – {kommun}. {syfte} Ny text.", by=alice)
    assert [row.account for row in selectors.outdated_profiles(alice)] == [library_on_linkedin]


def test_a_template_with_an_unknown_placeholder_is_refused(alice: User) -> None:
    with pytest.raises(Exception, match="Okända platshållare"):
        services.change_template(code="about_full", body="{konto} {__class__}", by=alice)


def test_the_screenshot_must_be_a_picture(alice: User, library_on_linkedin: Account) -> None:
    client = signed_in_client(alice)
    url = reverse("compliance:check", kwargs={"slug": library_on_linkedin.slug})
    fake = SimpleUploadedFile("profil.png", b"<html>not a picture</html>", content_type="image/png")
    response = client.post(url, {"profile_text": COMPLETE_PROFILE, "screenshot": fake})
    assert response.status_code == 422
    png = SimpleUploadedFile("profil.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    response = client.post(url, {"profile_text": COMPLETE_PROFILE, "screenshot": png})
    assert response.status_code == 302
    check = ProfileCheck.objects.get(account=library_on_linkedin)
    assert client.get(reverse("compliance:evidence", kwargs={"pk": check.pk})).status_code == 200


@pytest.fixture
def policy_page(library_on_linkedin: Account) -> str:
    return reverse("compliance_public:policy", kwargs={"slug": library_on_linkedin.slug})


def report(client: Client, url: str, **extra: str) -> object:
    data = {
        "comment_url": "https://www.linkedin.com/feed/update/urn:li:activity:1/",
        "reason": "personal_data",
    }
    return client.post(url, {**data, **extra})


def test_a_resident_reports_a_comment_from_the_policy_page(
    policy_page: str, library_on_linkedin: Account
) -> None:
    client = Client()
    page = client.get(policy_page)
    assert page.status_code == 200
    assert "allmänna handlingar" in page.content.decode()
    response = report(client, policy_page, contact="anna@example.org")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert list(selectors.open_reports_for([library_on_linkedin]).values_list("reason", "contact")) == [
        ("personal_data", "anna@example.org")
    ]
    assert "Tack" in client.get(policy_page).content.decode()


def test_a_flood_of_reports_from_one_address_is_refused_in_swedish(policy_page: str) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    comment = "https://www.linkedin.com/feed/update/urn:li:activity:{}/"
    for number in range(settings.COMMENT_REPORTS_PER_ADDRESS):
        assert report(client, policy_page, comment_url=comment.format(number)).status_code == 302  # type: ignore[attr-defined]
    refused = report(client, policy_page, comment_url=comment.format(99))
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert "Du har skickat många anmälningar på kort tid" in refused.content.decode()  # type: ignore[attr-defined]
    assert CommentReport.objects.count() == settings.COMMENT_REPORTS_PER_ADDRESS
    assert report(Client(REMOTE_ADDR="198.51.100.8"), policy_page).status_code == 302  # type: ignore[attr-defined]


def test_the_honeypot_silently_drops_a_bot(policy_page: str) -> None:
    response = report(Client(), policy_page, homepage="https://spam.example")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert CommentReport.objects.count() == 0


def test_a_report_needs_a_link_and_a_published_reason(policy_page: str) -> None:
    response = report(Client(), policy_page, comment_url="inte en länk", reason="made-up")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert CommentReport.objects.count() == 0


def test_an_oversized_report_is_refused(policy_page: str) -> None:
    response = report(Client(), policy_page, contact="x" * 10_000)
    assert response.status_code == 413  # type: ignore[attr-defined]


def test_a_planned_account_has_no_policy_page(library_account: Account) -> None:
    url = reverse("compliance_public:policy", kwargs={"slug": library_account.slug})
    assert Client().get(url).status_code == 404


def test_the_accounts_compliance_page_lists_residents_reports_with_the_contact_for_its_editors_only(
    alice: User, bob: User, policy_page: str, library_on_linkedin: Account
) -> None:
    report(Client(), policy_page, contact="anna@example.org")
    url = reverse("compliance:account", kwargs={"slug": library_on_linkedin.slug})
    assert "anna@example.org" in signed_in_client(alice).get(url).content.decode()
    page = signed_in_client(bob).get(url).content.decode()
    assert "Bryter mot GDPR" in page and "anna@example.org" not in page
