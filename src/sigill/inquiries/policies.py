"""Who may do what with an inquiry.

Every employee forwards questions and follows their own; the contact center and comms work the
queue (assign, answer, close); the registrar reads every inquiry and sends it to the records
system, as may the contact center.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sigill.core.policies import Policy, register
from sigill.inquiries.models import Inquiry
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role

WORKERS = (Role.CONTACT_CENTER, Role.COMMS)
READERS = (*WORKERS, Role.REGISTRAR)


@register(Inquiry)
class InquiryPolicy(Policy[Inquiry]):
    def can_create(self, user: User, inquiry: Inquiry | None) -> bool:
        return True  # every employee may forward a question

    def can_view(self, user: User, inquiry: Inquiry | None) -> bool:
        if inquiry is None or has_role(user, *READERS):
            return True
        return inquiry.forwarded_by_id == user.pk

    def view_queryset(self, user: User, inquiries: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
        if has_role(user, *READERS):
            return inquiries
        return inquiries.filter(forwarded_by=user)

    def can_search(self, user: User, inquiry: Inquiry | None) -> bool:
        return has_role(user, *READERS)

    def can_work(self, user: User, inquiry: Inquiry | None) -> bool:
        """The queue: assign, answer and close."""
        return has_role(user, *WORKERS)

    def can_register(self, user: User, inquiry: Inquiry | None) -> bool:
        """Send the inquiry to the registrar's records system."""
        return has_role(user, Role.REGISTRAR, Role.CONTACT_CENTER)
