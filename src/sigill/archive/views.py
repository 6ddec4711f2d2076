"""The archive's pages: search, an item with its thread and versions, files, manual capture."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.archive import forms, policies, selectors, services
from sigill.archive.capture import CapturedFile
from sigill.archive.models import Attachment, Item
from sigill.archive.search import Filters
from sigill.organisation.people import SignedInRequest


@login_required
def search(request: SignedInRequest) -> HttpResponse:
    policies.item_policy.require(request.user, "view")
    user = request.user
    form = forms.SearchForm(
        request.GET or None, accounts=selectors.account_choices(user), units=selectors.unit_choices(user)
    )
    page = None
    if form.is_valid():
        page = selectors.search_for(
            user, filters=form.filters(), unit=form.cleaned_data["unit"], after=_cursor(request)
        )
    elif not form.is_bound:
        page = selectors.search_for(user, filters=Filters(), after=_cursor(request))
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "paged": "after" in request.GET,
        "may_capture": policies.item_policy.can(user, "capture"),
    }
    return render(request, "archive/search.html", context, status=422 if form.errors else 200)


def _cursor(request: SignedInRequest) -> int | None:
    try:
        return int(request.GET["after"])
    except (KeyError, ValueError):
        return None


@login_required
def item(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    found = selectors.item_for(user, pk=pk)
    context = {
        "item": found,
        "entry": selectors.sealed_entry(found),
        "thread": selectors.thread_of(found, user=user),
        "versions": selectors.versions_of(found),
        "facts": selectors.facts_of(found),
        "chain_length": selectors.chain_length(),
        "secret_form": forms.MarkSecretForm()
        if policies.item_policy.can(user, "mark_secret", found)
        else None,
    }
    return render(request, "archive/item.html", context)


# Files up to this size are sent from memory; larger ones (video) are streamed.
STREAM_FROM_BYTES = 8 * 1024 * 1024


@login_required
def attachment(request: SignedInRequest, pk: int) -> HttpResponse:
    """A stored file, served as a download so that a hostile file never renders in Sigill's origin."""
    row = get_object_or_404(Attachment.objects.select_related("version"), pk=pk)
    selectors.item_for(request.user, pk=row.version.item_id)
    if not default_storage.exists(row.storage_name):
        raise Http404
    known_type = mimetypes.guess_extension(row.content_type) is not None
    content_type = row.content_type if known_type else "application/octet-stream"
    stored = default_storage.open(row.storage_name, "rb")
    response: HttpResponse | FileResponse
    if row.size >= STREAM_FROM_BYTES:
        response = FileResponse(stored, as_attachment=True, filename=row.name, content_type=content_type)
    else:
        with stored:
            response = HttpResponse(stored.read(), content_type=content_type)
        response["Content-Disposition"] = (
            content_disposition_header(as_attachment=True, filename=row.name) or "attachment"
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response  # type: ignore[return-value]


@require_POST
@login_required
def mark_secret(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.item_for(request.user, pk=pk)
    policies.item_policy.require(request.user, "mark_secret", found)
    form = forms.MarkSecretForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the provision that makes the information secret."))
        return redirect(found)
    services.mark_secret(item=found, by=request.user, **form.cleaned_data)
    messages.success(request, _("The item is marked as secret."))
    return redirect(found)


@login_required
def manual_capture(request: SignedInRequest) -> HttpResponse:
    user = request.user
    policies.item_policy.require(user, "capture")
    accounts = policies.capturable_accounts(user).select_related("platform").order_by("display_name")
    form = forms.ManualCaptureForm(request.POST or None, request.FILES or None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = [
            CapturedFile(name=upload.name or "fil", content_type=upload.content_type, content=upload.read())
            for upload in data["uploads"]
        ]
        captured: Item = services.capture_manually(
            account=data["account"],
            by=user,
            kind=data["kind"],
            direction=data["direction"],
            published_at=data["published_at"],
            text=data["text"],
            author=data["author"],
            url=data["url"],
            files=files,
        )
        messages.success(request, _("Captured into the archive."))
        return redirect(captured)
    return render(request, "archive/manual_capture.html", {"form": form}, status=422 if form.errors else 200)
