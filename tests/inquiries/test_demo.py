"""The demo questions fill the queue in every state and run again without change."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from sigill.inquiries import selectors
from sigill.inquiries.models import Inquiry, InquiryEvent
from sigill.organisation.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_overdue_answered_and_registered_questions() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
        counts = (Inquiry.objects.count(), InquiryEvent.objects.count())
        call_command("seed_demo", verbosity=0)
    assert (Inquiry.objects.count(), InquiryEvent.objects.count()) == counts
    assert set(Inquiry.objects.values_list("state", flat=True)) == {"open", "answered", "closed"}
    # The moderation queue forwards questions too (the reports demo's year of comments).
    assert set(Inquiry.objects.values_list("source", flat=True)) == {"eservice", "email", "moderation"}
    assert selectors.overdue(User.objects.get(username="contact_center")).exists()
    assert Inquiry.objects.filter(sent_to_records_at__isnull=False).exists()
