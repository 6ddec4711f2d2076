"""The connectors' periodic jobs: syncing the accounts that are due, the watchdog over runs that
died, the yearly snapshots, and pruning the counts of refused webhook requests."""

from __future__ import annotations

from datetime import timedelta

from sigill.connectors.publish import outbox
from sigill.connectors.runs import fail_dead_runs
from sigill.connectors.tasks import enqueue_due, snapshot_profiles
from sigill.connectors.webhooks import prune_noise
from sigill.core import scheduler


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    return [
        # The watchdog: a run whose worker was killed or crashed (or a machine that restarted) is
        # marked failed with its cause, so the coverage report shows its gap. It runs in the
        # scheduler itself, so it works while every worker is down.
        scheduler.Job("fail_dead_runs", timedelta(minutes=1), fail_dead_runs),
        # The hourly counts of refused webhook requests, so that noise cannot grow the table forever.
        scheduler.Job("prune_webhook_noise", timedelta(hours=24), prune_noise),
        # Each account syncs at its own interval; this only looks every minute for those due.
        scheduler.Job("sync_accounts", timedelta(minutes=1), enqueue_due, talks_to_platforms=True),
        # Posts whose back-off has passed, and posts left "sending" by a worker that died.
        scheduler.Job("publish_due", timedelta(minutes=1), outbox.enqueue_due, talks_to_platforms=True),
        # Checked daily; each live account is rendered once a year (the archive guidance's minimum).
        scheduler.Job(
            "snapshot_profiles", timedelta(hours=24), snapshot_profiles.enqueue, talks_to_platforms=True
        ),
    ]
