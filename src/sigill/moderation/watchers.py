"""Who else wants to know what screening found, and whether someone is on call to act on it.

Moderation knows nothing about alerts. An app that wants to hear about screened cases registers a
:class:`CaseWatcher` when it loads (``watchers.register(AlertsWatcher())`` in its
``AppConfig.ready``), as the connectors register their platform actors in ``platform_acts``. The
call is explicit, in the screening service's transaction: no signal, no import of the watcher here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sigill.moderation.models import Case


class CaseWatcher(Protocol):
    def case_screened(self, *, case: Case, finding_types: frozenset[str]) -> None:
        """Screening stored new findings on ``case``; called inside that transaction."""

    def clock_runs(self, day: dt.date, finding_types: frozenset[str]) -> bool:
        """Whether a case with these findings has its time target counted on ``day`` even where the
        account's weekends do not count (someone is on call that day)."""


_watchers: list[CaseWatcher] = []


def register(watcher: CaseWatcher) -> None:
    if not any(type(existing) is type(watcher) for existing in _watchers):
        _watchers.append(watcher)


def unregister(watcher_type: type) -> None:
    _watchers[:] = [watcher for watcher in _watchers if type(watcher) is not watcher_type]


def case_screened(*, case: Case, finding_types: Collection[str]) -> None:
    found = frozenset(finding_types)
    for watcher in _watchers:
        watcher.case_screened(case=case, finding_types=found)


def on_call_for(finding_types: Collection[str]) -> Callable[[dt.date], bool] | None:
    """The days on which a case with these findings is on the clock though it is a weekend, or None."""
    found = frozenset(finding_types)
    if not found or not _watchers:
        return None
    return lambda day: any(watcher.clock_runs(day, found) for watcher in _watchers)
