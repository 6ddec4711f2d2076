"""Who may change the texts and contact details Sigill writes with. Profile checks follow the
registry's account policy: whoever sees an account sees its checks; its editors and comms record them."""

from __future__ import annotations

from sigill.compliance.models import Municipality, TextTemplate
from sigill.core.policies import Policy, register
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role


@register(TextTemplate)
class TextTemplatePolicy(Policy[TextTemplate]):
    def can_change(self, user: User, template: TextTemplate | None) -> bool:
        return has_role(user, Role.COMMS)


@register(Municipality)
class MunicipalityPolicy(Policy[Municipality]):
    def can_change(self, user: User, municipality: Municipality | None) -> bool:
        return has_role(user, Role.COMMS)
