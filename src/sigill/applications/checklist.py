"""The setup checklist of an account created from an approved application.

Each item asks the app that records the fact (the vault, the guidelines, the registry...). An item
whose fact no app records yet answers None and is ticked by comms by hand, with a note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sigill.compliance import selectors as compliance_selectors
from sigill.guidelines import selectors as guideline_selectors
from sigill.registry.models import Account, current_assignments_q
from sigill.vault import selectors as vault_selectors

RecordedFact = Callable[[Account], bool | None]


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str | Promise
    recorded: RecordedFact


ITEMS: dict[str, ChecklistItem] = {}


def item(code: str, label: str | Promise) -> Callable[[RecordedFact], RecordedFact]:
    """Register ``recorded(account)`` as the source of a checklist item (True, False, or None: unknown)."""

    def register(recorded: RecordedFact) -> RecordedFact:
        ITEMS[code] = ChecklistItem(code=code, label=label, recorded=recorded)
        return recorded

    return register


# The items in the order they are usually done; each asks the app that records the fact.


@item("profile", _("The profile meets the requirements"))
def _profile_checked(account: Account) -> bool | None:
    check = compliance_selectors.latest_check(account)
    return check is not None and check.passed


@item("credentials", _("The login details are deposited in the vault"))
def _credentials_deposited(account: Account) -> bool | None:
    return vault_selectors.has_login_deposited(account)


@item("editors", _("Editors are appointed and have acknowledged the guideline"))
def _editors_appointed(account: Account) -> bool | None:
    assignments = account.editor_assignments.filter(current_assignments_q()).select_related("user")
    return assignments.exists() and all(
        guideline_selectors.has_acknowledged_current(assignment.user) for assignment in assignments
    )


@item("activated", _("The account is activated (and so on the public list)"))
def _activated(account: Account) -> bool | None:
    return account.activated_at is not None
