"""What every records page shows: the section's own navigation, and the prompt-handling limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sigill.core.policies import can
from sigill.organisation.people import SignedInRequest

# (label, URL name, the model whose "view" the reader needs)
SECTIONS = [
    (_("Disclosure requests"), "records:requests", "records.DisclosureRequest"),
    (_("Retention rules"), "records:rules", "records.RetentionRule"),
    (_("Legal holds"), "records:holds", "records.LegalHold"),
    (_("Disposals"), "records:disposals", "records.DisposalRecord"),
    (_("E-archive"), "records:earchive", "records.RetentionRule"),
    (_("Closing accounts"), "records:closures", "records.AccountClosure"),
]


def records_nav(request: SignedInRequest) -> list[dict[str, Any]]:
    entries = []
    for label, url_name, model in SECTIONS:
        if can(request.user, "view", model):
            url = reverse(url_name)
            entries.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return entries


def page(request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {
        "records_nav": records_nav(request),
        "prompt_days": settings.DISCLOSURE_PROMPT_DAYS,
        **context,
    }
    return render(request, template, context, status=status)


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    """The records section starts at the first part the reader may see."""
    entries = records_nav(request)
    if not entries:
        raise PermissionDenied
    return redirect(entries[0]["url"])
