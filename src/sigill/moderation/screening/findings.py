"""What the screening engine reports: a finding per offending substring."""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable


class FindingType(enum.StrEnum):
    """The kinds of finding; the values are the stable codes the moderation queue stores."""

    PERSONNUMMER = "pii.personnummer"
    SAMORDNINGSNUMMER = "pii.samordningsnummer"
    PHONE = "pii.phone"
    EMAIL = "pii.email"
    ADDRESS = "pii.address"
    BANK = "pii.bank"
    HEALTH = "sensitive.health"
    ETHNICITY = "sensitive.ethnicity"
    RELIGION = "sensitive.religion"
    POLITICS = "sensitive.politics"
    SEXUALITY = "sensitive.sexuality"
    UNION = "sensitive.union"
    INDIVIDUAL_CASE = "individual_case"
    THREAT = "threat"
    HATE = "hate"
    HARASSMENT = "harassment"
    SPAM = "spam"
    QUESTION = "question"

    @property
    def is_personal_data(self) -> bool:
        """Directly identifying personal data (the ``pii.*`` types)."""
        return self in _PERSONAL_DATA


_PERSONAL_DATA = frozenset(kind for kind in FindingType if kind.value.startswith("pii."))


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """One offending substring: ``text[start:end]`` (end exclusive) is exactly what was found.

    ``detector`` names the code that found it; ``lexicon`` and ``lexicon_version`` name the word
    list that matched, when one did, so that a moderator's "this is wrong" can be counted against
    the detector and the word list version that produced the finding.
    """

    type: FindingType
    start: int
    end: int
    confidence: float
    explanation: str
    detector: str
    lexicon: str | None = None
    lexicon_version: str | None = None

    @classmethod
    def of_match(
        cls, match: re.Match[str], kind: FindingType, confidence: float, explanation: str, detector: str
    ) -> Finding:
        """A finding of exactly what a detector's pattern matched."""
        return cls(kind, match.start(), match.end(), confidence, explanation, detector)


def _rival_group(finding: Finding) -> str:
    """Findings in one group may not overlap. A number is one kind of personal data, not two."""
    return "pii" if finding.type.is_personal_data else finding.type.value


def without_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep findings of one type from overlapping: of two that overlap, the surer (then longer) wins.

    The kinds of personal data compete too (a number is an identity number or a phone number).
    Other findings may overlap: a sentence can be both a question and an individual case.
    """
    findings = list(findings)
    if len(findings) < 2:
        return findings
    ranked = sorted(findings, key=lambda f: (-f.confidence, -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for finding in ranked:
        group = _rival_group(finding)
        if not any(
            _rival_group(other) == group and other.start < finding.end and finding.start < other.end
            for other in kept
        ):
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end, f.type.value))
