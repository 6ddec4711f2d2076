"""Template tags for permission checks and small UI pieces."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from sigill.core import policies

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Model | str) -> bool:
    """``{% can "view" entry as may_view %}``: ask the object's permission policy for the current user."""
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    return policies.can(user, action, obj)
