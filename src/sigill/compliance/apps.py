from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "sigill.compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from sigill.compliance import policies, todos  # noqa: F401  (registers the policies and to-dos)
