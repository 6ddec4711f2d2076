"""Helpers for inquiry tests: a question forwarded through the e-service."""

from __future__ import annotations

from django.utils import timezone

from sigill.inquiries import services
from sigill.inquiries.models import Inquiry
from sigill.organisation.models import User


def forward(by: User, question: str = "När plogas Storgatan?") -> Inquiry:
    return services.create_inquiry(
        question=question,
        asked_where="Kommentar på min privata Facebooksida",
        asked_at=timezone.now(),
        asker_contact="anna@example.se",
        source=Inquiry.Source.ESERVICE,
        by=by,
    )
