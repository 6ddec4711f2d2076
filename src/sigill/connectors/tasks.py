"""Work for the task worker (the database worker, or RQ): syncs, webhook deliveries, imports."""

from __future__ import annotations

from django_tasks import task

from sigill.connectors import sync, webhook_deliveries
from sigill.connectors.exports.importing import import_uploaded
from sigill.connectors.snapshot import SnapshotFailed, due_for_snapshot, snapshot_profile
from sigill.registry.models import Account


@task()
def sync_account(account_id: int) -> str:
    """Sync one account; returns the run's outcome (or "busy" when another worker has it)."""
    run = sync.sync(Account.objects.select_related("platform").get(pk=account_id))
    return run.outcome if run is not None else "busy"


@task()
def capture_webhook(delivery_id: int) -> dict[str, int]:
    """Capture what one webhook delivery holds."""
    return webhook_deliveries.process(delivery_id)


@task()
def import_export(run_id: str, stored_name: str) -> str:
    """Import an uploaded export file (a name in the default storage); the run holds the report."""
    return import_uploaded(run_id=run_id, stored_name=stored_name)


@task()
def snapshot_profiles() -> int:
    """Render and capture the profile of every live account without a snapshot this year."""
    done = 0
    for account in due_for_snapshot():
        try:
            snapshot_profile(account=account)
        except SnapshotFailed:
            continue  # tried again tomorrow
        done += 1
    return done


def enqueue_due() -> int:
    """Enqueue a sync for every account that is due; the scheduler calls this every minute."""
    accounts = sync.take_due()
    for account in accounts:
        sync_account.enqueue(account.pk)
    return len(accounts)
