from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "sigill.compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from sigill.archive import after_capture
        from sigill.compliance import policies, todos  # noqa: F401  (registers the policies and to-dos)
        from sigill.compliance.receivers import check_changed_profiles
        from sigill.compliance.selectors import municipality_name
        from sigill.core import identity

        after_capture.register(check_changed_profiles)
        # Compliance owns the municipality's identity; the apps below it read the name through core.
        identity.register(municipality_name)
