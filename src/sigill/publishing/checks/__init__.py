"""The checks a post goes through before it is published, as pure functions (no Django).

Each check reads a text (or what is known of its media) and returns :class:`Finding` rows: a
stable code, how serious it is, and the passage it is about. ``publishing.review`` runs them with
the screening engine's findings and the account's facts; the pages turn codes into Swedish advice.
"""

from sigill.publishing.checks.accessibility import capitals_runs, emoji_runs, hashtags_not_in_camel_case
from sigill.publishing.checks.findings import Finding, Severity
from sigill.publishing.checks.readability import lix, long_sentences, officialese, reads_hard

__all__ = [
    "Finding",
    "Severity",
    "capitals_runs",
    "emoji_runs",
    "hashtags_not_in_camel_case",
    "lix",
    "long_sentences",
    "officialese",
    "reads_hard",
]
