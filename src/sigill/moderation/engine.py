"""The screening engine as Sigill runs it: the shipped word lists with comms' edits laid over them,
and the municipality's own public contact details as the allow-list."""

from __future__ import annotations

import re

from sigill.compliance.selectors import CommentRule, municipality
from sigill.moderation.models import Severity, WordList
from sigill.moderation.screening import DEFAULT_LEXICONS, VERSION, Finding, FindingType, Lexicon, Screener
from sigill.moderation.screening.screener import screener_for

ALLOW_LIST = "allow_list"

# How urgent a finding makes a case: threats and hate first, then what must not be spread.
SEVERITY = {
    FindingType.THREAT: Severity.CRITICAL,
    FindingType.HATE: Severity.CRITICAL,
    FindingType.PERSONNUMMER: Severity.HIGH,
    FindingType.SAMORDNINGSNUMMER: Severity.HIGH,
    FindingType.BANK: Severity.HIGH,
    FindingType.HEALTH: Severity.HIGH,
    FindingType.ETHNICITY: Severity.HIGH,
    FindingType.RELIGION: Severity.HIGH,
    FindingType.POLITICS: Severity.HIGH,
    FindingType.SEXUALITY: Severity.HIGH,
    FindingType.UNION: Severity.HIGH,
    FindingType.HARASSMENT: Severity.HIGH,
    FindingType.INDIVIDUAL_CASE: Severity.MEDIUM,
    FindingType.PHONE: Severity.MEDIUM,
    FindingType.EMAIL: Severity.MEDIUM,
    FindingType.ADDRESS: Severity.MEDIUM,
    FindingType.SPAM: Severity.LOW,
    FindingType.QUESTION: Severity.LOW,
}


# The comment rule a finding points to, offered as the reason to remove (the moderator may choose
# another). Findings of no rule (a question, an individual case) are absent.
RULE_OF_FINDING: dict[FindingType, CommentRule] = {
    FindingType.THREAT: CommentRule.UNLAWFUL_THREAT,
    FindingType.HATE: CommentRule.AGITATION,
    FindingType.HARASSMENT: CommentRule.PERSONAL_ATTACK,
    FindingType.SPAM: CommentRule.SPAM,
    **{
        kind: CommentRule.SENSITIVE_DATA
        for kind in FindingType
        if kind.value.startswith(("pii.", "sensitive."))
    },
}


_KNOWN_TYPES = frozenset(kind.value for kind in FindingType)


def rules_of(finding_types: list[str]) -> list[CommentRule]:
    """The comment rules ``finding_types`` point to, most severe finding first, each once."""
    known = sorted(
        (FindingType(kind) for kind in set(finding_types) if kind in _KNOWN_TYPES),
        key=lambda kind: (-SEVERITY[kind], kind.value),
    )
    rules: list[CommentRule] = []
    for kind in known:
        if (rule := RULE_OF_FINDING.get(kind)) is not None and rule not in rules:
            rules.append(rule)
    return rules


def unlawful_rules(finding_types: list[str]) -> list[CommentRule]:
    """The rules of law 1998:112 5 § (:meth:`CommentRule.unlawful`) that ``finding_types`` fall
    under: a comment with such a finding is removed, or kept with a written reason."""
    return [rule for rule in rules_of(finding_types) if rule in CommentRule.unlawful()]


def severity_of(findings: list[Finding]) -> int:
    return max((SEVERITY[finding.type] for finding in findings), default=Severity.NONE)


def default_terms(name: str) -> str:
    """A shipped word list as comms edits it: its terms separated by commas."""
    lexicon = next(lexicon for lexicon in DEFAULT_LEXICONS if lexicon.name == name)
    return ", ".join(lexicon.terms)


def list_names() -> list[str]:
    return [lexicon.name for lexicon in DEFAULT_LEXICONS]


def current_lists() -> dict[str, WordList]:
    """The newest version of every list comms has edited, by name."""
    newest: dict[str, WordList] = {}
    for word_list in WordList.objects.order_by("name", "-version"):
        newest.setdefault(word_list.name, word_list)
    return newest


def lexicons(edited: dict[str, WordList]) -> tuple[Lexicon, ...]:
    chosen = []
    for lexicon in DEFAULT_LEXICONS:
        if (word_list := edited.get(lexicon.name)) is not None:
            lexicon = Lexicon.from_text(lexicon.name, f"{VERSION}+v{word_list.version}", word_list.terms)
        chosen.append(lexicon)
    return tuple(chosen)


def allow_list(edited: dict[str, WordList]) -> tuple[str, ...]:
    place = municipality()
    own = [place.phone, place.email, place.street_address, place.website]
    # Separated by commas or line breaks, as the form says; an address written with a comma
    # ("Torggatan 19, 534 30 Vara") still allows itself, as an entry allows what starts with it.
    extra = re.split(r"[,\n]", edited[ALLOW_LIST].terms) if ALLOW_LIST in edited else []
    return tuple(entry.strip() for entry in (*own, *extra) if entry and entry.strip())


def screener() -> Screener:
    """The screener for the lists in use now (built once per set of lists, then kept)."""
    edited = current_lists()
    return screener_for(lexicons(edited), allow_list(edited))
