from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sigill.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        from sigill.registry import policies, todos  # noqa: F401  (registers the policies and to-dos)
