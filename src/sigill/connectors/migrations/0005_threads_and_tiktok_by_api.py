"""The platform catalogue says what Sigill's Threads connector does (issue 19, item 5).

Threads is captured through the Threads API (the account's posts and every reply in their
conversations) and its replies are hidden and shown again through ``manage_reply``; its notes no
longer say it is captured only by hand. tests/registry/test_catalogue_is_honest.py holds the flags
against the connectors and actors that exist.
"""

from django.db import migrations

# What the notes said (migrations 0003 and 0004), and what they say now.
BEFORE = {
    "threads": (
        "Sigill fångar Threads bara för hand (skärmbilder med datum): Sigill har ingen koppling till "
        "Threads API och läser inte Threads-exporten från Meta.",
        "Threads API kan dölja svar, men Sigill har ingen koppling dit: dölj dem i Threads för hand.",
    ),
}
NOW = {
    "threads": (
        "Sigill fångar kontots trådar och alla svar i deras konversationer genom Threads API, och kan "
        "dölja och visa igen ett svar direkt på ett inlägg (svaren under ett dolt svar döljs med det). "
        "Threads API anger inte när en text redigerats: en ändrad text sparas som en ny version när "
        "Sigill ser den. Sigill läser inte Threads-exporten från Meta."
    ),
}
FLAGS = {"threads": {"captures_comments_by_api": True, "api_can_hide": True}}


def by_api(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=NOW):
        notes = platform.notes
        for old in BEFORE[platform.slug]:
            notes = notes.replace(old, "")
        if NOW[platform.slug] not in notes:
            notes = f"{NOW[platform.slug]} {notes.strip()}".strip()
        platform.notes = " ".join(notes.split())
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
