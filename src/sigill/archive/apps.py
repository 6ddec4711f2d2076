from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "sigill.archive"
    label = "archive"
    verbose_name = _("Archive")

    def ready(self) -> None:
        from sigill.archive import policies, services  # noqa: F401 (registers the policy and audit acts)
