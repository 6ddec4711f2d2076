"""An audit entry's details in words: readable names for their keys and for coded values.

Entries keep the codes they were written with (they are hashed as stored); only the audit log page
reads them out. Each app describes the codes it writes, as it names its acts
(``audit.describe_acts``); a key nobody described is shown with spaces for its underscores.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KEY_LABELS: dict[str, str | Promise] = {
    "backend": _("signed in with"),
    "ip": _("address"),
    "items": _("items"),
    "reason": _("reason"),
    "role": _("role"),
    "unit": _("unit"),
    "username": _("username"),
    "changed": _("changed"),
    "note": _("note"),
    "account": _("account"),
    "file": _("file"),
    "files": _("files"),
    "count": _("count"),
    "counts": _("counts"),
}
# Coded values per key: the sign-in backends here, roles from the organisation app.
VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "backend": {
        "django.contrib.auth.backends.ModelBackend": _("password"),
        "sigill.organisation.oidc.SigillOIDCBackend": _("the municipality's single sign-on"),
    },
}


def describe_values(key: str, labels: dict[str, str | Promise]) -> None:
    """Give the coded values an app writes under ``key`` a readable name (called at import)."""
    VALUE_LABELS.setdefault(key, {}).update(labels)


def readable(details: Any) -> list[tuple[str | Promise, Any]]:
    """``details`` as (key, value) pairs to show, keys and coded values in words."""
    if not isinstance(details, dict):
        return [("", details)] if details not in (None, "", [], {}) else []
    return [(_key_label(str(key)), _value_label(str(key), value)) for key, value in details.items()]


def _key_label(key: str) -> str | Promise:
    return KEY_LABELS.get(key) or key.replace("_", " ")


def _value_label(key: str, value: Any) -> Any:
    labels = VALUE_LABELS.get(key, {})
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, list):
        return ", ".join(
            str(labels.get(item, item)) if isinstance(item, str) else str(item) for item in value
        )
    return value
