"""The demo records cover every request state, rules, a hold, a past disposal and a closure, and seed twice
without change; the archive still verifies after the demo's disposal."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from sigill.records.models import AccountClosure, DisclosureRequest, DisposalRecord, LegalHold, RetentionRule

pytestmark = pytest.mark.django_db


def test_the_demo_has_requests_in_every_state_rules_a_hold_and_a_disposal() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
        counts = (
            DisclosureRequest.objects.count(),
            RetentionRule.objects.count(),
            DisposalRecord.objects.count(),
            AccountClosure.objects.count(),
        )
        call_command("seed_demo", verbosity=0)
    assert (
        DisclosureRequest.objects.count(),
        RetentionRule.objects.count(),
        DisposalRecord.objects.count(),
        AccountClosure.objects.count(),
    ) == counts
    assert AccountClosure.objects.filter(closed_at__isnull=True).count() == 1
    assert set(DisclosureRequest.objects.values_list("state", flat=True)) == {"open", "decided", "withdrawn"}
    assert LegalHold.objects.filter(released_at__isnull=True).exists()
    assert DisposalRecord.objects.get().items > 0
    call_command("verify_archive", verbosity=0)
