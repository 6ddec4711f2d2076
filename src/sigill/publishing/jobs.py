"""Publishing's periodic job: handing approved posts whose time has come to the connectors."""

from __future__ import annotations

from sigill.core import scheduler


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    return []
