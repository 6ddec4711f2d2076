from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "sigill.records"
    label = "records"
    verbose_name = _("Records")

    def ready(self) -> None:
        from sigill.records import policies, todos  # noqa: F401  (register the policies and to-dos)
