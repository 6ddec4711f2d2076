"""Closing an account (comms): start, the steps, and the closing itself.

The steps' states come from where the facts live: a capture of the account after the closure
began (or a recorded manual capture), the e-archive package of the records to keep, the vault
holding no live credential, no current editor, and the registry saying closed. The account
cannot be marked closed while a step is open, unless comms records why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.archive import selectors as archive
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.records.models import AccountClosure
from sigill.records.services import earchive
from sigill.registry import selectors as registry_selectors
from sigill.registry import services as registry
from sigill.registry.models import Account
from sigill.vault import selectors as vault_selectors
from sigill.vault import services as vault

audit.describe_acts(
    {
        "records.closure.started": gettext_lazy("Account closure started"),
        "records.closure.manual_capture": gettext_lazy("Final capture by hand recorded"),
        "records.closure.closed": gettext_lazy("Account closed"),
    }
)


@dataclass(frozen=True)
class Step:
    code: str
    label: str | Promise
    done: bool
    detail: str


def steps(closure: AccountClosure) -> list[Step]:
    """Each step's state, read afresh from the database (not from a possibly stale ``closure``)."""
    closure = AccountClosure.objects.select_related("account").get(pk=closure.pk)
    account = closure.account
    captured = archive.last_capture_at(account.pk)
    captured_after = captured is not None and captured >= closure.started_at
    editors = registry_selectors.editors_of(account).count()
    return [
        Step(
            "capture",
            gettext_lazy("Final capture of everything on the account"),
            captured_after or closure.manual_capture_at is not None,
            closure.manual_capture_note
            or (
                _("Last capture %(when)s") % {"when": f"{timezone.localtime(captured):%Y-%m-%d %H:%M}"}
                if captured
                else ""
            ),
        ),
        Step(
            "earchive",
            gettext_lazy("E-archive package of the records to keep"),
            bool(closure.earchive_package),
            closure.earchive_package,
        ),
        Step(
            "credentials",
            gettext_lazy("Credentials retired in the vault"),
            not vault_selectors.has_active_credentials(account),
            "",
        ),
        Step(
            "editors",
            gettext_lazy("Editors revoked"),
            editors == 0,
            _("%(count)d editors still assigned") % {"count": editors} if editors else "",
        ),
    ]


def open_steps(closure: AccountClosure) -> list[Step]:
    return [step for step in steps(closure) if not step.done]


def start(*, account: Account, reason: str, by: Any) -> AccountClosure:
    """Begin closing ``account``; a live account moves to "closing" (it stays on the public list)."""
    policy_for(AccountClosure).require(by, "work")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the account is closed.")})
    with transaction.atomic():
        if AccountClosure.objects.filter(account=account).exists():
            raise ValidationError({"account": _("The account is already being closed.")})
        if account.status == Account.Status.CLOSED:
            raise ValidationError({"account": _("The account is already closed.")})
        if account.can_move_to(Account.Status.CLOSING):
            registry.change_status(account=account, to=Account.Status.CLOSING, reason=reason, by=by)
        closure = AccountClosure.objects.create(account=account, reason=reason.strip(), started_by=by)
        audit.record("records.closure.started", actor=by, target=closure, details={"account": account.slug})
    return closure


def _open(closure: AccountClosure, by: Any) -> AccountClosure:
    locked = AccountClosure.objects.select_for_update().select_related("account").get(pk=closure.pk)
    policy_for(AccountClosure).require(by, "work", locked)
    return locked


def record_manual_capture(*, closure: AccountClosure, note: str, by: Any) -> AccountClosure:
    """The final capture was made by hand or as a rendered snapshot (say what and where)."""
    if not note.strip():
        raise ValidationError({"note": _("Say what was captured and where it is kept.")})
    with transaction.atomic():
        closure = _open(closure, by)
        closure.manual_capture_note, closure.manual_capture_at = note.strip(), timezone.now()
        closure.save(update_fields=["manual_capture_note", "manual_capture_at"])
        audit.record(
            "records.closure.manual_capture", actor=by, target=closure, details={"note": note.strip()}
        )
    return closure


def make_package(*, closure: AccountClosure, by: Any) -> AccountClosure:
    """Write the e-archive package of the account's records to keep, under MEDIA_ROOT/earchive/."""
    policy_for(AccountClosure).require(by, "work", closure)
    target = Path(settings.MEDIA_ROOT) / "earchive"
    target.mkdir(parents=True, exist_ok=True)
    summary = earchive.export(account=closure.account, target=target, only_kept=True, by=by)
    with transaction.atomic():
        closure = _open(closure, by)
        closure.earchive_package, closure.earchive_at = summary.objid, timezone.now()
        closure.save(update_fields=["earchive_package", "earchive_at"])
    return closure


def retire_credentials(*, closure: AccountClosure, by: Any) -> int:
    policy_for(AccountClosure).require(by, "work", closure)
    return vault.retire_credentials(account=closure.account, by=by, reason=_("The account is closed."))


def revoke_editors(*, closure: AccountClosure, by: Any) -> int:
    policy_for(AccountClosure).require(by, "work", closure)
    return registry.revoke_editors(
        assignments=registry_selectors.editors_of(closure.account), by=by, reason=_("The account is closed.")
    )


def close(*, closure: AccountClosure, by: Any, override_reason: str = "") -> AccountClosure:
    """Mark the account closed in the registry (so it leaves the public list). Refused while a
    step is open, unless ``override_reason`` says why."""
    with transaction.atomic():
        closure = _open(closure, by)
        if not closure.is_open:
            raise ValidationError(_("The account is already closed."))
        still_open = open_steps(closure)
        if still_open and not override_reason.strip():
            raise ValidationError(
                {
                    "override_reason": _(
                        "Steps are still open: finish them, or say why the account is closed anyway."
                    )
                }
            )
        registry.change_status(
            account=closure.account, to=Account.Status.CLOSED, reason=closure.reason, by=by
        )
        closure.closed_at, closure.closed_by = timezone.now(), by
        closure.override_reason = override_reason.strip() if still_open else ""
        closure.save(update_fields=["closed_at", "closed_by", "override_reason"])
        audit.record(
            "records.closure.closed",
            actor=by,
            target=closure,
            details={
                "account": closure.account.slug,
                "open_steps": [step.code for step in still_open],
                "override_reason": closure.override_reason,
            },
        )
    return closure
