from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "sigill.applications"
    label = "applications"
    verbose_name = "Applications"

    def ready(self) -> None:
        from sigill.applications import checklist, jobs, policies, todos  # noqa: F401  (registers policies, items, to-dos, jobs)
