"""One-time sign-in links: how a new person without a password (the first comms user) gets in.

The link carries Django's password-reset token, which is bound to the password hash and the last
sign-in: setting a password through it, or signing in at all, makes it invalid. It lasts
``PASSWORD_RESET_TIMEOUT`` seconds (three days).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def sign_in_link(user: Any) -> str:
    """The absolute address that lets ``user`` set a password and sign in, once."""
    path = reverse(
        "core:first_sign_in",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SIGILL_BASE_URL.rstrip("/") + path
