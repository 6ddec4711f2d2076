"""Template filters of the archive."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def local_time(moment: dt.datetime | None) -> str:
    """Local (Stockholm) time with its UTC offset, e.g. ``2025-10-26 02:30:00 +0100``.

    Django's ``O`` and ``T`` formats print nothing for the hour that occurs twice when clocks go
    back; Python's zoneinfo knows which of the two it is, so the record stays unambiguous.
    """
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %z")
