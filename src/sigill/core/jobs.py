"""The ground floor's periodic jobs: the worker heartbeat, anchoring the audit log's head, and
pruning old task results."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command

from sigill.core import audit, scheduler
from sigill.core.tasks import worker_heartbeat


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    return [
        scheduler.Job(
            "worker_heartbeat",
            timedelta(seconds=settings.SCHEDULER_HEARTBEAT_INTERVAL),
            worker_heartbeat.enqueue,
        ),
        scheduler.Job("anchor_audit_head", timedelta(minutes=1), lambda: audit.anchor_head()),
        scheduler.Job(
            "prune_task_results",
            timedelta(hours=6),
            lambda: call_command("prune_db_task_results", min_age_days=2),
        ),
    ]
