from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "sigill.archive"
    label = "archive"
    verbose_name = _("Archive")

    def ready(self) -> None:
        # Registers the policy, the audit acts and the job that anchors the chain's head.
        from sigill.archive import jobs, policies, services  # noqa: F401
