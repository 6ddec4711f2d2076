"""The registrar's screens for disclosure requests: the list by age, registering, selecting and
reviewing records, deciding, and the package downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.archive import selectors as archive
from sigill.archive.forms import SearchForm
from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest, User
from sigill.records import forms, package, selectors
from sigill.records.models import DisclosureRequest, RequestedRecord
from sigill.records.redaction import Span, pieces
from sigill.records.services import disclosure as services
from sigill.records.views.common import page as render


@login_required
def request_list(request: SignedInRequest) -> HttpResponse:
    policy_for(DisclosureRequest).require(request.user, "view")
    state = request.GET.get("state", DisclosureRequest.State.OPEN)
    if state not in DisclosureRequest.State.values and state != "all":
        state = DisclosureRequest.State.OPEN
    context = {
        "requests": selectors.requests_by_age(request.user, state="" if state == "all" else state),
        "state": state,
        "states": DisclosureRequest.State.choices,
    }
    return render(request, "records/requests.html", context)


@login_required
def request_create(request: SignedInRequest) -> HttpResponse:
    policy_for(DisclosureRequest).require(request.user, "create")
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.register_request(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request is registered. Now find and select the records."))
            return redirect(created)
    return render(request, "records/request_form.html", {"form": form}, status=422 if form.errors else 200)


def _review_entries(found: DisclosureRequest, bound: dict[str, Any]) -> list[dict[str, Any]]:
    """Each selected record with its text (redactions shown as marks) and its own review forms;
    the form that failed is shown again, bound, beside its record."""
    entries = []
    for record in selectors.records_of(found):
        parts = []
        if record.item is not None:
            text = archive.version_of(record.item, record.version_number).text
            parts = pieces(text, [Span(r.start, r.end, r.provision) for r in record.redactions.all()])
        failed = bound.get("failed_record") == record.pk
        auto_id = f"record-{record.pk}-%s"
        entries.append(
            {
                "record": record,
                "pieces": parts,
                "redact_form": bound.get("redact_form") if failed and "redact_form" in bound
                else forms.RedactForm(auto_id=auto_id),
                "withhold_form": bound.get("withhold_form") if failed and "withhold_form" in bound
                else forms.WithholdForm(auto_id=auto_id),
            }
        )  # fmt: skip
    return entries


def _review_context(user: User, found: DisclosureRequest, bound: dict[str, Any]) -> dict[str, Any]:
    entries = _review_entries(found, bound)
    records = [entry["record"] for entry in entries]
    return {
        "disclosure": found,
        "records": entries,
        "pending": sum(1 for record in records if record.decision == RequestedRecord.Decision.PENDING),
        "may_review": policy_for(DisclosureRequest).can(user, "review", found),
        "may_download": policy_for(DisclosureRequest).can(user, "download", found),
        "formats": PACKAGE_FORMATS,
    }


@login_required
def request_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.request_for(request.user, pk=pk))


def _detail(
    request: SignedInRequest, found: DisclosureRequest, status: int = 200, **bound: Any
) -> HttpResponse:
    user = request.user
    context = _review_context(user, found, bound)
    search_form = SearchForm(
        request.GET or None, accounts=archive.account_choices(user), units=archive.unit_choices(user)
    )
    page = None
    if context["may_review"] and search_form.is_bound and search_form.is_valid():
        page = archive.search_for(user, filters=search_form.filters(), unit=search_form.cleaned_data["unit"])
    selected = {entry["record"].item_id for entry in context["records"]}
    context.update(
        {
            "search_form": search_form,
            "page": page,
            "selected": selected,
            "decide_form": bound.get("decide_form") or forms.DecideForm(),
            "withdraw_form": bound.get("withdraw_form") or forms.WithdrawForm(),
        }
    )
    return render(request, "records/request.html", context, status=status)


@require_POST
@login_required
def add_records(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.request_for(request.user, pk=pk)
    policy_for(DisclosureRequest).require(request.user, "review", found)
    cut_off = False
    if request.POST.get("person"):
        # An access request: every item the person wrote, and every item that names them. Only
        # for an access request that names the person: an empty name would select everything.
        if found.kind != DisclosureRequest.Kind.ACCESS or not found.subject_name.strip():
            messages.error(request, _("Only an access request that names the person can select by person."))
            return redirect(found)
        ids, cut_off = selectors.items_about_person(request.user, name=found.subject_name)
    else:
        ids = [int(value) for value in request.POST.getlist("item") if value.isdigit()]
    items = archive.items_for(request.user).filter(pk__in=ids)
    added = services.add_records(request=found, items=items, by=request.user)
    messages.success(request, _("%(count)d records selected.") % {"count": added})
    if cut_off:
        messages.warning(
            request,
            _(
                "The archive holds more than %(limit)d items by or naming the person; only %(limit)d of "
                "them were selected. Select the rest with the search below."
            )
            % {"limit": selectors.PERSON_LIMIT},
        )
    return redirect(found)


@require_POST
@login_required
def review_record(request: SignedInRequest, pk: int, record: int) -> HttpResponse:
    """One record's review: disclose, redact a passage, withhold, or take it out."""
    found = selectors.record_for(request.user, request_pk=pk, pk=record)
    disclosure = found.request
    policy_for(DisclosureRequest).require(request.user, "review", disclosure)
    action = request.POST.get("action")
    form: django_forms.Form | None = None
    auto_id = f"record-{found.pk}-%s"
    try:
        if action == "disclose":
            services.disclose(record=found, by=request.user)
        elif action == "remove":
            services.remove_record(record=found, by=request.user)
        elif action == "redact":
            form = forms.RedactForm(request.POST, auto_id=auto_id)
            if form.is_valid():
                services.redact(record=found, by=request.user, **form.cleaned_data)
        elif action == "withhold":
            form = forms.WithholdForm(request.POST, auto_id=auto_id)
            if form.is_valid():
                services.withhold(record=found, by=request.user, reason=form.cleaned_data["reason"])
        else:
            raise Http404
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect(disclosure)
        add_service_errors(form, error)
    if form is not None and form.errors:
        return _detail(request, disclosure, status=422, failed_record=found.pk, **{f"{action}_form": form})
    messages.success(request, _("The review of %(reference)s is saved.") % {"reference": found.reference})
    return redirect(f"{disclosure.get_absolute_url()}#record-{found.pk}")


