"""Template tags for permission checks and small UI pieces."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.db.models import Model
from django.utils.functional import Promise

from sigill.core import audit, policies

register = template.Library()


@register.filter
def act_label(act: str) -> str | Promise:
    """The readable name of an audit act, e.g. "Role granted" for ``organisation.membership.granted``."""
    return audit.act_label(act)


@register.filter
def model_label(label_lower: str) -> str | Promise:
    """The verbose name of a model from its ``app_label.model`` label, or the label itself."""
    try:
        return apps.get_model(label_lower)._meta.verbose_name or label_lower
    except (LookupError, ValueError):
        return label_lower


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Model | str) -> bool:
    """``{% can "view" entry as may_view %}``: ask the object's permission policy for the current user."""
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    return policies.can(user, action, obj)
