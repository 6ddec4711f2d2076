"""The platform catalogue and the purpose categories, as shipped. Comms edits the catalogue later."""

from django.db import migrations

# slug, name, pattern (matched on host and path, lower-case), template, profile text limit,
# comments by API, messages by API, API can hide, delete, block
PLATFORMS = [
    ("facebook", "Facebook", r"facebook\.com/(?P<handle>[a-z0-9.\-]{5,80})", "https://www.facebook.com/{handle}", 255, True, True, True, True, False),
    ("instagram", "Instagram", r"instagram\.com/(?P<handle>[a-z0-9._]{1,30})", "https://www.instagram.com/{handle}/", 150, True, True, True, True, False),
    ("x", "X", r"(?:x|twitter)\.com/(?P<handle>[a-z0-9_]{1,15})", "https://x.com/{handle}", 160, True, False, True, False, False),
    ("linkedin", "LinkedIn", r"linkedin\.com/company/(?P<handle>[a-z0-9\-_%]{2,100})", "https://www.linkedin.com/company/{handle}/", 2000, True, False, False, True, False),
    ("youtube", "YouTube", r"youtube\.com/@(?P<handle>[a-z0-9._\-]{3,30})", "https://www.youtube.com/@{handle}", 1000, True, False, True, False, True),
    ("snapchat", "Snapchat", r"snapchat\.com/add/(?P<handle>[a-z0-9._\-]{3,15})", "https://www.snapchat.com/add/{handle}", 150, False, False, False, False, False),
    ("tiktok", "TikTok", r"tiktok\.com/@(?P<handle>[a-z0-9._]{2,24})", "https://www.tiktok.com/@{handle}", 80, True, False, True, False, False),
    ("threads", "Threads", r"threads\.(?:net|com)/@(?P<handle>[a-z0-9._]{1,30})", "https://www.threads.net/@{handle}", 150, True, False, True, False, False),
    ("mastodon", "Mastodon", r"(?P<instance>[a-z0-9\-]+(?:\.[a-z0-9\-]+)+)/@(?P<user>[a-z0-9_]{1,30})", "https://{instance}/@{user}", 500, True, True, False, False, True),
    ("bluesky", "Bluesky", r"bsky\.app/profile/(?P<handle>[a-z0-9\-]+(?:\.[a-z0-9\-]+)+)", "https://bsky.app/profile/{handle}", 256, True, False, True, False, True),
    ("other", "Annan webbplats", r"(?P<handle>[a-z0-9\-]+(?:\.[a-z0-9\-]+)+(?:/[^\s?#]*)?)", "https://{handle}", None, False, False, False, False, False),
]

PURPOSES = [
    ("dialogue", "Dialog"),
    ("news", "Nyheter och information"),
    ("crisis", "Kriskommunikation"),
    ("recruitment", "Rekrytering"),
    ("brand", "Varumärke och platsmarknadsföring"),
    ("monitoring", "Omvärldsbevakning"),
]


def load(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    Purpose = apps.get_model("registry", "Purpose")
    for position, row in enumerate(PLATFORMS, start=1):
        slug, name, pattern, template, limit, comments, messages, hide, delete, block = row
        Platform.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "position": position * 10,
                "profile_url_pattern": pattern,
                "profile_url_template": template,
                "profile_text_limit": limit,
                "captures_comments_by_api": comments,
                "captures_messages_by_api": messages,
                "api_can_hide": hide,
                "api_can_delete": delete,
                "api_can_block": block,
            },
        )
    for position, (code, name) in enumerate(PURPOSES, start=1):
        Purpose.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
