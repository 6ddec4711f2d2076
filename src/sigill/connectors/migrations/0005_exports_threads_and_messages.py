"""The catalogue says what the export readers now do (issue 19, item 3): Threads is captured through
Meta's export of its posts and replies, and the direct messages in X's, LinkedIn's, TikTok's and
Mastodon's exports, and in Facebook's and Instagram's inboxes, are read (Mastodon's archive holds only those
the account sent). No platform's messages are read through its API. tests/registry/test_catalogue_is_honest.py holds these claims against the readers.
"""

from django.db import migrations

THREADS_BEFORE = (
    "Sigill fångar Threads bara för hand (skärmbilder med datum): Sigill har ingen koppling till "
    "Threads API och läser inte Threads-exporten från Meta."
)
THREADS_NOW = (
    "Sigill fångar Threads genom kontots export från Meta (trådar och svar, threads_and_replies.json) "
    "och för hand (skärmbilder med datum): Sigill har ingen koppling till Threads API, och exporten "
    "innehåller bara det kontot självt skrivit."
)
MESSAGES_FROM_EXPORT = (
    "Direktmeddelandena i kontots export läses in (skickade som upprättade, mottagna som inkomna); "
    "Sigill läser dem inte genom API."
)
MESSAGE_EXPORTS = ("x", "linkedin", "tiktok", "mastodon", "facebook", "instagram")
MESSAGES_BY_HAND = (
    "Sigill fångar inga direktmeddelanden: ingen koppling läser dem. "
    "Ett meddelande som ska bevaras sparas för hand (skärmbild med datum)."
)
MASTODON_RECEIVED_BY_HAND = (
    "Mastodons arkiv innehåller bara de meddelanden kontot skickat: ett mottaget meddelande som ska "
    "bevaras sparas för hand (skärmbild med datum)."
)


def claim(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug="threads"):
        platform.notes = platform.notes.replace(THREADS_BEFORE, THREADS_NOW)
        platform.save(update_fields=["notes"])
    for platform in Platform.objects.filter(slug="mastodon"):
        platform.notes = platform.notes.replace(MESSAGES_BY_HAND, MASTODON_RECEIVED_BY_HAND)
        platform.save(update_fields=["notes"])
    for platform in Platform.objects.filter(slug__in=("facebook", "instagram")):
        platform.notes = platform.notes.replace(MESSAGES_BY_HAND, "").strip()
        platform.save(update_fields=["notes"])
    for platform in Platform.objects.filter(slug__in=MESSAGE_EXPORTS):
        if MESSAGES_FROM_EXPORT not in platform.notes:
            platform.notes = f"{platform.notes} {MESSAGES_FROM_EXPORT}".strip()
            platform.save(update_fields=["notes"])


def unclaim(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug="threads"):
        platform.notes = platform.notes.replace(THREADS_NOW, THREADS_BEFORE)
        platform.save(update_fields=["notes"])
    for platform in Platform.objects.filter(slug__in=MESSAGE_EXPORTS):
        platform.notes = platform.notes.replace(MESSAGES_FROM_EXPORT, "").strip()
        platform.save(update_fields=["notes"])
    for platform in Platform.objects.filter(slug="mastodon"):
        platform.notes = platform.notes.replace(MASTODON_RECEIVED_BY_HAND, MESSAGES_BY_HAND)
        platform.save(update_fields=["notes"])
    for platform in Platform.objects.filter(slug__in=("facebook", "instagram")):
        if MESSAGES_BY_HAND not in platform.notes:
            platform.notes = f"{platform.notes} {MESSAGES_BY_HAND}".strip()
            platform.save(update_fields=["notes"])


class Migration(migrations.Migration):
    dependencies = [("connectors", "0004_catalogue_claims_only_what_code_does")]

    operations = [migrations.RunPython(claim, unclaim)]
