"""How each requirement is met depends on the platform: its text limit (the catalogue) and whether
its profile has a field for a web address. What a platform cannot hold is not possible there."""

from __future__ import annotations

from django.urls import reverse

from sigill.compliance import checks, selectors, services
from sigill.compliance.models import Requirement, Result
from sigill.organisation.models import User
from sigill.registry.models import Account, Platform
from tests.compliance.profiles import LOGO_SEEN
from tests.conftest import signed_in_client


def on(account: Account, slug: str) -> Account:
    """The same account, written for another platform of the catalogue."""
    account.platform = Platform.objects.get(slug=slug)
    return account


def how(account: Account, requirement: str) -> str:
    return str(
        checks.how_to_meet(
            requirement,
            account,
            roomy=selectors.has_room_for_full_text(account),
            policy_url=selectors.policy_url(account),
        )
    )


def results(check: object) -> dict[str, str]:
    return {item.requirement: item.result for item in check.items.all()}  # type: ignore[attr-defined]


def test_instagrams_short_bio_meets_the_address_through_the_link_field(library_on_linkedin: Account) -> None:
    account = on(library_on_linkedin, "instagram")
    text = how(account, Requirement.ADDRESS)
    assert "150" in text and "Redigera profil → Länkar" in text
    assert "Instagram" in text


def test_bluesky_has_no_website_field_so_the_link_goes_in_the_text(library_on_linkedin: Account) -> None:
    account = on(library_on_linkedin, "bluesky")
    assert "inget fält för en webbadress" in how(account, Requirement.PHONE)


def test_linkedin_has_room_for_everything_in_its_text(library_on_linkedin: Account) -> None:
    assert "Skriv det i profiltexten" in how(library_on_linkedin, Requirement.PHONE)


def test_a_platform_with_neither_room_nor_a_link_field_makes_the_items_not_possible(
    alice: User, library_on_linkedin: Account
) -> None:
    """A platform comms added to the catalogue: 40 characters, no field for a web address, so
    not even the policy page's address fits. What the text cannot hold is not possible there."""
    tiny = Platform.objects.create(
        slug="pixlar",
        name="Pixlar",
        profile_url_pattern=r"pixlar\.example/(?P<handle>\w+)",
        profile_text_limit=40,
    )
    account = library_on_linkedin
    account.platform = tiny
    check = services.record_check(
        account=account, by=alice, judgements=LOGO_SEEN, profile_text="Vara bibliotek – Vara kommun."
    )
    found = results(check)
    assert found[Requirement.PUBLIC_RECORDS] == Result.NOT_POSSIBLE
    assert found[Requirement.PHONE] == Result.NOT_POSSIBLE
    assert found[Requirement.SENDER] == Result.MET
    assert check.passed and check.score == 100  # only what is possible counts
    assert "Inte möjligt på Pixlar" in how(account, Requirement.PHONE)


def test_the_accounts_page_says_how_on_its_own_platform(alice: User, library_on_linkedin: Account) -> None:
    account = library_on_linkedin
    account.platform = Platform.objects.get(slug="x")
    account.save()
    page = signed_in_client(alice).get(reverse("compliance:account", kwargs={"slug": account.slug}))
    assert "Redigera profil → Webbplats" in page.content.decode()
