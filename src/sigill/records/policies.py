"""Who may work with the records.

The registrar handles disclosure requests (they read every archived item, secret ones too).
Retention rules and legal holds are kept by the registrar and comms together; only the registrar
runs a disposal. E-archive packages are made by the registrar and comms. Closing an account is
comms' work; the registrar follows it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sigill.core.policies import Policy, register
from sigill.organisation.models import Role
from sigill.organisation.selectors import has_role
from sigill.records.models import DisclosureRequest


def is_registrar(user: Any) -> bool:
    return has_role(user, Role.REGISTRAR)


def keeps_records(user: Any) -> bool:
    return has_role(user, Role.REGISTRAR, Role.COMMS)


@register(DisclosureRequest)
class DisclosureRequestPolicy(Policy[DisclosureRequest]):
    def can_view(self, user: Any, request: DisclosureRequest | None) -> bool:
        return is_registrar(user)

    def view_queryset(self, user: Any, requests: QuerySet[DisclosureRequest]) -> QuerySet[DisclosureRequest]:
        return requests if is_registrar(user) else requests.none()

    def can_create(self, user: Any, request: DisclosureRequest | None) -> bool:
        return is_registrar(user)

    def can_review(self, user: Any, request: DisclosureRequest | None) -> bool:
        """Select records, review them, decide: only while the request is open."""
        return is_registrar(user) and (request is None or request.is_open)

    def can_download(self, user: Any, request: DisclosureRequest | None) -> bool:
        return is_registrar(user) and (request is None or request.state == DisclosureRequest.State.DECIDED)
