"""The catalogue's notes once Threads, TikTok, direct messages and the export readers all landed.

Three migrations rewrote the same notes side by side (0005_threads_and_tiktok_by_api,
0005_exports_threads_and_messages, 0005_catalogue_direct_messages_by_api); each assumed the others
had not run. This one joins them: Threads is captured through its API and through Meta's export;
each platform's notes end with one statement of how its direct messages are captured (by API,
from the account's export, or by hand where neither gives access). Sentences the earlier three
wrote are taken out first, so it makes the same notes whatever order they ran in; any text comms
wrote themselves is kept. tests/registry/test_catalogue_is_honest.py holds the result against the
connectors and readers that exist.
"""

import re

from django.db import migrations

HAND = "Ett meddelande som ska bevaras sparas för hand (skärmbild med datum)."
FROM_EXPORT = "Direktmeddelandena i kontots export läses in (skickade som upprättade, mottagna som inkomna)."
BY_API = {
    "facebook": (
        "Sigill fångar sidans direktmeddelanden (Messenger) genom API:t, om sidans token har "
        "behörigheten pages_messaging; API:t visar bara de 20 senaste meddelandena i varje konversation."
    ),
    "instagram": (
        "Sigill fångar kontots direktmeddelanden genom API:t, om token har behörigheten "
        "instagram_manage_messages; API:t visar bara de 20 senaste meddelandena i varje konversation."
    ),
    "x": (
        "Sigill fångar kontots direktmeddelanden genom API:t (dm.read); X sparar dem bara i 30 dagar, "
        "och bifogade filer sparas inte, bara deras id."
    ),
    "mastodon": "Sigill fångar direktmeddelanden (inlägg med synligheten direkt) per konversation genom API:t.",
    "bluesky": "Sigill fångar kontots chatt genom API:t, om appens lösenord ger åtkomst till direktmeddelanden.",
}
NO_ACCESS = {
    "linkedin": "LinkedIns API ger ingen åtkomst till en organisations direktmeddelanden.",
    "youtube": "YouTube har inga direktmeddelanden.",
    "tiktok": "Sigill läser inte TikToks direktmeddelanden: TikToks API ger ingen åtkomst till dem.",
    "threads": "Threads API ger ingen åtkomst till direktmeddelanden.",
    "snapchat": "Snapchat har inget API för direktmeddelanden.",
}
# How each platform's direct messages are captured, now.
MESSAGES = {
    "facebook": f"{BY_API['facebook']} {FROM_EXPORT}",
    "instagram": f"{BY_API['instagram']} {FROM_EXPORT}",
    "x": f"{BY_API['x']} {FROM_EXPORT}",
    "mastodon": f"{BY_API['mastodon']} {FROM_EXPORT} Mastodons arkiv innehåller bara de meddelanden kontot skickat.",
    "bluesky": BY_API["bluesky"],
    "linkedin": f"{NO_ACCESS['linkedin']} {FROM_EXPORT}",
    "tiktok": f"TikToks API ger ingen åtkomst till direktmeddelanden. {FROM_EXPORT}",
    "threads": f"{NO_ACCESS['threads']} {HAND}",
    "youtube": NO_ACCESS["youtube"],
    "snapchat": f"{NO_ACCESS['snapchat']} {HAND}",
}
THREADS_API = (
    "Sigill fångar kontots trådar och alla svar i deras konversationer genom Threads API, och kan "
    "dölja och visa igen ett svar direkt på ett inlägg (svaren under ett dolt svar döljs med det). "
    "Threads API anger inte när en text redigerats: en ändrad text sparas som en ny version när "
    "Sigill ser den."
)
THREADS_NOW = (
    f"{THREADS_API} Sigill läser också kontots export från Meta (trådar och svar), som bara innehåller "
    "det kontot självt skrivit."
)
# What the earlier migrations wrote (any of them, in any order), taken out before the notes are set.
WRITTEN_BEFORE = [
    f"{THREADS_API} Sigill läser inte Threads-exporten från Meta.",
    "Sigill fångar Threads genom kontots export från Meta (trådar och svar, threads_and_replies.json) "
    "och för hand (skärmbilder med datum): Sigill har ingen koppling till Threads API, och exporten "
    "innehåller bara det kontot självt skrivit.",
    "Sigill fångar Threads bara för hand (skärmbilder med datum): Sigill har ingen koppling till "
    "Threads API och läser inte Threads-exporten från Meta.",
    "Direktmeddelandena i kontots export läses in (skickade som upprättade, mottagna som inkomna); "
    "Sigill läser dem inte genom API.",
    "Sigill fångar inga direktmeddelanden: ingen koppling läser dem. " + HAND,
    "Mastodons arkiv innehåller bara de meddelanden kontot skickat: ett mottaget meddelande som ska "
    "bevaras sparas för hand (skärmbild med datum).",
    *(f"{note} {HAND}" for note in NO_ACCESS.values()),
    *NO_ACCESS.values(),
    *BY_API.values(),
]


def _without(notes, sentences):
    for sentence in sentences:
        notes = notes.replace(sentence, "")
    return re.sub(r"\s{2,}", " ", notes).strip()


def joined(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=MESSAGES):
        notes = _without(platform.notes, WRITTEN_BEFORE)
        if platform.slug == "threads":
            notes = f"{THREADS_NOW} {notes}".strip()
        platform.notes = f"{notes} {MESSAGES[platform.slug]}".strip()
        platform.save(update_fields=["notes"])


def apart(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=MESSAGES):
        notes = _without(platform.notes, [MESSAGES[platform.slug], THREADS_NOW])
        platform.notes = notes
        platform.save(update_fields=["notes"])


class Migration(migrations.Migration):
    dependencies = [
        ("connectors", "0005_exports_threads_and_messages"),
        ("connectors", "0005_threads_and_tiktok_by_api"),
        ("connectors", "0005_webhook_noise_counted_and_failed_deliveries"),
        ("connectors", "0006_walk_sightings_for_removals"),
    ]

    operations = [migrations.RunPython(joined, apart)]
