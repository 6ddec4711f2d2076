"""Screening of comments for personal data, sensitive data, cases, threats, hate, spam and questions.

Pure Python, no Django: ``screen(text)`` returns the findings of one comment. The moderation queue
(later) passes communications' own word lists and the municipality's contact details as the
allow-list, through ``screen(text, lexicons=..., allow_list=...)`` or a ``Screener``.
"""

from sigill.moderation.screening.findings import Finding, FindingType
from sigill.moderation.screening.lexicon import Lexicon
from sigill.moderation.screening.screener import AllowList, Screener, screen
from sigill.moderation.screening.wordlists import DEFAULT_LEXICONS, VERSION

__all__ = [
    "DEFAULT_LEXICONS",
    "VERSION",
    "AllowList",
    "Finding",
    "FindingType",
    "Lexicon",
    "Screener",
    "screen",
]
