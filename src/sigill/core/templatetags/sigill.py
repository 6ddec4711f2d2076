"""Template tags for permission checks and small UI pieces."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from sigill.core import audit, audit_details, policies
from sigill.core.text import FSI, PDI, isolate_direction, needs_isolation

register = template.Library()


@register.filter
def bdi(value: object) -> SafeString:
    """Text from outside (platform content, a name someone typed), escaped and isolated for
    direction: in ``<bdi>`` for browsers, and with FSI ... PDI inside when it holds right-to-left
    letters or directional controls, for renderers that ignore ``<bdi>`` (the PDFs)."""
    text = "" if value is None else value
    if needs_isolation(str(text)):
        return format_html("<bdi>{}{}{}</bdi>", FSI, text, PDI)
    return format_html("<bdi>{}</bdi>", text)


@register.filter(is_safe=True)
def isolated(value: object) -> str:
    """Text isolated for direction with FSI ... PDI and no markup, where ``<bdi>`` cannot stand: a
    page's ``<title>``. Escaping is left to the template (the input's safety is kept)."""
    return isolate_direction("" if value is None else str(value))


@register.inclusion_tag("core/partials/_long_text.html")
def long_text(text: object) -> dict[str, Any]:
    """A long text (a question, a comment) as a preview, with the whole text one click away; a
    short one as it is. Line breaks are kept; everything is escaped."""
    return {"whole": "" if text is None else str(text), "limit": settings.LONG_TEXT_PREVIEW_CHARS}


@register.filter
def act_label(act: str) -> str | Promise:
    """The readable name of an audit act, e.g. "Role granted" for ``organisation.membership.granted``."""
    return audit.act_label(act)


@register.filter
def detail_pairs(details: Any) -> list[tuple[str | Promise, Any]]:
    """An audit entry's details as (key, value) pairs, in words.

    A template's ``details.items`` would look up a detail named "items" first (an export's count of
    items, say) and then fail to iterate a number; reading the pairs here never does.
    """
    return audit_details.readable(details)


@register.filter
def model_label(label_lower: str) -> str | Promise:
    """The verbose name of a model from its ``app_label.model`` label, or the label itself."""
    try:
        return apps.get_model(label_lower)._meta.verbose_name or label_lower
    except (LookupError, ValueError):
        return label_lower


@register.simple_tag
def json_ld(data: dict[str, Any]) -> SafeString:
    """A schema.org ``<script type="application/ld+json">`` block.

    As Django's own ``json_script``: the JSON is escaped for the script context (``<``, ``>`` and
    ``&`` as unicode escapes), so no value can end the element, and is then marked safe.
    """
    escaped = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(escaped))  # noqa: S308


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Model | str) -> bool:
    """``{% can "view" entry as may_view %}``: ask the object's permission policy for the current user."""
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    return policies.can(user, action, obj)


@register.simple_tag(takes_context=True)
def page_link(context: template.Context, number: int, param: str = "page") -> str:
    """The address of page ``number`` of a list: the request's own filters kept, only the page changed."""
    query = context["request"].GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()
