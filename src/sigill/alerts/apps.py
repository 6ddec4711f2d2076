from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "sigill.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        # Registers the policies, the audit acts and the scheduler's job, and tells moderation (through its small watcher
        # interface, not a signal) to hand over screened cases and to ask who is on call.
        from sigill.alerts import jobs, policies, services  # noqa: F401
        from sigill.alerts.watcher import AlertsWatcher
        from sigill.moderation import watchers

        watchers.register(AlertsWatcher())
