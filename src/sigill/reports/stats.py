"""The few statistics the reports use, defined so that a reader can check them by hand.

* The median is the middle value, or the mean of the two middle values of an even count.
* The 90th percentile is by nearest rank: the smallest value with at least 90 % of the values at
  or below it, i.e. the ⌈0.9·n⌉-th smallest. It is always one of the observed values.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], p: int) -> float | None:
    """The ``p``-th percentile by nearest rank (see the module docstring)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-p * len(ordered) // 100))  # ⌈p·n/100⌉ in integers
    return ordered[rank - 1]


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a fraction (0–1), or None when there is nothing to share."""
    return part / whole if whole else None


def hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600
