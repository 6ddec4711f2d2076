"""The background task that sends an alert after its transaction committed (``services.raise_alert``
enqueues it). It imports only ``delivery``, so the services can enqueue it without a circle; the
periodic round, which raises alerts through the services, is a task of ``jobs``."""

from __future__ import annotations

from django_tasks import task

from sigill.alerts import delivery


@task()
def deliver_alert(alert_id: int) -> int:
    return delivery.deliver(alert_id)
