from django.db import migrations

from sigill.core import append_only


def protect(apps, schema_editor):
    append_only.protect(schema_editor.connection, "reports_monthlyreport")


def unprotect(apps, schema_editor):
    append_only.unprotect(schema_editor.connection, "reports_monthlyreport")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(protect, unprotect, elidable=False)]
