from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "sigill.vault"
    label = "vault"
    verbose_name = "Vault"

    def ready(self) -> None:
        # The policies, the registry's activation requirement and the key ring's system check.
        from sigill.vault import checks, policies, services  # noqa: F401
