"""Reads for compliance: the municipality, the generated texts, the checks and residents' reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from sigill.archive import selectors as archive_selectors
from sigill.compliance import texts
from sigill.compliance.models import (
    AppliedProfileText,
    CommentReport,
    Municipality,
    ProfileCheck,
    ProfileCheckItem,
    TextTemplate,
)

# The published comment rules, named here for the apps that point to them (moderation's findings).
from sigill.compliance.models import CommentRule as CommentRule
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.registry.models import Account

CHECK_INTERVAL = dt.timedelta(days=365)
# Accounts that have a policy page: being set up (the profile is written now) and live ones.
POLICY_STATUSES = (Account.Status.SETTING_UP, *Account.PUBLIC_STATUSES)


def municipality() -> Municipality:
    """The municipality's contact details; until comms fills them in, just its name."""
    return Municipality.objects.filter(pk=1).first() or Municipality(pk=1, name=settings.MUNICIPALITY_NAME)


def municipality_name() -> str:
    """The municipality's name as set up (``manage.py setup``, or comms on its page); before the
    set-up, ``SIGILL_MUNICIPALITY_NAME``. The one home of the name every page and export shows."""
    name: str | None = Municipality.objects.filter(pk=1).values_list("name", flat=True).first()
    return name or settings.MUNICIPALITY_NAME


def absolute_url(path: str, place: Municipality | None = None) -> str:
    """``path`` on Sigill's public address (for e-mails and the texts put on the platforms)."""
    base = (place or municipality()).public_address
    if not base:
        host = next((host for host in settings.ALLOWED_HOSTS if host not in {"*", ""}), "localhost")
        base = f"https://{host.lstrip('.')}"
    return base.rstrip("/") + path


def policy_url(account: Account, place: Municipality | None = None) -> str:
    """The address of the account's comment-policy page (``place``: the municipality, when the
    caller has read it already, as a list of accounts does)."""
    return absolute_url(reverse("compliance_public:policy", kwargs={"slug": account.slug}), place)


def templates() -> dict[str, str]:
    """Every text template: comms' version where there is one, else the shipped text."""
    edited = dict(TextTemplate.objects.values_list("code", "body"))
    return {code: edited.get(code, default) for code, default in texts.DEFAULT_TEMPLATES.items()}


def template_rows() -> list[dict[str, Any]]:
    rows = {row.code: row for row in TextTemplate.objects.select_related("changed_by")}
    return [
        {"code": code, "name": texts.TEMPLATE_NAMES[code], "body": body, "row": rows.get(code)}
        for code, body in templates().items()
    ]


def placeholder_values(account: Account, place: Municipality | None = None) -> dict[str, str]:
    place = place or municipality()
    return {
        "kommun": place.name,
        "konto": account.display_name,
        "enhet": account.unit.name,
        "syfte": account.purpose_statement.strip(),
        "webbplats": place.website.removeprefix("https://").removeprefix("http://").rstrip("/"),
        "epost": place.email,
        "telefon": place.phone,
        "adress": place.address,
        "policylänk": policy_url(account, place),
    }


def about_text(
    account: Account, *, place: Municipality | None = None, template_texts: dict[str, str] | None = None
) -> texts.AboutText:
    """The Swedish about text for the account's platform, within its length limit."""
    return texts.choose_about_text(
        template_texts or templates(),
        placeholder_values(account, place),
        account.platform.profile_text_limit,
    )


def has_room_for_full_text(account: Account) -> bool:
    """Whether the platform's limit holds the full about text, which states every requirement."""
    return about_text(account).template == texts.ABOUT_TEMPLATES[0]


def policy_texts(account: Account) -> dict[str, str]:
    values = placeholder_values(account)
    return {
        code: texts.fill(body, values) for code, body in templates().items() if code.startswith("policy_")
    }


def policy_account(slug: str) -> Account:
    """The account whose public policy page is asked for, or 404 (planned and closed ones have none)."""
    return get_object_or_404(
        Account.objects.select_related("platform", "unit"), slug=slug, status__in=POLICY_STATUSES
    )


def compliance_accounts(user: User) -> QuerySet[Account]:
    """The accounts ``user`` sees, each with its latest check's date, score and result."""
    latest = ProfileCheck.objects.filter(account=OuterRef("pk")).order_by("-checked_at", "-id")
    return (
        policy_for(Account)
        .queryset(user, "view")
        .filter(status__in=POLICY_STATUSES)
        .select_related("platform", "unit")
        .annotate(
            last_checked_at=Subquery(latest.values("checked_at")[:1]),
            last_score=Subquery(latest.values("score")[:1]),
            last_passed=Subquery(latest.values("passed")[:1]),
        )
        .order_by("display_name", "platform__position")
    )


