"""Middleware for sessions that expired, the two-factor requirement, and no-store answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from sigill.core import audit, two_factor

# A signed cookie that says "someone signed in on this browser"; it outlives the session, so a
# request that carries it but no session met an expired session, not a first visit.
SIGNED_IN_COOKIE = "sigill_signed_in"
SIGNED_IN_COOKIE_SALT = "sigill.core.signed-in"
SIGNED_IN_COOKIE_AGE = 14 * 24 * 60 * 60


class SessionExpiryNoticeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        expired_for = self._expired_session_user(request)
        if expired_for is not None:
            messages.warning(request, _("Your session has expired. Please sign in again to continue."))
            audit.record("core.auth.session_expired", actor_label=expired_for, request=request)
        response = self.get_response(request)
        signed_in_as: str | None = getattr(request, "sigill_signed_in_as", None)
        if signed_in_as:
            response.set_signed_cookie(
                SIGNED_IN_COOKIE,
                signed_in_as,
                salt=SIGNED_IN_COOKIE_SALT,
                max_age=SIGNED_IN_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif expired_for is not None or getattr(request, "sigill_signed_out", False):
            response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
        return response

    @staticmethod
    def _expired_session_user(request: HttpRequest) -> str | None:
        if request.user.is_authenticated or SIGNED_IN_COOKIE not in request.COOKIES:
            return None
        if request.path.startswith(settings.STATIC_URL) or request.path == reverse("core:healthz"):
            return None
        try:
            return str(request.get_signed_cookie(SIGNED_IN_COOKIE, salt=SIGNED_IN_COOKIE_SALT))
        except signing.BadSignature:
            return None


class RequireTwoFactorMiddleware:
    """Send a signed-in comms or registrar user to the two-factor step until they have passed it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if (
            user.is_authenticated
            and not self._is_exempt(request)
            and two_factor.is_required_for(user)
            and not two_factor.is_satisfied(request)
        ):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('core:two_factor')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _is_exempt(request: HttpRequest) -> bool:
        exempt = (
            reverse("core:two_factor"),
            reverse("core:logout"),
            reverse("set_language"),
            reverse("core:healthz"),
        )
        return request.path in exempt or request.path.startswith(settings.STATIC_URL)


class NoStoreMiddleware:
    """Nothing with personal data is kept in a browser's or a proxy's cache.

    Every answer to a signed-in person (pages, downloads, exports) and every answer to a form sent
    (a resident's report with their contact) is ``Cache-Control: no-store, private``: the next
    person at a shared computer cannot page back to it, and no proxy keeps a copy. Public pages for
    anonymous visitors keep their own caching (the public account list's ETag).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user: Any = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.method not in {"GET", "HEAD", "OPTIONS"}:
            patch_cache_control(response, no_store=True, private=True)
        return response
