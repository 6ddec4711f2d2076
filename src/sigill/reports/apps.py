from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sigill.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from sigill.reports import jobs, policies  # noqa: F401  (registers the policy and the job)
