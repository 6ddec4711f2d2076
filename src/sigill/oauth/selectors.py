"""Reads for the platform log-in pages: which platforms' apps are set up, the accounts' log-ins,
and how long the LinkedIn API version has left."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from sigill.oauth.models import Grant
from sigill.oauth.policies import grant_policy
from sigill.oauth.providers import PROVIDERS, Provider
from sigill.oauth.services import redirect_uri
from sigill.organisation.people import User
from sigill.registry.selectors import Account

# The start page warns this many months before the LinkedIn API version is retired.
WARN_MONTHS = 2


@dataclass(frozen=True)
class PlatformApp:
    """One platform's log-in as the set-up page shows it."""

    provider: Provider
    configured: bool
    settings: tuple[str, ...]
    redirect_uri: str
    accounts: int
    connected: int


def platform_apps(user: User) -> list[PlatformApp]:
    grant_policy.require(user, "view")
    accounts = Account.objects.exclude(status=Account.Status.CLOSED)
    rows = []
    for slug, provider in PROVIDERS.items():
        rows.append(
            PlatformApp(
                provider=provider,
                configured=provider.configured(),
                settings=tuple(filter(None, (provider.id_setting, provider.secret_setting))),
                redirect_uri=redirect_uri(slug),
                accounts=accounts.filter(platform__slug=slug).count(),
                connected=Grant.objects.filter(platform=slug, state=Grant.State.ACTIVE).count(),
            )
        )
    return rows


def grants(user: User) -> QuerySet[Grant]:
    return grant_policy.queryset(user).select_related("account__platform", "connected_by")


def grant_of(account: Account) -> Grant | None:
    return Grant.objects.filter(account=account).first()


def lost_grants(user: User) -> QuerySet[Grant]:
    return grants(user).filter(state=Grant.State.LOST)


@dataclass(frozen=True)
class ApiVersion:
    version: str
    retires: dt.date
    warn_from: dt.date

    def retired(self, today: dt.date) -> bool:
        return today >= self.retires

    def warning_due(self, today: dt.date) -> bool:
        return today >= self.warn_from


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def linkedin_version() -> ApiVersion:
    """The LinkedIn API version in force (``LINKEDIN_API_VERSION``) and when LinkedIn retires it:
    ``LINKEDIN_API_VERSION_RETIRES`` when set, else the first day of the version's month a year on."""
    version = settings.LINKEDIN_API_VERSION
    if settings.LINKEDIN_API_VERSION_RETIRES:
        retires = dt.date.fromisoformat(settings.LINKEDIN_API_VERSION_RETIRES)
    else:
        retires = dt.date(int(version[:4]) + 1, int(version[4:6]), 1)
    return ApiVersion(version=version, retires=retires, warn_from=_months_before(retires, WARN_MONTHS))


def linkedin_in_use() -> bool:
    return Account.objects.filter(platform__slug="linkedin").exclude(status=Account.Status.CLOSED).exists()


def today() -> dt.date:
    return timezone.localdate()
