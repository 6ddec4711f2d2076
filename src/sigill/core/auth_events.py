"""Audit entries for the framework's own authentication events.

Django announces these with signals; the receivers write the audit entry in the request's
transaction and mark the request so the middleware keeps the signed-in cookie right. A failed
password is also counted by the sign-in guard, which may make further tries wait.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from sigill.core import audit, sign_in_guard
from sigill.core.models import SignInStage


@receiver(user_logged_in, dispatch_uid="sigill.audit.logged_in")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    details = {"backend": getattr(user, "backend", "")}
    audit.record("core.auth.logged_in", actor=user, target=user, details=details, request=request)
    if request is not None:
        request.sigill_signed_in_as = user.get_username()  # type: ignore[attr-defined]


@receiver(user_logged_out, dispatch_uid="sigill.audit.logged_out")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("core.auth.logged_out", actor=user, target=user, request=request)
    if request is not None:
        request.sigill_signed_out = True  # type: ignore[attr-defined]


@receiver(user_login_failed, dispatch_uid="sigill.audit.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already replaced the password in ``credentials``; only the username is kept.
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        "core.auth.login_failed", actor_label=username, details={"username": username}, request=request
    )
    if request is not None:
        attempt = sign_in_guard.attempt(request, stage=SignInStage.PASSWORD, username=username)
        sign_in_guard.record_failure(attempt, request=request)
