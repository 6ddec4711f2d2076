"""Swedish street addresses: a street, a house number, and optionally a postcode and a town."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sigill.moderation.screening.findings import Finding, FindingType

_SUFFIXES = (
    "gatan|gata|vägen|väg|gränden|gränd|stigen|stig|torget|torg|allén|allé|backen|backe|platsen|plan"
    "|leden|stråket|slingan|höjden|liden|ringen|kroken|svängen|gården|hagen|brynet|lunden|parken"
    "|dalen|berget|udden|ängen|heden|kullen|gärdet|vallen|bäcken|stranden|tegen|backarna"
)
_LETTER = "A-Za-zÅÄÖåäöÉéÜü"
# The street word needs at least two letters before its suffix, so "vägen 5" or "gata 3" on
# their own stay quiet; a leading word like "Gamla" or "Norra" belongs to the name. A house number
# followed by a unit ("Storgatan 2 veckor") or a range ("Storgatan 2–8", road works on a stretch)
# is no one's home; nor is a national road ("riksväg 47").
_ADDRESS = re.compile(
    rf"(?<![\w-])(?!(?i:riks|läns|europa)väg)(?:(?:Gamla|Stora|Lilla|Norra|Södra|Östra|Västra|Nya|Övre|Nedre) [{_LETTER}]*"
    rf"|[{_LETTER}]{{2,}})(?:{_SUFFIXES}) "
    rf"\d{{1,4}}(?: ?[A-Da-d](?![{_LETTER}\d]))?(?:,? (?:lgh|lägenhet) \d{{4}})?"
    rf"(?![\d{_LETTER}]| ?[-–] ?\d|[.,]\d"
    rf"| (?:km|m|meter|min|minuter|timmar|tim|veckor|dagar|år|kr|st|gånger|procent|%)\b)"
    rf"(?P<postcode>,? \d{{3}} ?\d{{2}}(?: [A-ZÅÄÖ][{_LETTER}]+)?(?![\d{_LETTER}]))?"
)


# After "bor på" (lives at) or "adress", a name and a house number are an address whatever the
# street is called: "hon bor på Skogsbrynet 11", "adressen är Kvarnbacka 4B".
_AFTER_HOME_WORD = re.compile(
    rf"\b(?:bor på|bor i|bor vid|adress|adressen är|adressen|hem till) "
    rf"((?:[A-ZÅÄÖ][{_LETTER}]+ ){{0,2}}[A-ZÅÄÖ][{_LETTER}]{{2,}} \d{{1,4}}(?: ?[A-Da-d](?![{_LETTER}\d]))?"
    rf"(?:,? \d{{3}} ?\d{{2}}(?: [A-ZÅÄÖ][{_LETTER}]+)?)?)(?![\d{_LETTER}]|[.,]\d)",
)

# Every street suffix ends in one of these letters; a text where none is followed by a number has
# no address, and the costlier pattern need not run.
_SUFFIX_END_AND_NUMBER = re.compile(r"[nagdtée] \d")


def find_addresses(text: str) -> Iterator[Finding]:
    """Street addresses with a house number; a street name alone is a place, not an address."""
    for match in _AFTER_HOME_WORD.finditer(text):
        yield Finding(
            FindingType.ADDRESS,
            match.start(1),
            match.end(1),
            0.85,
            "Ser ut som en adress där en person bor.",
            "street_address",
        )
    if not _SUFFIX_END_AND_NUMBER.search(text):
        return
    for match in _ADDRESS.finditer(text):
        yield Finding.of_match(
            match,
            FindingType.ADDRESS,
            0.95 if match.group("postcode") else 0.85,
            "Ser ut som en gatuadress. Den kan peka ut var en enskild person bor.",
            "street_address",
        )
