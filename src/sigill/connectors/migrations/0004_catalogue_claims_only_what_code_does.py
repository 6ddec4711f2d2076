"""The platform catalogue claims only what Sigill's code does (issue 18, item 3).

No connector and no export reader reads direct messages, so no platform says its messages are
captured by API; Facebook, Instagram and Mastodon say plainly that messages are saved by hand.
No export reader knows Threads' export, so Threads no longer says it is captured through Meta's
export: it is captured by hand. tests/registry/test_catalogue_is_honest.py holds every claim
against the connectors and export readers that exist.
"""

from django.db import migrations

MESSAGES_BY_HAND = (
    "Sigill fångar inga direktmeddelanden: ingen koppling läser dem. "
    "Ett meddelande som ska bevaras sparas för hand (skärmbild med datum)."
)
HAD_MESSAGES = ("facebook", "instagram", "mastodon")
THREADS_BEFORE = (
    "Sigill fångar Threads för hand (skärmbilder med datum) och genom kontots export från Meta; "
    "Sigill har ännu ingen koppling till Threads API."
)
THREADS_NOW = (
    "Sigill fångar Threads bara för hand (skärmbilder med datum): Sigill har ingen koppling till "
    "Threads API och läser inte Threads-exporten från Meta."
)


def claim_only_what_code_does(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    Platform.objects.filter(captures_messages_by_api=True).update(captures_messages_by_api=False)
    for platform in Platform.objects.filter(slug__in=HAD_MESSAGES):
        if MESSAGES_BY_HAND not in platform.notes:
            platform.notes = f"{platform.notes} {MESSAGES_BY_HAND}".strip()
            platform.save(update_fields=["notes"])
    for platform in Platform.objects.filter(slug="threads"):
        platform.notes = platform.notes.replace(THREADS_BEFORE, THREADS_NOW)
        platform.save(update_fields=["notes"])


def restore(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=HAD_MESSAGES):
        platform.captures_messages_by_api = True
        platform.notes = platform.notes.replace(MESSAGES_BY_HAND, "").strip()
        platform.save(update_fields=["captures_messages_by_api", "notes"])
    for platform in Platform.objects.filter(slug="threads"):
        platform.notes = platform.notes.replace(THREADS_NOW, THREADS_BEFORE)
        platform.save(update_fields=["notes"])


class Migration(migrations.Migration):
    dependencies = [("connectors", "0003_catalogue_matches_actors")]

    operations = [migrations.RunPython(claim_only_what_code_does, restore)]
