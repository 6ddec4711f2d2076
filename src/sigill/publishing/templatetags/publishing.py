from __future__ import annotations

from django import template
from django.utils.functional import Promise

from sigill.publishing import advice

register = template.Library()


@register.filter
def finding_title(code: str) -> str | Promise:
    return advice.title_of(code)


@register.filter
def finding_advice(code: str) -> str | Promise:
    return advice.advice_of(code)
