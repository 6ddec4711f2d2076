from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from sigill.applications import notify, selectors
from sigill.applications.models import Application


class Command(BaseCommand):
    help = "E-mail the person an application waits for, when it has waited too many working days."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = 0
        for application in selectors.overdue(settings.APPLICATION_REMINDER_WORKING_DAYS):
            event = f"reminder_{application.state}"
            notify.send(application, event, notify.recipients_for(application, event))
            Application.objects.filter(pk=application.pk).update(reminded_at=timezone.now())
            reminded += 1
        self.stdout.write(f"Reminders sent for {reminded} application(s).")
