"""The platform catalogue says whose direct messages Sigill captures by API (issue 19, item 1).

Facebook (Messenger conversations of the Page), Instagram (the professional account's inbox), X
(direct message events), Mastodon (direct statuses, by conversation) and Bluesky (chat, where the
account's app password allows it) now have connectors that read the account's direct messages.
LinkedIn, YouTube, TikTok, Threads and Snapchat give no API access to an organisation's direct
messages (YouTube has none at all): their notes say so, and that such messages are saved by hand.
tests/registry/test_catalogue_is_honest.py holds every claim against the connectors that exist.
"""

from django.db import migrations

MESSAGES_BY_HAND = (
    "Sigill fångar inga direktmeddelanden: ingen koppling läser dem. "
    "Ett meddelande som ska bevaras sparas för hand (skärmbild med datum)."
)
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
    "bluesky": (
        "Sigill fångar kontots chatt genom API:t, om appens lösenord ger åtkomst till direktmeddelanden."
    ),
}
NO_ACCESS = {
    "linkedin": "LinkedIns API ger ingen åtkomst till en organisations direktmeddelanden.",
    "youtube": "YouTube har inga direktmeddelanden.",
    "tiktok": "Sigill läser inte TikToks direktmeddelanden: TikToks API ger ingen åtkomst till dem.",
    "threads": "Threads API ger ingen åtkomst till direktmeddelanden.",
    "snapchat": "Snapchat har inget API för direktmeddelanden.",
}
TAIL = " Ett meddelande som ska bevaras sparas för hand (skärmbild med datum)."


def _append(platform, note):
    if note not in platform.notes:
        platform.notes = f"{platform.notes} {note}".strip()


def messages_by_api(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=BY_API):
        platform.captures_messages_by_api = True
        platform.notes = platform.notes.replace(MESSAGES_BY_HAND, "").strip()
        _append(platform, BY_API[platform.slug])
        platform.save(update_fields=["captures_messages_by_api", "notes"])
    for platform in Platform.objects.filter(slug__in=NO_ACCESS):
        platform.captures_messages_by_api = False
        _append(platform, NO_ACCESS[platform.slug] + ("" if platform.slug == "youtube" else TAIL))
        platform.save(update_fields=["captures_messages_by_api", "notes"])


def restore(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=[*BY_API, *NO_ACCESS]):
        note = BY_API.get(platform.slug) or NO_ACCESS[platform.slug] + (
            "" if platform.slug == "youtube" else TAIL
        )
        platform.notes = platform.notes.replace(note, "").strip()
        platform.captures_messages_by_api = False
        if platform.slug in {"facebook", "instagram", "mastodon"}:
            _append(platform, MESSAGES_BY_HAND)
        platform.save(update_fields=["captures_messages_by_api", "notes"])


class Migration(migrations.Migration):
    dependencies = [("connectors", "0004_catalogue_claims_only_what_code_does")]

    operations = [migrations.RunPython(messages_by_api, restore)]