@require_POST
@login_required
def decide(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.request_for(request.user, pk=pk)
    policy_for(DisclosureRequest).require(request.user, "review", found)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide(request=found, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request is decided. The package can be downloaded."))
            return redirect(found)
    return _detail(request, found, status=422, decide_form=form)


@require_POST
@login_required
def withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.request_for(request.user, pk=pk)
    policy_for(DisclosureRequest).require(request.user, "review", found)
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        services.withdraw(request=found, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The request is closed without a decision."))
        return redirect(found)
    return _detail(request, found, status=422, withdraw_form=form)


PACKAGE_FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "letter": ("application/pdf", "pdf"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
}


@login_required
def download(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    found = selectors.request_for(request.user, pk=pk)
    policy_for(DisclosureRequest).require(request.user, "download", found)
    if fmt not in PACKAGE_FORMATS:
        raise Http404
    built = package.build(found)
    renderers: dict[str, Callable[[package.Package], bytes | str]] = {
        "pdf": package.as_pdf,
        "letter": package.as_letter_pdf,
        "csv": package.as_csv,
        "json": package.as_json,
    }
    body = renderers[fmt](built)
    services.record_download(request=found, by=request.user, fmt=fmt)
    content_type, extension = PACKAGE_FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    name = f"utlamnande-{found.pk}{'-beslut' if fmt == 'letter' else ''}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
