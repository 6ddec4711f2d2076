"""Reading a profile text against the requirements: which items it states, and which it misses.

The check is deliberately plain: Swedish phrases and patterns a reader would recognise. Where the
platform has no room for the full about text, a profile that links to the account's
comment-policy page meets every item that page states.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sigill.compliance import platforms
from sigill.compliance.models import Municipality, Requirement, Result
from sigill.registry.models import Account

# Items the policy page states, so that a short profile may meet them by linking to it.
STATED_ON_POLICY_PAGE = frozenset(Requirement) - {Requirement.SENDER}
# Items no text shows: the logo and the graphic profile need a person's eyes (a screenshot as evidence).
JUDGED_BY_A_PERSON = frozenset({Requirement.SENDER})

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(\+46|\b0)[\d\s-]{6,}\d")
_POSTAL_CODE = re.compile(r"\b\d{3} ?\d{2} +[A-ZÅÄÖ][a-zåäö]+")
_PATTERNS: dict[str, re.Pattern[str]] = {
    Requirement.COMMENTS: re.compile(r"kommentera|ställa? frågor|diskutera|dialog|frågor och synpunkter"),
    Requirement.PUBLIC_RECORDS: re.compile(r"allmänn?a? handling|offentlighetsprincip"),
    Requirement.FORBIDDEN: re.compile(r"tas bort|tar bort|raderas|döljs|inte tillåt|otillåt|förbjud|olaglig"),
}


@dataclass(frozen=True)
class ItemFinding:
    requirement: Requirement
    result: Result
    how: str | Promise


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-zåäöé]{5,}", text.lower()))


def _states(requirement: str, text: str, account: Account, municipality: Municipality) -> bool:
    lower = text.lower()
    checks: dict[str, Callable[[], bool]] = {
        Requirement.WEBSITE: lambda: (
            _host(municipality.website) in lower if municipality.website else "www." in lower
        ),
        Requirement.EMAIL: lambda: bool(_EMAIL.search(text)),
        Requirement.PHONE: lambda: bool(_PHONE.search(text)),
        Requirement.ADDRESS: lambda: (
            bool(_POSTAL_CODE.search(text))
            or (bool(municipality.street_address) and municipality.street_address.lower() in lower)
        ),
        Requirement.PURPOSE: lambda: "syfte" in lower or _purpose_overlap(account, lower) >= 0.5,
        Requirement.REPORTING: lambda: (
            bool(re.search(r"anmäl|rapportera", lower))
            and bool(re.search(r"gdpr|dataskydd|personuppgift|villkor", lower))
        ),
    }
    if requirement in checks:
        return checks[requirement]()
    return bool(_PATTERNS[requirement].search(lower))


def _host(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.lower()).rstrip("/")


def _purpose_overlap(account: Account, lower: str) -> float:
    wanted = _words(account.purpose_statement)
    return len(wanted & _words(lower)) / len(wanted) if wanted else 0.0


def check_profile_text(
    *, account: Account, municipality: Municipality, text: str, link: str, policy_url: str, roomy: bool
) -> list[ItemFinding]:
    """What ``text`` (and the profile's ``link``) says about each requirement, with how to meet it.
    ``roomy``: the platform has room for the full about text, so the text itself must say it all.
    Without room, what the policy page states is met by linking to it, and is not possible on a
    platform that cannot link to it (``platforms``)."""
    links_to_policy = _links_to(policy_url, link) or _host(policy_url) in text.lower()
    can_link = platforms.can_link_to_policy(account.platform, policy_url)
    findings = []
    for requirement in Requirement:
        if requirement in JUDGED_BY_A_PERSON:
            result = Result.NOT_MET  # until a person judges it: the name alone does not make the sender
        elif _states(requirement, text, account, municipality):
            result = Result.MET
        elif roomy or requirement not in STATED_ON_POLICY_PAGE:
            result = Result.NOT_MET
        elif links_to_policy:
            result = Result.MET
        else:
            result = Result.NOT_MET if can_link else Result.NOT_POSSIBLE
        how = how_to_meet(requirement, account, roomy=roomy, policy_url=policy_url)
        findings.append(ItemFinding(requirement, result, how))
    return findings


def _links_to(policy_url: str, link: str) -> bool:
    """Whether the profile's link field points at the policy page (with or without its scheme)."""
    return bool(link.strip()) and _host(link.strip()) == _host(policy_url)


def how_to_meet(requirement: str, account: Account, *, roomy: bool, policy_url: str) -> str | Promise:
    """How a profile on the account's platform meets ``requirement``, from the catalogue's facts."""
    platform = account.platform
    if requirement == Requirement.SENDER:
        return _(
            "Use the municipality's name in the profile name and the logo from the graphic profile as the profile picture. A person judges this from the profile itself: upload a screenshot as evidence."
        )
    if roomy:
        return _("State it in the profile text: Sigill's about text for the account does.")
    facts = {"platform": platform.name, "limit": platform.profile_text_limit or 0}
    field = platforms.fields_of(platform).link_field
    if field is not None:
        return _(
            "%(platform)s's profile text has room for %(limit)d characters only: put the address of the account's comment-policy page in %(field)s. The page states it."
        ) % {**facts, "field": field}
    if platforms.link_fits_in_text(platform, policy_url):
        return (
            _(
                "%(platform)s has no field for a web address and room for %(limit)d characters only: put the address of the account's comment-policy page in the profile text. The page states it."
            )
            % facts
        )
    return (
        _(
            "Not possible on %(platform)s: its profile text has room for %(limit)d characters only, and it has no field for a web address."
        )
        % facts
    )
