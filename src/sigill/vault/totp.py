"""Two-factor secrets of platform accounts: read from base32, an otpauth:// URI or a QR image,
and turned into the current six-digit code (django-otp computes it)."""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass
from typing import IO
from urllib.parse import parse_qs, urlsplit

import zxingcpp
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from PIL import Image, UnidentifiedImageError

MAX_QR_BYTES = 5 * 1024 * 1024
MAX_QR_PIXELS = 4000 * 4000


@dataclass(frozen=True)
class TotpSecret:
    secret: str  # base32, upper case, without padding or spaces
    digits: int = 6
    period: int = 30


def _normalised_base32(text: str) -> str:
    compact = "".join(text.split()).upper().rstrip("=")
    try:
        key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    except (binascii.Error, ValueError):
        raise ValidationError(
            _(
                "The two-factor secret is neither base32 (letters A–Z and digits 2–7) nor an otpauth:// address."
            )
        ) from None
    if len(key) < 10:
        raise ValidationError(
            _("The two-factor secret is too short: a platform's secret is at least 16 characters.")
        )
    return compact


def parse_totp(text: str) -> TotpSecret:
    """Read a secret written as base32 or as an ``otpauth://totp/...`` URI. Error messages never repeat it."""
    text = text.strip()
    if not text.lower().startswith("otpauth://"):
        return TotpSecret(_normalised_base32(text))
    parts = urlsplit(text)
    if parts.netloc.lower() != "totp":
        raise ValidationError(_("Only time-based codes (otpauth://totp/) are supported."))
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    if query.get("algorithm", "SHA1").upper() != "SHA1":
        raise ValidationError(
            _("The platform uses an algorithm other than SHA1, which Sigill cannot compute.")
        )
    try:
        digits, period = int(query.get("digits", 6)), int(query.get("period", 30))
    except ValueError:
        raise ValidationError(_("The digits or period in the otpauth:// address are not numbers.")) from None
    if digits not in (6, 8) or not 10 <= period <= 120:
        raise ValidationError(
            _("The otpauth:// address asks for codes Sigill cannot show (6 or 8 digits, 10–120 s).")
        )
    return TotpSecret(_normalised_base32(query.get("secret", "")), digits, period)


def read_qr(upload: IO[bytes], size: int) -> TotpSecret:
    """The secret in an uploaded QR image (PNG, JPEG, ...)."""
    if size > MAX_QR_BYTES:
        raise ValidationError(_("The image is larger than 5 MB."))
    try:
        image = Image.open(upload)
        if image.width * image.height > MAX_QR_PIXELS:
            raise ValidationError(_("The image is too large to read."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("The file is not an image Sigill can read.")) from None
    codes = [code.text for code in zxingcpp.read_barcodes(image) if code.text]
    if not codes:
        raise ValidationError(_("No QR code was found in the image. Try a sharper picture, or type the key."))
    return parse_totp(codes[0])


def current_code(secret: TotpSecret, now: float | None = None) -> tuple[str, int]:
    """The code valid now and the seconds it stays valid."""
    now = time.time() if now is None else now
    key = base64.b32decode(secret.secret + "=" * (-len(secret.secret) % 8))
    clock = TOTP(key, step=secret.period, digits=secret.digits)
    clock.time = int(now)
    code = clock.token()
    return f"{code:0{secret.digits}d}", secret.period - int(now) % secret.period
