from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OAuthConfig(AppConfig):
    name = "sigill.oauth"
    label = "oauth"
    verbose_name = _("Platform log-in")

    def ready(self) -> None:
        # Registers the policy, the audit acts, the start page's to-dos and the refresh job.
        from sigill.oauth import jobs, policies, services, todos  # noqa: F401
