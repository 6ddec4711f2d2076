"""Signing in and out, the two-factor step, and the lock-out page."""

from __future__ import annotations

import base64
import io
import math
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigill.core import audit, sign_in_guard, two_factor
from sigill.core.forms import LoginForm, TokenForm
from sigill.core.models import SignInLock, SignInScope, SignInStage


class LoginView(auth_views.LoginView):
    """The password step. Failures are counted by ``sign_in_guard`` (through the
    ``user_login_failed`` signal); while a wait holds, the password is not even checked."""

    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(oidc_enabled=settings.OIDC_ENABLED, **kwargs)

    def _attempt(self) -> sign_in_guard.Attempt:
        username = str(self.request.POST.get("username", ""))
        return sign_in_guard.attempt(self.request, stage=SignInStage.PASSWORD, username=username)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if lock := sign_in_guard.active_lock(self._attempt()):
            return locked_out(request, lock)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        sign_in_guard.record_success(self._attempt())
        if not two_factor.is_required_for(user):
            sign_in_guard.remember_browser(response, request=self.request, username=user.get_username())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        # The failure just counted may have brought a wait: say so at once.
        if lock := sign_in_guard.active_lock(self._attempt()):
            return locked_out(self.request, lock)
        return super().form_invalid(form)


class FirstSignInView(auth_views.PasswordResetConfirmView):
    """A one-time link (``manage.py setup``, ``sign_in_link``): choose a password, then sign in.

    Comms and the registrar are sent on to set up two-factor authentication by
    RequireTwoFactorMiddleware before they can do anything else.
    """

    template_name = "core/first_sign_in.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(
                "core.auth.first_password_set", actor=self.user, target=self.user, request=self.request
            )
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        return response


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _qr_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _throttled_message(why: dict[str, Any] | None) -> str:
    """django-otp doubles the wait after each wrong code; say how long this wait is."""
    locked_until = (why or {}).get("locked_until")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
    return ngettext(
        "Too many wrong codes in a row. Wait %(seconds)d second and try again.",
        "Too many wrong codes in a row. Wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


@login_required
def two_factor_step(request: HttpRequest) -> HttpResponse:
    """Verify a code from the user's authenticator app, enrolling the app first if they have none.

    ``?recheck=1`` asks for a code even when the session has passed one (the vault wants a fresh one).
    """
    if two_factor.is_satisfied(request) and not request.GET.get("recheck"):
        return redirect(_safe_next(request))
    user: Any = request.user
    device = two_factor.confirmed_device(user)
    enrolling = device is None
    if device is None:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": settings.SITE_NAME}
        )
    form = TokenForm(request.POST or None)
    attempt = sign_in_guard.attempt(request, stage=SignInStage.TWO_FACTOR, username=user.get_username())
    lock = sign_in_guard.active_lock(attempt) if request.method == "POST" else None
    if lock is not None:
        form.add_error(None, _wait_message(lock))
    elif request.method == "POST" and form.is_valid():
        allowed, why = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _throttled_message(why))
        elif device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                if enrolling:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    audit.record("core.auth.two_factor_enrolled", actor=user, target=user, request=request)
                otp_login(request, device)
                two_factor.mark_verified(request)
                audit.record("core.auth.two_factor_passed", actor=user, target=user, request=request)
                sign_in_guard.record_success(attempt)
            response = redirect(_safe_next(request))
            sign_in_guard.remember_browser(response, request=request, username=user.get_username())
            return response
        else:
            with transaction.atomic():
                audit.record("core.auth.two_factor_failed", actor=user, target=user, request=request)
                imposed = sign_in_guard.record_failure(attempt, request=request)
            if imposed:
                form.add_error(None, _wait_message(max(imposed, key=lambda lock: lock.until)))
            form.add_error(
                "code",
                _(
                    "The code is not correct. Check that the clock on your phone is right, and try the newest code."
                ),
            )
    context = {
        "form": form,
        "enrolling": enrolling,
        "next": _safe_next(request),
        "qr_data_uri": _qr_data_uri(device) if enrolling else "",
        "secret_b32": base64.b32encode(device.bin_key).decode() if enrolling else "",
    }
    status = 429 if lock is not None or form.non_field_errors() else 422 if form.errors else 200
    return render(request, "core/two_factor.html", context, status=status)


def _wait_minutes(lock: SignInLock) -> int:
    return max(1, math.ceil((lock.until - timezone.now()).total_seconds() / 60))


def _wait_message(lock: SignInLock) -> str:
    minutes = _wait_minutes(lock)
    return ngettext(
        "Too many wrong codes. Wait %(minutes)d minute and try again.",
        "Too many wrong codes. Wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(request: HttpRequest, lock: SignInLock) -> HttpResponse:
    """The password step waits after repeated failures: say how long, and why."""
    context = {
        "minutes": _wait_minutes(lock),
        "until": lock.until,
        "everyone": lock.scope == SignInScope.EVERYONE,
    }
    return render(request, "core/locked_out.html", context, status=429)
