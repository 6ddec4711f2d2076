"""The publishing pages: thin, they parse, authorise, call a service or selector, and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest
from sigill.organisation.selectors import open_units
from sigill.publishing import calendar_feed, selectors, services
from sigill.publishing.forms import (
    ApprovalRuleForm,
    CalendarFilterForm,
    DraftForm,
    MediaForm,
    NewDraftForm,
    NoteForm,
    OverrideForm,
    RequiredNoteForm,
    RescheduleForm,
)
from sigill.publishing.policies import draft_policy
from sigill.publishing.review import media_facts, review_draft, review_text


def _kept_filters(request: SignedInRequest) -> str:
    """The filter part of the query, for the calendar's previous and next links ("&unit=3...")."""
    kept = request.GET.copy()
    for name in ("year", "month", "day"):
        kept.pop(name, None)
    return f"&{kept.urlencode()}" if kept else ""


def _filters(request: SignedInRequest) -> tuple[CalendarFilterForm, selectors.CalendarFilters]:
    accounts = selectors.visible_accounts(request.user).order_by("display_name")
    form = CalendarFilterForm(
        request.GET or None,
        units=open_units().filter(pk__in=accounts.values("unit_id")).order_by("path"),
        accounts=accounts,
        platforms=policy_for("registry.Platform").queryset(request.user, "view"),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, selectors.CalendarFilters(data["unit"], data["account"], data["platform"])
    return form, selectors.CalendarFilters()


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    """The list view of the calendar: every post the user may see, by time."""
    draft_policy.require(request.user, "view")
    form, filters = _filters(request)
    drafts = list(selectors.drafts_for(request.user, filters).order_by("scheduled_at", "-updated_at"))
    deliveries = selectors.deliveries_of(drafts)
    rows = [
        (draft, [(target, deliveries.get((draft.pk, target.account_id))) for target in draft.targets.all()])
        for draft in drafts
    ]
    return render(
        request,
        "publishing/index.html",
        {
            "form": form,
            "rows": rows,
            "waiting": selectors.waiting_for(request.user),
            "view": "list",
        },
    )


def _month_arg(request: SignedInRequest) -> dt.date:
    today = timezone.localdate()
    try:
        first = dt.date(
            int(request.GET.get("year", today.year)), int(request.GET.get("month", today.month)), 1
        )
    except (ValueError, OverflowError) as error:
        raise Http404 from error
    # The grid reaches into the weeks before and after the month: keep clear of the calendar's ends.
    if not dt.MINYEAR < first.year < dt.MAXYEAR:
        raise Http404
    return first


@login_required
@require_GET
def month(request: SignedInRequest) -> HttpResponse:
    draft_policy.require(request.user, "view")
    first = _month_arg(request)
    form, filters = _filters(request)
    weeks = selectors.month_grid(
        selectors.drafts_for(request.user, filters), year=first.year, month=first.month
    )
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "publishing/month.html",
        {
            "form": form,
            "weeks": weeks,
            "first": first,
            "previous": previous,
            "following": following,
            "view": "month",
            "kept": _kept_filters(request),
            "keep": [("year", first.year), ("month", first.month)],
        },
    )


@login_required
@require_GET
def week(request: SignedInRequest) -> HttpResponse:
    draft_policy.require(request.user, "view")
    try:
        day = dt.date.fromisoformat(request.GET["day"]) if "day" in request.GET else timezone.localdate()
    except ValueError as error:
        raise Http404 from error
    if not dt.MINYEAR < day.year < dt.MAXYEAR:
        raise Http404
    monday = day - dt.timedelta(days=day.weekday())
    form, filters = _filters(request)
    days = selectors.week_days(selectors.drafts_for(request.user, filters), monday=monday)
    return render(
        request,
        "publishing/week.html",
        {
            "form": form,
            "days": days,
            "monday": monday,
            "previous": monday - dt.timedelta(days=7),
            "following": monday + dt.timedelta(days=7),
            "view": "week",
            "kept": _kept_filters(request),
            "keep": [("day", monday.isoformat())],
        },
    )


