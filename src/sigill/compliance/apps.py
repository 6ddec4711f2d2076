from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "sigill.compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from sigill.archive.signals import items_captured
        from sigill.compliance import policies, todos  # noqa: F401  (registers the policies and to-dos)
        from sigill.compliance.receivers import check_changed_profiles

        items_captured.connect(check_changed_profiles, dispatch_uid="compliance.check_changed_profiles")
