from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "sigill.publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        # Registers the policies, the audit acts and the scheduler's hand-over job.
        from sigill.publishing import jobs, policies, services  # noqa: F401
