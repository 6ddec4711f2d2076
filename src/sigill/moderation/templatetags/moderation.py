"""Template filters for screening findings: their names as moderators read them."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sigill.moderation.engine import SEVERITY
from sigill.moderation.models import Severity
from sigill.moderation.screening import FindingType

register = template.Library()

FINDING_LABELS: dict[str, Promise] = {
    FindingType.PERSONNUMMER: _("Identity number"),
    FindingType.SAMORDNINGSNUMMER: _("Coordination number"),
    FindingType.PHONE: _("Phone number"),
    FindingType.EMAIL: _("E-mail address"),
    FindingType.ADDRESS: _("Street address"),
    FindingType.BANK: _("Bank or card number"),
    FindingType.HEALTH: _("Health"),
    FindingType.ETHNICITY: _("Ethnic origin"),
    FindingType.RELIGION: _("Religion"),
    FindingType.POLITICS: _("Political opinion"),
    FindingType.SEXUALITY: _("Sexual orientation"),
    FindingType.UNION: _("Trade union membership"),
    FindingType.INDIVIDUAL_CASE: _("Individual case"),
    FindingType.THREAT: _("Threat"),
    FindingType.HATE: _("Hate against a group"),
    FindingType.HARASSMENT: _("Harassment"),
    FindingType.SPAM: _("Spam or advertising"),
    FindingType.QUESTION: _("Question for the contact center"),
}


@register.filter
def finding_label(kind: str) -> str | Promise:
    return FINDING_LABELS.get(kind, kind)


@register.filter
def is_serious(kind: str) -> bool:
    try:
        return SEVERITY[FindingType(kind)] >= Severity.HIGH
    except ValueError:
        return False
