from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "sigill.connectors"
    label = "connectors"
    verbose_name = _("Connectors")

    def ready(self) -> None:
        # Registers the policy, the audit acts, the start page's to-dos, the scheduler's jobs and
        # each platform's actor for the moderation queue (hide, delete, block through the API).
        from sigill.connectors import checks, jobs, policies, services, todos  # noqa: F401
        from sigill.connectors.actors import register_actors
        from sigill.connectors.platforms import discover
        from sigill.connectors.publish.base import discover as discover_publishers
        from sigill.connectors.replies import register as register_replier

        register_actors(discover())
        discover_publishers()
        register_replier()
