"""Background tasks of the core app."""

from django_tasks import task

from sigill.core import heartbeat


@task()
def worker_heartbeat() -> None:
    """Prove that a worker is taking tasks off the queue."""
    heartbeat.beat()