@login_required
def new(request: SignedInRequest) -> HttpResponse:
    draft_policy.require(request.user, "create")
    form = NewDraftForm(
        request.POST if request.method == "POST" else None, accounts=selectors.writable_accounts(request.user)
    )
    if request.method == "POST" and form.is_valid():
        draft = services.create_draft(
            title=form.cleaned_data["title"],
            accounts=form.cleaned_data["accounts"],
            text=form.cleaned_data["text"],
            by=request.user,
        )
        return redirect(draft)
    return render(request, "publishing/new.html", {"form": form}, status=422 if form.errors else 200)


def _draft_page(
    request: SignedInRequest, draft: Any, form: DraftForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    review = review_draft(draft)
    deliveries = selectors.deliveries_of([draft])
    context = {
        "deliveries": [(target, deliveries.get((draft.pk, target.account_id))) for target in form.targets],
        "draft": draft,
        "form": form,
        "targets": [
            (target, form.fields_of(target), checks)
            for target, checks in zip(form.targets, review.targets, strict=True)
        ],
        "review": review,
        "media": draft.media.all(),
        "media_form": extra.pop("media_form", MediaForm()),
        "events": selectors.events_of(draft),
        "may_edit": draft_policy.can(request.user, "edit", draft),
        "may_approve": draft_policy.can(request.user, "approve", draft),
        "may_comment": draft_policy.can(request.user, "comment", draft),
        "may_override": draft_policy.can(request.user, "override", draft),
        "needs_approval": services.needs_approval(draft),
        **extra,
    }
    return render(request, "publishing/draft.html", context, status=status)


@login_required
def draft(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.draft_for(request.user, pk=pk)
    targets = list(selectors.targets_of(found))
    if request.method != "POST":
        initial = {"title": found.title, "link": found.link, "scheduled_at": found.scheduled_at}
        return _draft_page(request, found, DraftForm(initial=initial, targets=targets))
    draft_policy.require(request.user, "edit", found)
    form = DraftForm(request.POST, targets=targets)
    if not form.is_valid():
        return _draft_page(request, found, form, status=422)
    services.save_draft(
        draft=found,
        title=form.cleaned_data["title"],
        link=form.cleaned_data["link"],
        scheduled_at=form.cleaned_data["scheduled_at"],
        texts=form.texts(),
        by=request.user,
    )
    messages.success(request, _("Saved."))
    return redirect(found)


@login_required
@require_POST
def checks(request: SignedInRequest, pk: int) -> HttpResponse:
    """The checks and counts of the texts as they stand in the form (not saved): the htmx partial."""
    found = selectors.draft_for(request.user, pk=pk, action="edit")
    targets = list(selectors.targets_of(found))
    overrides = {override.fingerprint: override for override in found.overrides.all()}
    media = media_facts(found)
    reviews = [
        review_text(
            account=target.account,
            text=request.POST.get(f"text_{target.account_id}", ""),
            first_comment=request.POST.get(f"first_comment_{target.account_id}", ""),
            link=request.POST.get("link", ""),
            media=media,
            overrides=overrides,
        )
        for target in targets
    ]
    return render(
        request, "publishing/partials/_checks.html", {"draft": found, "reviews": reviews, "live": True}
    )


@login_required
@require_GET
def history(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.draft_for(request.user, pk=pk)
    return render(
        request, "publishing/history.html", {"draft": found, "versions": selectors.versions_of(found)}
    )


@login_required
@require_POST
def add_media(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.draft_for(request.user, pk=pk, action="edit")
    form = MediaForm(request.POST, request.FILES)
    if not form.is_valid():
        targets = list(selectors.targets_of(found))
        initial = {"title": found.title, "link": found.link, "scheduled_at": found.scheduled_at}
        return _draft_page(
            request, found, DraftForm(initial=initial, targets=targets), status=422, media_form=form
        )
    data = form.cleaned_data
    services.add_media(
        draft=found,
        kind=data["kind"],
        file=data["file"],
        content_type=data["content_type"],
        alt_text=data["alt_text"],
        captions=data.get("captions"),
        captions_type=data.get("captions_type") or "",
        no_captions_reason=data.get("no_captions_reason", ""),
        by=request.user,
    )
    messages.success(request, _("Added."))
    return redirect(found)


@login_required
@require_POST
def remove_media(request: SignedInRequest, pk: int, media_pk: int) -> HttpResponse:
    found = selectors.draft_for(request.user, pk=pk, action="edit")
    services.remove_media(media=get_object_or_404(found.media, pk=media_pk), by=request.user)
    return redirect(found)


def _act(
    request: SignedInRequest, pk: int, action: str, form_class: type, act: Any, done: str
) -> HttpResponse:
    found = selectors.draft_for(request.user, pk=pk, action=action)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment."))
        return redirect(found)
    try:
        act(draft=found, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(found)
    messages.success(request, done)
    return redirect(found)


@login_required
@require_POST
def submit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "edit", NoteForm, services.submit, _("Sent on."))


@login_required
@require_POST
def publish_now(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.draft_for(request.user, pk=pk, action="edit")
    try:
        services.publish_now(draft=found, by=request.user)
    except (ValidationError, services.Blocked) as error:
        messages.error(
            request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        )
        return redirect(found)
    messages.success(request, _("Handed over for publishing."))
    return redirect(found)


@login_required
@require_POST
def approve(request: SignedInRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve", NoteForm, services.approve, _("Approved."))


@login_required
@require_POST
def send_back(request: SignedInRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve", RequiredNoteForm, services.send_back, _("Sent back to the writer."))


@login_required
@require_POST
def comment(request: SignedInRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "comment", RequiredNoteForm, services.comment, _("Comment saved."))


@login_required
@require_POST
def override(request: SignedInRequest, pk: int) -> HttpResponse:
    found = selectors.draft_for(request.user, pk=pk, action="override")
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason the post may go out anyway."))
        return redirect(found)
    try:
        services.override_check(
            draft=found,
            fingerprint=form.cleaned_data["fingerprint"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(found)
    messages.success(request, _("The finding is overridden; the reason is in the audit log."))
    return redirect(found)


@login_required
def reschedule(request: SignedInRequest, pk: int) -> HttpResponse:
    """Move a post to another time: the form the calendar's drag and drop also posts to."""
    found = selectors.draft_for(request.user, pk=pk, action="edit")
    form = RescheduleForm(
        request.POST if request.method == "POST" else None, initial={"scheduled_at": found.scheduled_at}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule(draft=found, at=form.cleaned_data["scheduled_at"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(found)
        messages.success(request, _("Rescheduled."))
        back = request.POST.get("next", "")
        return redirect(back if back.startswith("/publishing/") else found.get_absolute_url())
    return render(
        request,
        "publishing/reschedule.html",
        {"draft": found, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def rules(request: SignedInRequest) -> HttpResponse:
    draft_policy.require(request.user, "set_rules")
    if request.method == "POST":
        form = ApprovalRuleForm(request.POST)
        account = get_object_or_404(selectors.visible_accounts(request.user), pk=request.POST.get("account"))
        if form.is_valid():
            services.set_approval_rule(
                account=account, approver=form.cleaned_data["approver"], by=request.user
            )
            messages.success(request, _("The approval rule is saved."))
        return redirect("publishing:rules")
    return render(
        request,
        "publishing/rules.html",
        {"rows": selectors.rules_for(request.user), "form": ApprovalRuleForm()},
    )


@login_required
def feed(request: SignedInRequest) -> HttpResponse:
    draft_policy.require(request.user, "view")
    token = None
    if request.method == "POST":
        if request.POST.get("act") == "revoke":
            services.revoke_feed(by=request.user)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("publishing:feed")
        token = services.create_feed(by=request.user)
    url = request.build_absolute_uri(reverse("publishing:ical", kwargs={"token": token})) if token else None
    return render(
        request, "publishing/feed.html", {"url": url, "open_feed": selectors.open_feed_of(request.user)}
    )


@require_GET
def ical(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed of one person's posts, read by their calendar program without a session."""
    user = selectors.feed_owner(token)
    if user is None:
        raise Http404
    body = calendar_feed.render(
        selectors.drafts_for(user).filter(scheduled_at__isnull=False), base=request.build_absolute_uri("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