def check_is_due(
    last_checked_at: dt.datetime | None,
    profile_seen_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """A new check is due a year after the last one, after a connector saw the profile change (a
    new profile text or a rendered snapshot since the last check), or now if there is none."""
    now = now or timezone.now()
    if last_checked_at is None or last_checked_at + CHECK_INTERVAL <= now:
        return True
    return profile_seen_at is not None and profile_seen_at > last_checked_at


def with_due_checks(accounts: Iterable[Account]) -> list[Account]:
    """``accounts`` (from ``compliance_accounts``), each marked ``check_due`` and, where a connector
    saw the profile after the last check, ``profile_changed``: one query for all of them."""
    accounts = list(accounts)
    seen = archive_selectors.profiles_seen_at([account.pk for account in accounts])
    now = timezone.now()
    for account in accounts:
        last_checked_at = account.last_checked_at  # type: ignore[attr-defined]
        seen_at = seen.get(account.pk)
        account.profile_changed = bool(last_checked_at and seen_at and seen_at > last_checked_at)  # type: ignore[attr-defined]
        account.check_due = check_is_due(last_checked_at, seen_at, now)  # type: ignore[attr-defined]
    return accounts


def failing_accounts(user: User) -> list[Account]:
    """Accounts that failed their latest check, were never checked, or are due again."""
    return [
        account
        for account in with_due_checks(compliance_accounts(user))
        if not account.last_passed or account.check_due  # type: ignore[attr-defined]
    ]


def account_for(user: User, *, slug: str, action: str = "view") -> Account:
    account = get_object_or_404(compliance_accounts(user), slug=slug)
    policy_for(Account).require(user, action, account)
    return account


def latest_check(account: Account) -> ProfileCheck | None:
    return checks_of(account).prefetch_related("items").first()


def last_judgements(account: Account, requirements: Collection[str]) -> dict[str, str]:
    """The result a person last gave each of ``requirements`` on the account (not Sigill's reading)."""
    items = ProfileCheckItem.objects.filter(
        check_run__account=account, requirement__in=requirements, automatic=False
    ).order_by("requirement", "-check_run__checked_at", "-check_run_id")
    judged: dict[str, str] = {}
    for requirement, result in items.values_list("requirement", "result"):
        judged.setdefault(requirement, result)
    return judged


def checks_of(account: Account) -> QuerySet[ProfileCheck]:
    """The account's profile checks, newest first."""
    return ProfileCheck.objects.filter(account=account).select_related("checked_by")


def applied_text_of(account: Account) -> AppliedProfileText | None:
    """The about text comms last recorded as applied on the platform."""
    return AppliedProfileText.objects.filter(account=account).first()


def check_for(user: User, *, pk: int) -> ProfileCheck:
    check = get_object_or_404(ProfileCheck.objects.select_related("account"), pk=pk)
    if not policy_for(Account).can(user, "view", check.account):
        raise Http404("No such check")
    return check


@dataclass(frozen=True)
class OutdatedProfile:
    account: Account
    applied_at: dt.datetime | None
    text: str


def outdated_profiles(user: User) -> list[OutdatedProfile]:
    """Live accounts whose profile does not carry the about text Sigill writes now (after a change
    of template, of the municipality's details or of the account), or never got one."""
    place, template_texts = municipality(), templates()
    applied = {
        row.account_id: row for row in AppliedProfileText.objects.order_by("account_id", "applied_at", "id")
    }
    rows = []
    for account in compliance_accounts(user):
        text = about_text(account, place=place, template_texts=template_texts).text
        last = applied.get(account.pk)
        if last is None or last.text != text:
            rows.append(OutdatedProfile(account, last.applied_at if last else None, text))
    return rows


def open_reports_for(accounts: Iterable[Account] | QuerySet[Account]) -> QuerySet[CommentReport]:
    """Residents' open reports on ``accounts``, oldest first: the moderation queue puts them first."""
    return (
        CommentReport.objects.filter(account__in=accounts, status=CommentReport.Status.OPEN)
        .select_related("account", "account__platform")
        .order_by("reported_at", "id")
    )


class Score(NamedTuple):
    score: int
    checked_at: dt.datetime


def latest_scores(account_ids: Collection[int], *, at: dt.datetime) -> dict[int, Score]:
    """Each account's score in its latest profile check before ``at`` (accounts never checked by
    then are left out), in one query."""
    checks = ProfileCheck.objects.filter(account_id__in=account_ids, checked_at__lt=at)
    latest = checks.filter(account=OuterRef("account")).order_by("-checked_at", "-id").values("pk")[:1]
    rows = checks.filter(pk=Subquery(latest)).values_list("account_id", "score", "checked_at").order_by()
    return {account_id: Score(score, checked_at) for account_id, score, checked_at in rows}
