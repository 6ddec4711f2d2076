"""The platform catalogue says an act is possible through the API only where Sigill has an actor.

TikTok's Business API can hide comments and Threads' API can hide replies, but Sigill has no
connector for either (both are captured by export or by hand, migration 0002): the moderator hides
there by hand, and the catalogue no longer says Sigill does it through the API. LinkedIn's delete
keeps its flag: it has an actor now.
"""

from django.db import migrations

BY_HAND = {
    "tiktok": "TikToks företags-API kan dölja kommentarer, men Sigill har ingen koppling dit: dölj dem i TikTok för hand.",
    "threads": "Threads API kan dölja svar, men Sigill har ingen koppling dit: dölj dem i Threads för hand.",
}


def by_hand(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=BY_HAND):
        platform.api_can_hide = platform.api_can_delete = platform.api_can_block = False
        if BY_HAND[platform.slug] not in platform.notes:
            platform.notes = f"{platform.notes} {BY_HAND[platform.slug]}".strip()
        platform.save(update_fields=["api_can_hide", "api_can_delete", "api_can_block", "notes"])


def restore(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for platform in Platform.objects.filter(slug__in=BY_HAND):
        platform.api_can_hide = True
        platform.notes = platform.notes.replace(BY_HAND[platform.slug], "").strip()
        platform.save(update_fields=["api_can_hide", "notes"])


class Migration(migrations.Migration):
    dependencies = [("connectors", "0002_export_only_platforms")]

    operations = [migrations.RunPython(by_hand, restore)]
