"""The communications department's page of sign-in waits: who is made to wait, why, and lifting it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.core import policies, sign_in_guard


@login_required
def sign_in_locks(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "view", "core.SignInLock")
    now = timezone.now()
    locks = sign_in_guard.locks_for(request.user).select_related("lifted_by")
    context = {
        "active": list(locks.filter(lifted_at__isnull=True, until__gt=now).order_by("-until")[:200]),
        "recent": list(
            locks.exclude(lifted_at__isnull=True, until__gt=now).filter(
                locked_at__gte=now - dt.timedelta(days=7)
            )[:200]
        ),
    }
    return render(request, "core/sign_in_locks.html", context)


@require_POST
@login_required
def lift_sign_in_lock(request: HttpRequest, pk: int) -> HttpResponse:
    lock = get_object_or_404(sign_in_guard.locks_for(request.user), pk=pk)
    sign_in_guard.lift(lock=lock, by=request.user, request=request)
    messages.success(request, _("The wait is lifted. Sign-ins it held back may go ahead now."))
    return redirect("core:sign_in_locks")
