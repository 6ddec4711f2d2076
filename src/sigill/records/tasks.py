"""Work for the task worker: a closing account's final sync and profile snapshot, which take
longer than a page request may (a walk of the whole account; Chromium rendering the profile)."""

from __future__ import annotations

import logging

from django_tasks import task

from sigill.connectors.snapshot import SnapshotFailed, snapshot_profile
from sigill.connectors.sync import sync
from sigill.organisation.models import User
from sigill.registry.models import Account

log = logging.getLogger(__name__)


@task()
def final_sync(account_id: int) -> str:
    """Sync the closing account through its connector; the run is the record of the final sync."""
    run = sync(Account.objects.select_related("platform").get(pk=account_id))
    return run.outcome if run is not None else "busy"


@task()
def final_snapshot(account_id: int, user_id: int) -> int | None:
    """Render the closing account's profile and capture it; the item's id, or None if it failed."""
    account = Account.objects.get(pk=account_id)
    try:
        return snapshot_profile(account=account, by=User.objects.get(pk=user_id))
    except SnapshotFailed:
        log.warning("The closing account %s's profile could not be rendered", account.slug, exc_info=True)
        return None
