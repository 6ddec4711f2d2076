"""The role-aware main navigation: each entry is shown only to those its policy lets in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sigill.core import policies


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    allowed: Callable[[Any], bool]
    # The URL prefix that marks the entry as the current section.
    section: str = ""


ENTRIES: list[NavEntry] = [
    NavEntry(_("Start"), "core:home", lambda user: True),
    NavEntry(
        _("Accounts"),
        "registry:accounts",
        lambda user: policies.can(user, "view", "registry.Account"),
        section="/registry/",
    ),
    NavEntry(
        _("Archive"),
        "archive:search",
        lambda user: policies.can(user, "view", "archive.Item"),
        section="/archive/",
    ),
    NavEntry(
        _("Moderation"),
        "moderation:queue",
        lambda user: policies.can(user, "view", "moderation.Case"),
        section="/moderation/",
    ),
    NavEntry(
        _("Publishing"),
        "publishing:index",
        lambda user: policies.can(user, "view", "publishing.Draft"),
        section="/publishing/",
    ),
    NavEntry(
        _("Alerts"),
        "alerts:preferences",
        lambda user: policies.can(user, "view", "alerts.RotaWeek"),
        section="/alerts/",
    ),
    NavEntry(
        _("Capture"),
        "connectors:overview",
        lambda user: policies.can(user, "view", "registry.Account"),
        section="/capture/",
    ),
    NavEntry(
        _("Records"),
        "records:index",
        lambda user: policies.can(user, "view", "records.RetentionRule"),
        section="/records/",
    ),
    NavEntry(_("Applications"), "applications:list", lambda user: True, section="/applications/"),
    NavEntry(_("Questions"), "inquiries:list", lambda user: True, section="/inquiries/"),
    NavEntry(
        _("Compliance"),
        "compliance:overview",
        lambda user: policies.can(user, "view", "registry.Account"),
        section="/compliance/",
    ),
    NavEntry(
        _("Reports"),
        "reports:index",
        lambda user: policies.can(user, "view", "reports.MonthlyReport"),
        section="/reports/",
    ),
    NavEntry(
        _("Vault"),
        "vault:index",
        lambda user: policies.can(user, "view", "vault.Credential"),
        section="/vault/",
    ),
    NavEntry(_("Guideline"), "guidelines:current", lambda user: True, section="/guidelines/"),
    NavEntry(
        _("Organisation"),
        "organisation:tree",
        lambda user: policies.can(user, "view", "organisation.Unit"),
        section="/organisation/",
    ),
    NavEntry(
        _("Audit log"),
        "core:audit_log",
        lambda user: policies.can(user, "view", "core.AuditEntry"),
        section="/audit/",
    ),
    NavEntry(
        _("Sign-in waits"),
        "core:sign_in_locks",
        lambda user: policies.can(user, "view", "core.SignInLock"),
        section="/sign-in-waits/",
    ),
]


def navigation_for(request: HttpRequest) -> list[dict[str, Any]]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for entry in ENTRIES:
        if not entry.allowed(user):
            continue
        url = reverse(entry.url_name)
        current = request.path == url or bool(entry.section and request.path.startswith(entry.section))
        items.append({"label": entry.label, "url": url, "current": current})
    return items
