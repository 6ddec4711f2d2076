from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sigill.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Log-in, log-out and lock-out are framework events: their receivers write the audit entries.
        from sigill.core import auth_events, jobs  # noqa: F401  (jobs: registers the scheduler's own)
