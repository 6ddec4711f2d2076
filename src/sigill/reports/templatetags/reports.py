"""Numbers as a Swedish report shows them: hours with one decimal, shares as percentages, and a
dash where there is nothing to show."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from sigill.reports import labels
from sigill.reports.figures import DecisionCount

register = template.Library()
NOTHING = "–"
NBSP = "\u00a0"


@register.filter
def hours(value: float | None) -> str:
    return NOTHING if value is None else f"{number_format(value, 1)}{NBSP}h"


@register.filter
def percent(value: float | None) -> str:
    return NOTHING if value is None else f"{number_format(value * 100, 0)}{NBSP}%"


@register.filter
def amount(value: float | None) -> str:
    """A count as it is, a measured value with one decimal, nothing as a dash."""
    if value is None:
        return NOTHING
    return number_format(value, 0 if isinstance(value, int) else 1, use_l10n=True)


@register.filter
def decision_label(count: DecisionCount) -> str:
    return labels.decision(count.act, count.reason)


@register.filter
def source_label(source: str) -> str:
    return labels.inquiry_source(source)
