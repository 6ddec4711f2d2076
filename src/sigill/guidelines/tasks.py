"""Background tasks of the guidelines: remind the editors of a version that has come into force."""

from django_tasks import task

from sigill.guidelines import services


@task()
def send_due_reminders() -> int:
    """E-mail the editors about every version that came into force without a reminder yet (daily)."""
    return services.send_due_reminders()
