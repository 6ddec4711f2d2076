"""The screens: forward a question, follow it, the contact center's queue, and the search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.inquiries import selectors, services
from sigill.inquiries.forms import AnswerForm, AssignForm, CloseForm, ForwardForm, SearchForm
from sigill.inquiries.models import Inquiry
from sigill.organisation.people import SignedInRequest


@login_required
def inquiry_list(request: SignedInRequest) -> HttpResponse:
    """Everyone's own forwarded questions; for the registrar, comms and the contact center, a
    search over every inquiry."""
    may_search = policy_for(Inquiry).can(request.user, "search")
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {
        "own": Paginator(selectors.own_inquiries(request.user), 25).get_page(request.GET.get("mine")),
        "form": form,
        "may_search": may_search,
    }
    if may_search:
        found = selectors.search(request.user, filters=form.cleaned_data if form.is_valid() else {})
        context["page"] = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "inquiries/list.html", context)


@login_required
def forward(request: SignedInRequest) -> HttpResponse:
    policy_for(Inquiry).require(request.user, "create")
    form = ForwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.create_inquiry(
                **form.cleaned_data, source=Inquiry.Source.ESERVICE, by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. The question is forwarded to the contact center."))
            return redirect(inquiry)
    return render(request, "inquiries/form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def queue(request: SignedInRequest) -> HttpResponse:
    policy_for(Inquiry).require(request.user, "work")
    context = {
        "page": Paginator(selectors.queue(request.user), 50).get_page(request.GET.get("page")),
        "now": timezone.now(),
        "response_hours": settings.INQUIRY_RESPONSE_HOURS,
    }
    return render(request, "inquiries/queue.html", context)


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.inquiry_for(request.user, pk=pk))


def _detail(
    request: SignedInRequest, inquiry: Inquiry, status: int = 200, **forms_: forms.Form
) -> HttpResponse:
    policy = policy_for(Inquiry)
    context = {
        "inquiry": inquiry,
        "events": inquiry.events.select_related("actor"),
        "may_work": policy.can(request.user, "work", inquiry),
        "may_register": policy.can(request.user, "register", inquiry),
        "assign_form": forms_.get("assign_form") or AssignForm(initial={"assignee": inquiry.assigned_to}),
        "answer_form": forms_.get("answer_form") or AnswerForm(),
        "close_form": forms_.get("close_form") or CloseForm(),
    }
    return render(request, "inquiries/detail.html", context, status=status)


def _act(
    request: SignedInRequest,
    pk: int,
    action: str,
    form_class: type[forms.Form],
    form_name: str,
    call: Callable[[Inquiry, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """One step of the queue: the service says no, with a reason, to a wrong step or person."""
    inquiry = selectors.inquiry_for(request.user, pk=pk)
    policy_for(Inquiry).require(request.user, action, inquiry)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(inquiry, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(inquiry)
    return _detail(request, inquiry, status=422, **{form_name: form})


@require_POST
@login_required
def assign(request: SignedInRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "work",
        AssignForm,
        "assign_form",
        lambda inquiry, data: services.assign(inquiry=inquiry, to=data["assignee"], by=request.user),
        _("The inquiry is assigned."),
    )


@require_POST
@login_required
def answer(request: SignedInRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "work",
        AnswerForm,
        "answer_form",
        lambda inquiry, data: services.answer(inquiry=inquiry, text=data["text"], by=request.user),
        _("The answer is saved."),
    )


@require_POST
@login_required
def close(request: SignedInRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "work",
        CloseForm,
        "close_form",
        lambda inquiry, data: services.close(inquiry=inquiry, note=data["text"], by=request.user),
        _("The inquiry is closed."),
    )


@require_POST
@login_required
def send_to_records(request: SignedInRequest, pk: int) -> HttpResponse:
    inquiry = selectors.inquiry_for(request.user, pk=pk)
    policy_for(Inquiry).require(request.user, "register", inquiry)
    services.send_to_records(inquiry=inquiry, by=request.user)
    messages.success(request, _("The inquiry is sent to the records system."))
    return redirect(inquiry)
