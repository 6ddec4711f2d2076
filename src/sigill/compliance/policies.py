"""Who may change the texts and contact details Sigill writes with. Profile checks follow the
registry's account policy: whoever sees an account sees its checks; its editors and comms record them."""

from __future__ import annotations

from typing import Any

from sigill.compliance.models import Municipality, TextTemplate
from sigill.core.policies import Policy, register
from sigill.organisation.people import Role
from sigill.organisation.selectors import has_role


@register(TextTemplate)
class TextTemplatePolicy(Policy[TextTemplate]):
    def can_change(self, user: Any, template: TextTemplate | None) -> bool:
        return has_role(user, Role.COMMS)


@register(Municipality)
class MunicipalityPolicy(Policy[Municipality]):
    def can_change(self, user: Any, municipality: Municipality | None) -> bool:
        return has_role(user, Role.COMMS)
