"""The demo has an on-call rota for the coming weeks and the alerts its critical comments raised."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from sigill.alerts import selectors
from sigill.alerts.models import Alert, Reason, RotaDay, RotaWeek
from sigill.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_rota_and_alerts_once_on_its_critical_comments() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
        counts = (RotaWeek.objects.count(), RotaDay.objects.count(), Alert.objects.count())
        call_command("seed_demo", verbosity=0)
    assert (RotaWeek.objects.count(), RotaDay.objects.count(), Alert.objects.count()) == counts
    assert RotaWeek.objects.count() >= 6
    alerted = set(
        Alert.objects.filter(reason=Reason.CRITICAL_FINDING).values_list("case__item__object_id", flat=True)
    )
    assert {"demo-mod-threat", "demo-mod-pnr"} <= alerted
    assert (
        AuditEntry.objects.filter(act="alerts.alert.raised").count()
        == Alert.objects.filter(digest__isnull=True).count()
    )
    first = RotaWeek.objects.order_by("week_start").first()
    assert first is not None
    assert all(week.person is not None for week in selectors.rota(first.week_start, 6))
