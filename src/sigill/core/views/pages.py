"""The start page, the audit log and the health check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sigill.core import heartbeat, policies, roles, selectors, todo
from sigill.core.forms import AuditFilterForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context = {
        "todos": todo.todos_for(user),
        "memberships": roles.held_roles(user),
    }
    return render(request, "core/home.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "view", "core.AuditEntry")
    form = AuditFilterForm(request.GET or None, target_types=selectors.audit_target_types())
    entries = selectors.audit_entries_for(request.user, filters=form.cleaned_data if form.is_valid() else {})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "core/audit_log.html", context, status=422 if form.errors else 200)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement the DOS law (2018:1937) asks every public service to publish."""
    context = {
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "statement_date": settings.ACCESSIBILITY_STATEMENT_DATE,
    }
    return render(request, "core/public/accessibility.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and a worker beat recently; 503 otherwise, saying which failed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database_ok = True
        beat_at = heartbeat.last_beat()
    except DatabaseError:
        database_ok, beat_at = False, None
    worker_ok = heartbeat.is_fresh(beat_at)
    body = {
        "status": "ok" if database_ok and worker_ok else "fail",
        "database": "ok" if database_ok else "unreachable",
        "worker": "ok" if worker_ok else ("stale" if beat_at else "no heartbeat"),
        "worker_last_beat": beat_at.isoformat() if beat_at else None,
    }
    return JsonResponse(body, status=200 if database_ok and worker_ok else 503)
