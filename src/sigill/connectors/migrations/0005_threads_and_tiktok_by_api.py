"""The platform catalogue says what Sigill's Threads and TikTok connectors do (issue 19, item 5).

Threads is captured through the Threads API (the account's posts and every reply in their
conversations) and its replies are hidden and shown again through ``manage_reply``; its notes no
longer say it is captured only by hand. A TikTok business account is captured through TikTok's API
for Business (its videos, and every comment and reply, hidden ones too) and its comments hidden and
shown again through ``business/comment/hide/``; an account that is not a business account is still
captured by its data download and by hand. Snapchat stays captured by hand, and its notes say why:
it has no public API that gives an organisation the comments or replies on its public profile. tests/registry/test_catalogue_is_honest.py holds the flags
against the connectors and actors that exist.
"""

import re

from django.db import migrations

# What the notes said (migrations 0003 and 0004), and what they say now.
BEFORE = {
    "threads": (
        "Sigill fångar Threads bara för hand (skärmbilder med datum): Sigill har ingen koppling till "
        "Threads API och läser inte Threads-exporten från Meta.",
        "Threads API kan dölja svar, men Sigill har ingen koppling dit: dölj dem i Threads för hand.",
    ),
    "tiktok": (
        "Sigill fångar TikTok genom kontots dataexport (Ladda ned dina data, JSON) och manuell insamling. "
        "TikToks API för kommentarer finns bara för godkända företagskonton, och exporten innehåller bara "
        "det kontot självt skrev: kommentarer från andra fångas för hand.",
        "TikToks företags-API kan dölja kommentarer, men Sigill har ingen koppling dit: dölj dem i TikTok för hand.",
    ),
    "snapchat": (
        "Snapchat har inget API för en organisations inlägg och svar: allt fångas för hand "
        "(skärmbilder med datum och beskrivning).",
    ),
}
NOW = {
    "threads": (
        "Sigill fångar kontots trådar och alla svar i deras konversationer genom Threads API, och kan "
        "dölja och visa igen ett svar direkt på ett inlägg (svaren under ett dolt svar döljs med det). "
        "Threads API anger inte när en text redigerats: en ändrad text sparas som en ny version när "
        "Sigill ser den. Sigill läser inte Threads-exporten från Meta."
    ),
    "tiktok": (
        "Sigill fångar ett TikTok-företagskontos videor och alla kommentarer och svar på dem, också dolda, "
        "genom TikToks API för företag, och kan dölja och visa igen en kommentar. TikToks API låter kontot "
        "radera bara sina egna kommentarer: Sigill raderar inga. Ett konto som inte är ett företagskonto "
        "fångas genom kontots dataexport (Ladda ned dina data, JSON), som bara innehåller det kontot självt "
        "skrev; kommentarer från andra på ett sådant konto fångas för hand."
    ),
    "snapchat": (
        "Snapchat har inget publikt API som ger en organisation de kommentarer eller svar som andra "
        "lämnar på dess offentliga profil, så Sigill har ingen koppling dit: allt fångas för hand "
        "(skärmbilder med datum och beskrivning). Sigill läser inte heller Snapchats dataexport."
    ),
}
FLAGS = {
    "threads": {"captures_comments_by_api": True, "api_can_hide": True},
    "tiktok": {"captures_comments_by_api": True, "api_can_hide": True},
    "snapchat": {},
}


def by_api(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=NOW):
        notes = platform.notes
        for old in BEFORE[platform.slug]:
            notes = notes.replace(old, "")
        if NOW[platform.slug] not in notes:
            notes = f"{NOW[platform.slug]} {notes.strip()}".strip()
        platform.notes = re.sub(r" {2,}", " ", notes).strip()
        for flag, value in FLAGS[platform.slug].items():
            setattr(platform, flag, value)
        platform.save(update_fields=["notes", *FLAGS[platform.slug]])


def by_hand(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=NOW):
        rest = platform.notes.replace(NOW[platform.slug], "").strip()
        platform.notes = " ".join([*BEFORE[platform.slug], rest]).strip()
        for flag in FLAGS[platform.slug]:
            setattr(platform, flag, False)
        platform.save(update_fields=["notes", *FLAGS[platform.slug]])


class Migration(migrations.Migration):
    dependencies = [("connectors", "0004_catalogue_claims_only_what_code_does")]

    operations = [migrations.RunPython(by_api, by_hand)]
