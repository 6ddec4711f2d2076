from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sigill.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from sigill.api import policies  # noqa: F401  (registers the token policy)
