"""The texts Sigill writes for an account, from templates comms can edit.

A template holds placeholders in braces, e.g. ``{kommun}``; only the names in ``PLACEHOLDERS``
are filled, by plain substitution (never ``str.format``, which would let a template reach into
Python objects). The about text is the richest template that fits the platform's limit; if even
the shortest does not fit, it is cut at a word, so it never exceeds the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "kommun": _("the municipality's name"),
    "konto": _("the account's name"),
    "enhet": _("the owning unit"),
    "syfte": _("the account's purpose"),
    "webbplats": _("the municipality's website"),
    "epost": _("the municipality's e-mail"),
    "telefon": _("the municipality's phone"),
    "adress": _("the municipality's address"),
    "policylänk": _("the address of the account's comment-policy page"),
}

# Codes of the templates, with their shipped text (Swedish: it is what residents read).
ABOUT_TEMPLATES = ["about_full", "about_short", "about_minimal"]
DEFAULT_TEMPLATES: dict[str, str] = {
    "about_full": (
        "{konto} är ett officiellt konto för {kommun}. {syfte} Här får du gärna kommentera och "
        "ställa frågor om det vi publicerar. Inlägg och kommentarer blir allmänna handlingar. "
        "Inlägg som är olagliga eller bryter mot våra kommentarsregler tas bort. Anmäl kommentarer "
        "som bryter mot GDPR eller plattformens villkor: {policylänk} "
        "Kontakt: {webbplats}, {epost}, {telefon}, {adress}."
    ),
    "about_short": "{konto} – officiellt konto för {kommun}. {syfte} Regler och anmälan: se länken.",
    "about_minimal": "{konto} – {kommun}. Regler och anmälan: se länken.",
    "policy_comments": (
        "Här får du gärna kommentera, ställa frågor och diskutera det vi publicerar. Vi läser "
        "kommentarerna varje vardag. Frågor om ditt eget ärende tar vi hellre emot via e-post eller "
        "telefon, så att vi kan hantera dem säkert."
    ),
    "policy_public_records": (
        "Allt som publiceras på kontot, även kommentarer och meddelanden till oss, blir allmänna "
        "handlingar. {kommun} sparar dem, och vem som helst kan begära att få ta del av dem enligt "
        "offentlighetsprincipen. Skriv därför inga känsliga uppgifter om dig själv eller andra."
    ),
    "policy_actions": (
        "Vi tar bort inlägg och kommentarer som är olagliga eller bryter mot reglerna här, och vi "
        "sparar en kopia innan vi tar bort något. Uppenbart brottsligt innehåll polisanmäls. Den som "
        "upprepade gånger bryter mot reglerna kan blockeras."
    ),
    "policy_report": (
        "Ser du en kommentar som bryter mot reglerna, mot dataskyddsförordningen (GDPR) eller mot "
        "plattformens villkor? Anmäl den med formuläret nedan, så granskar vi den först av allt."
    ),
}
TEMPLATE_NAMES = {
    "about_full": _("About text, full (platforms with room)"),
    "about_short": _("About text, short"),
    "about_minimal": _("About text, shortest"),
    "policy_comments": _("Policy page: what comments are for"),
    "policy_public_records": _("Policy page: public records"),
    "policy_actions": _("Policy page: what happens to content that is not allowed"),
    "policy_report": _("Policy page: how to report a comment"),
}

PLACEHOLDER_PATTERN = re.compile(r"\{([a-zåäö]+)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with each known placeholder replaced; empty values leave no stray punctuation."""
    text = PLACEHOLDER_PATTERN.sub(lambda match: values.get(match.group(1), match.group(0)), template)
    text = re.sub(r"(?:,\s*)+([.,])", r"\1", text)  # "a, , ." -> "a."
    text = re.sub(r":\s*([.,])", r"\1", text)  # "Kontakt: ." -> "Kontakt."
    text = re.sub(r"\s{2,}", " ", text)
    return text.strip()


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word so that it and its ellipsis fit ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)].rsplit(" ", 1)[0].rstrip(" ,.;:–-")
    return (cut + "…")[:limit]


@dataclass(frozen=True)
class AboutText:
    text: str
    limit: int | None
    template: str

    @property
    def length(self) -> int:
        return len(self.text)


def choose_about_text(templates: dict[str, str], values: dict[str, str], limit: int | None) -> AboutText:
    """The richest about text that fits ``limit``. Only the full one states every requirement; the
    shorter ones send the reader to the comment-policy page, set as the profile's link."""
    codes = ABOUT_TEMPLATES
    for code in codes:
        text = fill(templates[code], values)
        if limit is None or len(text) <= limit:
            return AboutText(text, limit, code)
    # Even the shortest is too long (a very long account name): drop the purpose, then cut.
    assert limit is not None  # noqa: S101 (the loop returned already when there is no limit)
    code = codes[-1]
    text = fill(templates[code], {**values, "syfte": ""})
    return AboutText(shorten(text, limit), limit, code)
