"""The platform catalogue says which platforms Sigill captures only by export files or by hand.

TikTok's, Threads' and Snapchat's APIs do not serve an organisation's received comments to
Sigill: TikTok's comment API is for approved business accounts only (and its data download holds
only what the account wrote), Threads has no connector yet, Snapchat has no such API at all.
"""

from django.db import migrations

NOTES = {
    "tiktok": (
        "Sigill fångar TikTok genom kontots dataexport (Ladda ned dina data, JSON) och manuell insamling. "
        "TikToks API för kommentarer finns bara för godkända företagskonton, och exporten innehåller bara "
        "det kontot självt skrev: kommentarer från andra fångas för hand."
    ),
    "threads": (
        "Sigill fångar Threads för hand (skärmbilder med datum) och genom kontots export från Meta; "
        "Sigill har ännu ingen koppling till Threads API."
    ),
    "snapchat": (
        "Snapchat har inget API för en organisations inlägg och svar: allt fångas för hand "
        "(skärmbilder med datum och beskrivning)."
    ),
}


def export_only(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for slug, note in NOTES.items():
        Platform.objects.filter(slug=slug).update(
            captures_comments_by_api=False, captures_messages_by_api=False, notes=note
        )


class Migration(migrations.Migration):
    dependencies = [("connectors", "0001_initial"), ("registry", "0002_platform_catalogue")]

    operations = [migrations.RunPython(export_only, migrations.RunPython.noop)]
