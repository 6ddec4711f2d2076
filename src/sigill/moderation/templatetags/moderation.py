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


# The shipped word lists by what they hold (the names are the code's; a test holds every list named).
WORD_LIST_LABELS: dict[str, Promise] = {
    "person": _("Words for people (who a sentence is about)"),
    "topic_marker": _("Words that make a topic, not a person"),
    "health": _("Health"),
    "ethnicity": _("Ethnic origin"),
    "religion": _("Religion or belief"),
    "politics": _("Political opinion"),
    "sexuality": _("Sexual orientation"),
    "union": _("Trade union membership"),
    "individual_case": _("Individual cases (social services, school, care, permits)"),
    "case_negative": _("Words that show it is not an individual case"),
    "threat": _("Threatening phrases"),
    "threat_verb": _("Violent verbs"),
    "target": _("Who an attack can be aimed at"),
    "group": _("Groups of people"),
    "hate_predicate": _("Hateful statements about groups"),
    "slur": _("Slurs"),
    "insult": _("Insults"),
    "abuse": _("Abusive words"),
    "spam": _("Spam and advertising"),
    "spam_hint": _("Signs of spam"),
    "question_opener": _("How questions begin"),
    "question_phrase": _("Question phrases"),
    "allow_list": _("Allow list (never flagged)"),
}

DETECTOR_LABELS: dict[str, Promise] = {
    "identity_number": _("Identity numbers (check digit)"),
    "bank_number": _("Bank and card numbers (check digit)"),
    "phone_number": _("Phone numbers"),
    "street_address": _("Street addresses"),
    "question": _("Questions"),
    "model": _("Trained model"),
}


@register.filter
def word_list_label(name: str) -> str | Promise:
    return WORD_LIST_LABELS.get(name, name)


@register.filter
def detector_label(detector: str) -> str | Promise:
    """A detector by what it finds: a word-list rule is named for its kind of finding."""
    return DETECTOR_LABELS.get(detector) or FINDING_LABELS.get(detector) or detector
