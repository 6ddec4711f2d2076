import binascii
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from sigill.demo.organisation import demo_totp_key_hex


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo users (DEBUG only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEVELOPMENT:
            raise CommandError("demo_totp is for the demo only (DEBUG on).")
        self.stdout.write(f"{totp(binascii.unhexlify(demo_totp_key_hex())):06d}")
