"""Background tasks of alerts: send an alert after its transaction committed, and the periodic
round (missed time targets, failed deliveries due for another try, digests whose window closed,
alerts whose delivery task was lost)."""

from __future__ import annotations

from django_tasks import task

from sigill.alerts import delivery, services


@task()
def deliver_alert(alert_id: int) -> int:
    return delivery.deliver(alert_id)


@task()
def alerts_round() -> dict[str, int]:
    """Run every minute by the scheduler."""
    return {
        "missed_targets": services.alert_missed_targets(),
        "retried": delivery.retry_due(),
        "digests": delivery.send_due_digests(),
        "stranded": delivery.deliver_stranded(),
    }
