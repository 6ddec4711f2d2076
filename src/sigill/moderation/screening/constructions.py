"""Swedish constructions that carry a threat, incitement, contempt for a group or an insult.

A word list knows words; a threat is a construction: someone (I, we, somebody) intends or wishes
harm (will, should, is going to) to someone, or lets them know they are watched (we know where you
live), or a veiled "it would be a pity if something happened". Each pattern below names one such
construction and is matched on a sentence that is lower-cased, with å, ä and ö folded and the
digits and signs of an obfuscated word read as letters ("sl@ ihjäl" → "sla ihjal"), so that the
model (``classifier.py``) can weigh it. The patterns are written from the grammar of the language,
not from the labelled comments.
"""

from __future__ import annotations

import re

# Harm done to a person or their property, as verbs people use for it (folded, any inflection).
_HARM = (
    r"(?:do?d(?:a|ar|as|e)\b|mo?rd(?:a|ar)|slakt(?:a|ar)|skjut(?:a|er)?|skot|knivhugg|hugg(?:a|er)|"
    r"sticka? (?:kniven|en kniv)|sla (?:ihjal|sonder|ner)|slar? (?:ihjal|sonder|ner)|"
    r"sla(?:r)? (?:dig|er|honom|henne|hen)|sla? ihja?l|kopa strypen|kor(?:a|er)? over|overkord|"
    r"brannas|satt(?:a|er)? fyr|hitta (?:dig|er|honom|henne)|find (?:you|him|her)|make (?:you|him|her) pay|"
    r"put a bullet|bullet|spo(?:a|ar)|misshandl|strypa?|krossa|hang(?:a|er)? upp|"
    r"brann(?:a|er)? (?:ner|upp)|tand(?:a|er)? eld|satt(?:a|er)? eld|sprang(?:a|er)?|bomba|"
    r"ta livet av|ha ihjal|skada|valdta|skara (?:halsen|upp)|kill|shoot|stab|hurt|burn|beat|"
    r"break (?:his|her|your|their)|murder)"
)
_SUBJECT = r"(?:jag|ja|vi|nan|nagon|man|i'?ll|we'?ll|i|we)"
_INTENT = r"(?:ska|skall|kommer (?:att )?|tanker|tanke|gonna|will|is going to|am going to|ska ja)"
_TARGET = r"(?:dig|er|honom|henne|hen|dem|era?|din|ditt|dina|hans|hennes|you|him|her|them)"
_PATTERNS: dict[str, str] = {
    # "jag ska döda dig", "vi kommer att bränna ner", "I'm gonna hurt someone"
    "intent_to_harm": rf"\b{_SUBJECT}\b(?:\W+\w+){{0,3}}\W+{_INTENT}\b(?:\W+\w+){{0,4}}?\W+{_HARM}",
    # "någon borde skjuta honom", "skjut kommunalrådet", "häng upp hela fullmäktige"
    "incitement": rf"\b(?:nan|nagon|man|folk|someone|somebody)\b\W+(?:borde|ska|maste|should)\b(?:\W+\w+){{0,4}}?\W+{_HARM}"
    r"|^\W*(?:skjut|hang upp|brann ner|dod(?:a)?|slakta|spranga|sla ihjal)\b",
    # "vi vet var du bor", "jag har koll på era barn", "I know where you live"
    "watched": r"\b(?:vet|vet precis|har koll pa|kanner till|know)\b(?:\W+\w+){0,2}?\W+"
    r"(?:var|vilken|vilket|vem|vilka|nar|where|when)?\W*(?:\w+\W+){0,2}?"
    r"(?:bor|parkerar|kor|gar|slutar|jobbar|live|work|skola|dagis|barn|ungar|kids)",
    # "det vore synd om något hände", "akta dig", "se dig över axeln", "ni är varnade"
    "veiled": r"\b(?:vore|skulle vara|blir)\b\W+(?:ju\W+)?(?:synd|tragiskt|trakigt|trist|olyckligt)\b(?:\W+\w+){0,3}?\W+(?:hande|hander|hander nat|brann|brinner)"
    r"|\bakta (?:dig|er|sig)\b|\bse (?:dig|er) over axeln|\b(?:ar|e) varnade?\b|\bni vet vilka ni ar\b"
    r"|\bfar (?:du|ni) se vad som hander\b|\bdet (?:kommer att |kommer )?(?:bli|blir) blod\b|"
    r"\b(?:ska|kommer att|kommer) (?:fa )?angra\b|\bwatch your back\b|\binte kanna (?:dig|er) saker\b",
    # "ska få spö", "ska få en smäll", "kommer få brutna fingrar"
    "punishment": r"\b(?:ska|skall|kommer (?:att )?)\W*(?:fa|fa sig)\b(?:\W+\w+){0,2}?\W+"
    r"(?:spo|stryk|small|kok stryk|brutna|en kula|kniven|betala|sota)",
    # "kommer hem till dig", "står jag där", "hälsa på er en natt"
    "visit": r"\b(?:kommer|kommer vi|kommer jag|ska|skall)\b(?:\W+\w+){0,2}?\W+(?:hem till|hem till er|till er hemma|halsa pa|och hamtar)",
    # contempt for a group: "X är parasiter/råttor/djur", "ska skickas hem", "utrota"
    "dehumanising": r"\b(?:ar|e|are)\b(?:\W+\w+){0,2}?\W+(?:parasit\w*|ratt\w*|kackerlack\w*|ohyra|djur|apor|avskum|"
    r"smitta|pest|cancer|vermin|animals|rats|inte manniskor|undermanniskor|en sjukdom)",
    "expel": r"\b(?:skickas hem|kastas ut|ut ur (?:landet|sverige)|aka hem|go back|deporter\w*|utvis\w*|utrot\w*|gasa\w*|rensa ut)",
    # an insult aimed at a person: "din jävla idiot", "du är så jävla dum"
    "aimed_insult": r"\b(?:din|ditt|dina|du ar|du e|ni ar|ni e|er|you|you're|javla)\b(?:\W+\w+){0,2}?\W+"
    r"(?:idiot\w*|puck\w*|jav\w*|kuk\w*|fitt\w*|hor\w*|luder|karring|fetto|fet\w*|ful\w*|"
    r"dum\w*|korkad\w*|efterbliv\w*|mongo|cp|ackel|clown\w*|as|svin|krak|loser|moron|stupid|ugly|bitch)",
}
# The groups hets mot folkgrupp protects, as people name them (folded), slurs included.
_GROUP = (
    r"(?:invandrar\w*|utlanning\w*|flykting\w*|nyanland\w*|asylsok\w*|ensamkommande|muslim\w*|muzz\w*|"
    r"islamist\w*|jud(?:e|ar|arna|inn\w*)\b|jude\w+|romer\w*|zig+\w*|samer(?:na)?\b|lapp(?:ar|arna|javl\w*)|"
    r"somali\w*|arab\w*|afrikan\w*|africans?|svartingar?\w*|svarta\b|blatt\w*|n\w?gg\w*|neger\w*|kines\w*|"
    r"pakistan\w*|kurd\w*|polack\w*|finnjavl\w*|ukrain\w*|syrier\w*|afghan\w*|mellanostern|iraki\w*|"
    r"eritre\w*|bog(?:ar|arna|javl\w*)|homo(?:s|sar|sexuella|sarna)?\b|flator|lesbiska|trans(?:or|personer|sexuella)\w*|"
    r"tt\w*are|hbtq\w*|immigrants?|muslims?|jews?|gays?|moske\w*|synagog\w*)"
)
_CONTEMPT = (
    r"(?:sjuka?|smutsig\w*|kriminell\w*|dumma?|lagre iq|lower iq|valdtaktsman\w*|t\w?rrorist\w*|snyltare|"
    r"parasit\w*|djur|apor|blodiglar|ohyra|pack\w*|avskum|luktar|inte manniskor|inte barn|styr\b|tar over|"
    r"tar alla jobb|forstor|sprider|ska hem|borde inte|ska inte fa|inte fa|ut med|javla|fy fan|fuck|askiga?)"
)
_PATTERNS.update(
    {
        "group": rf"\b{_GROUP}",
        "group_generalised": rf"\b(?:alla|dessa|de|dom|sadana|era|all|these)\b(?:\W+\w+){{0,2}}?\W+{_GROUP}",
        "group_contempt": rf"\b{_GROUP}(?:\W+\w+){{0,6}}?\W+{_CONTEMPT}|\b{_CONTEMPT}(?:\W+\w+){{0,3}}?\W+{_GROUP}",
        "group_compound_slur": r"\b\w{3,}(?:javlar|javlarna|packet|djavlar)\b|\bjavla \w+(?:ar|er|or)\b",
        "group_harm": rf"{_HARM}(?:\W+\w+){{0,4}}?\W+{_GROUP}|\b{_GROUP}(?:\W+\w+){{0,4}}?\W+{_HARM}",
        "weapon": r"\b(?:bensin|facklor|fackla|hagelbossa|vapen|kniv(?:en)?|kulor?|gevar|pistol|ambulans|gun|bullet|molotov)\b",
        "wish_harm": r"\bhoppas\b(?:\W+\w+){0,3}?\W+(?:dor|kor over|blir overkord|valdtar|skjuter|brinner|hamnar|far cancer|drunknar)",
        "you_are_dead": r"\b(?:du ar dod|ni ar doda|du kommer (?:att )?do|you'?re dead|you are dead|ligger du i diket|int blir han gammal)",
        "veiled_idiom": r"\b(?:man vet aldrig vad som kan handa|var radd|vi ses (?:dar|utanfor|ikvall|i kvall|imorgon|i morgon)|"
        r"ta det lugnt pa vagen hem|om du vet vad som ar bast|ska vara glada att vi inte|gor (?:henne|honom|dem) ett besok|"
        r"hitta (?:hans|hennes|deras) adress|halsa pa (?:honom|henne|dem|er|dig)|kommer att bli overkord|fa sig)\b",
    }
)
COMPILED = {name: re.compile(pattern) for name, pattern in _PATTERNS.items()}
# These constructions name a group after a word's end (their _GROUP follows \b or \W+), so none
# can match where "group" does not: they are looked for only where it does.
_NEED_GROUP = ("group_generalised", "group_contempt", "group_harm")
_GROUP_FOUND = COMPILED["group"]
_WITHOUT_GROUP = tuple((name, pattern) for name, pattern in COMPILED.items() if name not in _NEED_GROUP)
_WITH_GROUP = tuple((name, COMPILED[name]) for name in _NEED_GROUP)


def constructions(normalised: str) -> set[str]:
    """The names of the constructions found in a lower-cased, folded, de-obfuscated sentence."""
    found = {name for name, pattern in _WITHOUT_GROUP if pattern.search(normalised)}
    if "group" in found:
        found.update(name for name, pattern in _WITH_GROUP if pattern.search(normalised))
    return found


def constructions_the_plain_way(normalised: str) -> set[str]:
    """Every pattern searched, the shortcut above left out (to check the shortcut against)."""
    return {name for name, pattern in COMPILED.items() if pattern.search(normalised)}
