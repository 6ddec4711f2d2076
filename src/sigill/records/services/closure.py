"""Closing an account (comms): start, the steps, and the closing itself.

The steps' states come from where the facts live: a final capture made for the closure (a full
sync or an export import run to the end after it began, or a recorded manual capture) and, where
Chromium can render the profile, a snapshot taken after it began; the e-archive package of the
records to keep, made after that final capture; the vault holding no live credential, no current
editor, and the registry saying closed. The account cannot be marked closed while a step is open,
unless comms records why.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.connectors import selectors as connector_selectors
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.records import selectors, tasks
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
        "records.closure.final_sync": gettext_lazy("Final sync of a closing account started"),
        "records.closure.snapshot": gettext_lazy("Profile snapshot of a closing account started"),
        "records.closure.closed": gettext_lazy("Account closed"),
    }
)


@dataclass(frozen=True)
class Step:
    code: str
    label: str | Promise
    done: bool
    detail: str


def can_snapshot(account: Account) -> bool:
    """Whether the connectors can render the account's profile: it has an address and Chromium is here."""
    return bool(account.profile_url) and shutil.which(settings.SNAPSHOT_CHROMIUM) is not None


def can_sync(account: Account) -> bool:
    return connector_selectors.connection_of(account) is not None


@dataclass(frozen=True)
class FinalCapture:
    """What the closure's final capture consists of, each part's time (None: not made)."""

    captured_at: dt.datetime | None  # a full sync, an export imported, or a recorded manual capture
    snapshot_at: dt.datetime | None
    snapshot_needed: bool

    @property
    def done(self) -> bool:
        return self.captured_at is not None and (self.snapshot_at is not None or not self.snapshot_needed)

    @property
    def finished_at(self) -> dt.datetime | None:
        """When the last part was made: an e-archive package must be made after it."""
        if not self.done:
            return None
        return max(moment for moment in (self.captured_at, self.snapshot_at) if moment is not None)


def final_capture(closure: AccountClosure) -> FinalCapture:
    account, since = closure.account, closure.started_at
    moments = [selectors.last_full_capture_at(account.pk, since=since), closure.manual_capture_at]
    return FinalCapture(
        captured_at=max((moment for moment in moments if moment is not None), default=None),
        snapshot_at=selectors.last_snapshot_at(account.pk, since=since),
        snapshot_needed=can_snapshot(account),
    )


def _when(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _capture_detail(closure: AccountClosure, final: FinalCapture) -> str:
    parts = [
        _("Final capture %(when)s") % {"when": _when(final.captured_at)}
        if final.captured_at
        else _("No full sync, export import or recorded manual capture since the closure began")
    ]
    if final.snapshot_at:
        parts.append(_("profile snapshot %(when)s") % {"when": _when(final.snapshot_at)})
    elif final.snapshot_needed:
        parts.append(_("no snapshot of the profile since the closure began"))
    if closure.manual_capture_note:
        parts.append(closure.manual_capture_note)
    return "; ".join(parts)


def _earchive_step(closure: AccountClosure, final: FinalCapture) -> Step:
    made_after = (
        final.finished_at is not None
        and closure.earchive_at is not None
        and closure.earchive_at >= final.finished_at
    )
    detail = closure.earchive_package
    if closure.earchive_package and not made_after:
        detail = _("%(package)s was made before the final capture; make it again") % {
            "package": closure.earchive_package
        }
    return Step("earchive", gettext_lazy("E-archive package of the records to keep"), made_after, detail)


def steps(closure: AccountClosure) -> list[Step]:
    """Each step's state, read afresh from the database (not from a possibly stale ``closure``)."""
    closure = AccountClosure.objects.select_related("account").get(pk=closure.pk)
    account = closure.account
    final = final_capture(closure)
    editors = registry_selectors.editors_of(account).count()
    return [
        Step(
            "capture",
            gettext_lazy("Final capture of everything on the account"),
            final.done,
            _capture_detail(closure, final),
        ),
        _earchive_step(closure, final),
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


def start(*, account: Account, reason: str, by: User) -> AccountClosure:
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


def _open(closure: AccountClosure, by: User) -> AccountClosure:
    locked = AccountClosure.objects.select_for_update().select_related("account").get(pk=closure.pk)
    policy_for(AccountClosure).require(by, "work", locked)
    return locked


def record_manual_capture(*, closure: AccountClosure, note: str, by: User) -> AccountClosure:
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


def start_final_sync(*, closure: AccountClosure, by: User) -> None:
    """Have the worker sync the account through its connector; the run it records is the final
    capture (the closure's page shows it once it has succeeded)."""
    policy_for(AccountClosure).require(by, "work", closure)
    if not can_sync(closure.account):
        raise ValidationError(
            _("The account has no connection to its platform: import an export or capture by hand.")
        )
    with transaction.atomic():
        closure = _open(closure, by)
        audit.record(
            "records.closure.final_sync", actor=by, target=closure, details={"account": closure.account.slug}
        )
    # After the commit: the worker may start at once.
    tasks.final_sync.enqueue(closure.account_id)


def start_snapshot(*, closure: AccountClosure, by: User) -> None:
    """Have the worker render the account's profile in Chromium and capture it."""
    policy_for(AccountClosure).require(by, "work", closure)
    if not can_snapshot(closure.account):
        raise ValidationError(_("The profile cannot be rendered here: record how it was captured instead."))
    with transaction.atomic():
        closure = _open(closure, by)
        audit.record(
            "records.closure.snapshot", actor=by, target=closure, details={"account": closure.account.slug}
        )
    tasks.final_snapshot.enqueue(closure.account_id, by.pk)


def make_package(*, closure: AccountClosure, by: User) -> AccountClosure:
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


def retire_credentials(*, closure: AccountClosure, by: User) -> int:
    policy_for(AccountClosure).require(by, "work", closure)
    return vault.retire_credentials(account=closure.account, by=by, reason=_("The account is closed."))


def revoke_editors(*, closure: AccountClosure, by: User) -> int:
    policy_for(AccountClosure).require(by, "work", closure)
    return registry.revoke_editors(
        assignments=registry_selectors.editors_of(closure.account), by=by, reason=_("The account is closed.")
    )


def close(*, closure: AccountClosure, by: User, override_reason: str = "") -> AccountClosure:
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
