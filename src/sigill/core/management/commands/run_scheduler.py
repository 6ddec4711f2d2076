import signal
import threading
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigill.core import scheduler


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
            scheduler.registered_jobs(),
            holder=scheduler.holder_id(),
            tick=tick,
            ttl=timedelta(seconds=tick * 6),
            stop=stop,
            once=once,
        )
