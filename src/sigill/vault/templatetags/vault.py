"""``{{ name|field_label }}``: the readable name of a sealed field."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise

from sigill.vault.models import FIELD_LABELS

register = template.Library()


@register.filter
def field_label(name: str) -> str | Promise:
    return FIELD_LABELS.get(name, name)
