import signal
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sigill.alerts.tasks import alerts_round
from sigill.connectors.tasks import enqueue_due, snapshot_profiles
from sigill.core import scheduler
from sigill.core.tasks import worker_heartbeat


def _jobs() -> list[scheduler.Job]:
    jobs = [
        scheduler.Job(
            "worker_heartbeat",
            timedelta(seconds=settings.SCHEDULER_HEARTBEAT_INTERVAL),
            worker_heartbeat.enqueue,
        ),
        scheduler.Job(
            "prune_task_results",
            timedelta(hours=6),
            lambda: call_command("prune_db_task_results", min_age_days=2),
        ),
        # Each account syncs at its own interval; this only looks every minute for those due.
        scheduler.Job("sync_accounts", timedelta(minutes=1), enqueue_due),
        # Missed time targets, failed alert deliveries due for another try, digests whose window closed.
        scheduler.Job("alerts_round", timedelta(minutes=1), alerts_round.enqueue),
        # Checked daily; each live account is rendered once a year (the archive guidance's minimum).
        scheduler.Job("snapshot_profiles", timedelta(hours=24), snapshot_profiles.enqueue),
        scheduler.Job(
            "remind_applications", timedelta(hours=24), lambda: call_command("remind_applications")
        ),
        scheduler.Job(
            "guideline_reminders", timedelta(hours=24), lambda: call_command("guideline_reminders")
        ),
        # Sends only on the first working day of a month (or the first run after it), once a month.
        scheduler.Job("send_monthly_report", timedelta(hours=1), lambda: call_command("send_monthly_report")),
    ]
    if settings.INQUIRY_MAILDIR:
        jobs.append(
            scheduler.Job(
                "read_inquiry_mail", timedelta(minutes=5), lambda: call_command("read_inquiry_mail")
            )
        )
    return jobs


class Command(BaseCommand):
    help = "Enqueue periodic tasks for the workers. Only one scheduler runs at a time (a database lease)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        stop = threading.Event()
        # systemd and the process managers stop a service with SIGTERM: finish the round and give
        # up the lease, so a scheduler waiting elsewhere takes over at once.
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        tick = 5
        scheduler.run(
            _jobs(),
            holder=scheduler.holder_id(),
            tick=tick,
            ttl=timedelta(seconds=tick * 6),
            stop=stop,
            once=once,
        )
