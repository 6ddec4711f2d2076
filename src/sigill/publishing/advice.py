"""What each finding is called and what the writer should do about it (klarspråk advice included)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ADVICE: dict[str, tuple[Promise, Promise]] = {
    "screening.personal_data": (
        _("Personal data"),
        _(
            "The post names a person's identity number, phone, e-mail, address or bank details. Remove it, or ask communications to let it stand with a reason."
        ),
    ),
    "screening.secrecy": (
        _("Possibly secret: a person's case or sensitive data"),
        _(
            "Health, beliefs, origin or a person's own case with the municipality may be covered by secrecy. Remove it, or ask communications to let it stand with a reason."
        ),
    ),
    "screening.offensive": (
        _("Threatening or offensive words"),
        _("The screening found words it reads as a threat, hate, harassment or spam. Read the post again."),
    ),
    "platform.cannot_publish": (
        _("Sigill cannot publish on this platform"),
        _(
            "The platform's API does not let Sigill publish posts; publish this one in the platform's own tool."
        ),
    ),
    "length.empty": (_("No text"), _("Write the post for this account.")),
    "length.over_limit": (
        _("Too long for the platform"),
        _("Shorten the text: the platform refuses a post this long."),
    ),
    "first_comment.unsupported": (
        _("No first comment on this platform"),
        _("Sigill cannot publish a first comment here; put what matters in the post."),
    ),
    "accessibility.weak_alt_text": (
        _("Alternative text says little"),
        _("Describe what the image shows and why it is there, in a sentence; not a file name."),
    ),
    "accessibility.no_captions": (
        _("Video without captions"),
        _("Deaf and hard-of-hearing people, and everyone watching without sound, need captions."),
    ),
    "accessibility.hashtag_case": (
        _("Hashtag in small letters"),
        _(
            "Write each word of a hashtag with a capital (#VaraBibliotek): screen readers then read the words apart."
        ),
    ),
    "accessibility.capitals": (
        _("Text in capitals"),
        _(
            "Screen readers may spell out words in capitals, and they are harder to read. Use capitals only for abbreviations."
        ),
    ),
    "accessibility.emoji_run": (
        _("Several emoji in a row"),
        _("Screen readers read the name of every emoji aloud. Use one or two, after the text."),
    ),
    "readability.lix": (
        _("Hard to read (LIX)"),
        _("Use shorter sentences and everyday words. Posts for everyone should stay below LIX 40-50."),
    ),
    "readability.long_sentence": (
        _("Long sentence"),
        _("Split the sentence. One thought per sentence; the most important first."),
    ),
    "readability.officialese": (
        _("Officialese"),
        _("Use the everyday word after the arrow. Write “vi” about the municipality and “du” to the reader."),
    ),
    "sender.account_not_active": (
        _("The account is not active"),
        _("Only an active account in the registry publishes; paused, planned or closing accounts do not."),
    ),
    "sender.profile_incomplete": (
        _("The profile does not say who the sender is"),
        _(
            "The latest profile check failed: readers may not see that the municipality sends this. Mend the profile."
        ),
    ),
    "sender.profile_unchecked": (
        _("The profile has never been checked"),
        _("Check that the profile states the municipality as sender, its purpose and contact details."),
    ),
}


def title_of(code: str) -> str | Promise:
    return ADVICE[code][0] if code in ADVICE else code


def advice_of(code: str) -> str | Promise:
    return ADVICE[code][1] if code in ADVICE else ""
