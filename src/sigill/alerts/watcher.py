"""What moderation calls, through ``moderation.watchers``: alerts on critical findings, and whether the
rota keeps a critical case's clock running on a weekend day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from sigill.alerts import selectors, services
from sigill.alerts.models import Reason


class AlertsWatcher:
    def __init__(self, clock: Callable[[], dt.datetime] = timezone.now) -> None:
        # When the alert is raised decides who is told (office hours, the rota); the tests set it.
        self.clock = clock

    def case_screened(self, *, case: Any, finding_types: frozenset[str]) -> None:
        if critical := services.critical_types(finding_types):
            services.raise_alert(
                case=case, reason=Reason.CRITICAL_FINDING, finding_types=critical, now=self.clock()
            )

    def clock_runs(self, day: dt.date, finding_types: frozenset[str]) -> bool:
        return bool(services.critical_types(finding_types)) and selectors.is_staffed(day)
