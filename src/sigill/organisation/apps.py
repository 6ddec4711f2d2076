from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "sigill.organisation"
    label = "organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from sigill.organisation import policies, todos  # noqa: F401  (registers the policies and to-dos)
