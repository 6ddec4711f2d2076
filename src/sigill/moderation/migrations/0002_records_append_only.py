from django.db import migrations

from sigill.core import append_only

# What was decided, done on the platform, registered, looked at, called wrong, and every word list
# version: records, only ever added to.
TABLES = (
    "moderation_decision",
    "moderation_platformact",
    "moderation_registration",
    "moderation_supervisionvisit",
    "moderation_findingfeedback",
    "moderation_wordlist",
)


def protect(apps, schema_editor):
    for table in TABLES:
        append_only.protect(schema_editor.connection, table)


def unprotect(apps, schema_editor):
    for table in TABLES:
        append_only.unprotect(schema_editor.connection, table)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(protect, unprotect, elidable=False)]
