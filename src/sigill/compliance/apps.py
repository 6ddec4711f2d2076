from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "sigill.compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from sigill.archive import after_capture
        from sigill.compliance import policies, todos  # noqa: F401  (registers the policies and to-dos)
        from sigill.compliance.receivers import check_changed_profiles

        after_capture.register(check_changed_profiles)
