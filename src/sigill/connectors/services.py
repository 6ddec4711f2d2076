"""The connectors' front door for writes: connecting accounts, reconnecting them, receiving export
files. The worker side keeps the syncs' and runs' state in ``runs``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.archive.capture import Source
from sigill.connectors import tasks
from sigill.connectors.base import has_connector
from sigill.connectors.base import offer_platform_login as offer_platform_login
from sigill.connectors.exports.importing import remove_upload
from sigill.connectors.models import CaptureRun, Connection
from sigill.connectors.policies import connection_policy, importable_accounts
from sigill.connectors.publish.base import OutgoingMedia as OutgoingMedia
from sigill.connectors.publish.outbox import queue_post as queue_post
from sigill.connectors.publish.outbox import retry_post as retry_post
from sigill.connectors.runs import needs_reconnecting, start_run
from sigill.core import audit
from sigill.organisation.people import User
from sigill.registry.models import Account

audit.describe_acts(
    {
        "connectors.connection.saved": gettext_lazy("Platform connection saved"),
        "connectors.connection.needs_reconnecting": gettext_lazy("Account needs reconnecting"),
        "connectors.connection.reconnected": gettext_lazy("Account reconnected"),
        "connectors.webhook.refused": gettext_lazy("Webhook with a bad signature refused"),
        "connectors.export.imported": gettext_lazy("Export file imported"),
        "connectors.export.refused": gettext_lazy("Export file refused"),
        "connectors.export.failed": gettext_lazy("Export import failed"),
        "connectors.export.retried": gettext_lazy("Failed or refused export import tried again"),
        "connectors.export.discarded": gettext_lazy("Kept export file discarded"),
        "connectors.run.died": gettext_lazy("Capture run found dead and marked failed"),
    }
)


def connect(
    *, account: Account, remote_id: str, api_base: str = "", interval_minutes: int = 15, by: User
) -> Connection:
    """Create or change how Sigill reaches ``account``'s platform API."""
    connection_policy.require(by, "manage")
    if not has_connector(account.platform.slug):
        raise ValidationError(
            _("Sigill has no API connector for %(platform)s: capture it by export files or by hand.")
            % {"platform": account.platform.name}
        )
    with transaction.atomic():
        connection, created = Connection.objects.select_for_update().get_or_create(
            account=account,
            defaults={"remote_id": remote_id, "api_base": api_base, "interval_minutes": interval_minutes},
        )
        if not created:
            connection.remote_id, connection.api_base = remote_id, api_base
            connection.interval_minutes = interval_minutes
            connection.save(update_fields=["remote_id", "api_base", "interval_minutes"])
        audit.record(
            "connectors.connection.saved",
            actor=by,
            target=account,
            details={"remote_id": remote_id, "api_base": api_base, "interval_minutes": interval_minutes},
        )
    return connection


def reconnect(*, connection: Connection, by: User) -> Connection:
    """After comms deposited a new token: sync again at once, from the cursor kept."""
    connection_policy.require(by, "manage")
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(
            status=Connection.Status.OK if connection.last_success_at else Connection.Status.NEW,
            status_changed_at=timezone.now(),
            next_sync_at=timezone.now(),
            failures=0,
        )
        audit.record("connectors.connection.reconnected", actor=by, target=connection.account)
    connection.refresh_from_db()
    return connection


def token_lost(*, account: Account, message: str) -> None:
    """The platform log-in behind the account's API token was lost (the platform refused to refresh
    it): the account needs reconnecting, as when a sync's token is refused, and comms is told."""
    connection = Connection.objects.filter(account=account).first()
    if connection is not None:
        needs_reconnecting(connection=connection, run=None, message=message)


def receive_upload(*, account: Account, upload: Any, by: User) -> CaptureRun:
    """Keep an uploaded export in the default storage, where a worker on any machine can read it
    (a shared volume or an object store in a multi-machine setup), and queue its import."""
    if not importable_accounts(by).filter(pk=account.pk).exists():
        raise PermissionDenied
    name = Path(upload.name or "export.zip").name
    run = start_run(account=account, path=Source.EXPORT, by=by, details={"file": name, "progress": 0})
    stored = default_storage.save(f"imports/{run.pk}/{name}", upload)
    transaction.on_commit(lambda: tasks.import_export.enqueue(str(run.pk), stored))
    return run


# An import that ends any other way than succeeded keeps its upload for another try or a discard.
KEEPS_UPLOAD = (CaptureRun.Outcome.FAILED, CaptureRun.Outcome.REFUSED)


def _kept_upload(run: CaptureRun, by: User) -> tuple[CaptureRun, str]:
    """The run, locked, and the upload it kept, if ``by`` may import into its account. Call inside
    a transaction: the lock makes a second click of "try again" or "discard" find the file gone."""
    if not importable_accounts(by).filter(pk=run.account_id).exists():
        raise PermissionDenied
    locked = CaptureRun.objects.select_for_update().get(pk=run.pk)
    stored = str(locked.details.get("upload", ""))
    if locked.path != Source.EXPORT or locked.outcome not in KEEPS_UPLOAD or not stored:
        raise ValidationError(
            _("Only a failed or refused import whose file is kept can be tried again or discarded.")
        )
    return locked, stored


def retry_import(*, run: CaptureRun, by: User) -> CaptureRun:
    """Import the file a failed or refused import kept again, as a new run (after a limit was
    raised, say); the first run stays as it was, its file handed on to the new one."""
    with transaction.atomic():
        run, stored = _kept_upload(run, by)
        again = start_run(
            account=run.account,
            path=Source.EXPORT,
            by=by,
            details={"file": run.details.get("file", ""), "progress": 0, "retry_of": str(run.pk)},
        )
        CaptureRun.objects.filter(pk=run.pk).update(
            details={**run.details, "upload": "", "retried_by": str(again.pk)}
        )
        audit.record(
            "connectors.export.retried",
            actor=by,
            target=run.account,
            details={"run": str(run.pk), "again": str(again.pk), "outcome": run.outcome},
        )
        transaction.on_commit(lambda: tasks.import_export.enqueue(str(again.pk), stored))
    return again


def discard_upload(*, run: CaptureRun, by: User) -> None:
    """Remove the file a failed or refused import kept; the run (and a failure's gap) stays."""
    with transaction.atomic():
        run, stored = _kept_upload(run, by)
        CaptureRun.objects.filter(pk=run.pk).update(details={**run.details, "upload": "", "discarded": True})
        audit.record(
            "connectors.export.discarded",
            actor=by,
            target=run.account,
            details={"run": str(run.pk), "file": str(run.details.get("file", ""))[:200]},
        )
        transaction.on_commit(lambda: remove_upload(stored))
