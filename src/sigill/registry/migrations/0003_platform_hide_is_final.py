"""The catalogue says where a hidden comment cannot be shown again: YouTube's hide rejects the
comment, and a rejected comment cannot be set back to published (comments.setModerationStatus)."""

from django.db import migrations, models

FINAL = ("youtube",)


def mark_final(apps, schema_editor):
    apps.get_model("registry", "Platform").objects.filter(slug__in=FINAL).update(hide_is_final=True)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_platform_catalogue")]

    operations = [
        migrations.AddField(
            model_name="platform",
            name="hide_is_final",
            field=models.BooleanField(
                default=False,
                help_text="For example YouTube, where hiding a comment rejects it for good.",
                verbose_name="a hidden comment cannot be shown again",
            ),
        ),
        migrations.RunPython(mark_final, migrations.RunPython.noop),
    ]
