"""The iCalendar (RFC 5545) text of a person's scheduled posts: one event per post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone

_FORMAT = "%Y%m%dT%H%M%SZ"
# A post is shown as a quarter of an hour in the calendar.
LENGTH = dt.timedelta(minutes=15)


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545, 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545, 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def render(drafts: Iterable[Any], *, base: str) -> str:
    now = timezone.now().astimezone(dt.UTC).strftime(_FORMAT)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Sigill//Publishing//SV", "CALSCALE:GREGORIAN"]
    for draft in drafts:
        start = draft.scheduled_at.astimezone(dt.UTC)
        accounts = ", ".join(str(target.account) for target in draft.targets.all())
        lines += [
            "BEGIN:VEVENT",
            f"UID:draft-{draft.pk}@sigill",
            f"DTSTAMP:{now}",
            f"DTSTART:{start.strftime(_FORMAT)}",
            f"DTEND:{(start + LENGTH).strftime(_FORMAT)}",
            f"SUMMARY:{escape(draft.title)}",
            f"DESCRIPTION:{escape(f'{draft.get_state_display()}: {accounts}')}",
            f"URL:{base.rstrip('/')}{reverse('publishing:draft', kwargs={'pk': draft.pk})}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
