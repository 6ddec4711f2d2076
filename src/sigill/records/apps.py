from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "sigill.records"
    label = "records"
    verbose_name = _("Records")

    def ready(self) -> None:
        from sigill.core import audit
        from sigill.records import policies, state_checks, todos  # noqa: F401  (register the policies and to-dos)

        audit.register_state_check("records.holds", state_checks.holds)
        audit.register_state_check("records.disclosure_decisions", state_checks.disclosure_decisions)
