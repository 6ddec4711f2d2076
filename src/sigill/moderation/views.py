"""The moderation screens: the queue, a case and its decision, registration, supervision, the
pre-publication check, and comms' tuning of word lists and time targets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.http import require_POST

from sigill.compliance import services as compliance_services
from sigill.compliance.selectors import CommentRule, open_reports_for, policy_url
from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.guidelines.selectors import must_acknowledge
from sigill.moderation import acting, drafts, engine, platform_acts, selectors, services
from sigill.moderation.forms import (
    BulkForm,
    DecisionForm,
    DraftForm,
    QueueFilterForm,
    RegistrationForm,
    TimeTargetForm,
    WordListForm,
)
from sigill.moderation.models import (
    Case,
    CaseFinding,
    Decision,
    PlatformAct,
    Registration,
    WordList,
)
from sigill.moderation.policies import decidable_accounts
from sigill.organisation.people import SignedInRequest, User
from sigill.registry.models import Account
from sigill.registry.selectors import account_for

View = Callable[..., HttpResponse]


def guideline_first(view: View) -> View:
    """Moderators who have not acknowledged the guideline in force are sent to read it first (G8)."""

    @wraps(view)
    def wrapper(request: SignedInRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (version := must_acknowledge(request.user)) is not None:
            return render(request, "moderation/acknowledge_first.html", {"version": version}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@guideline_first
def queue(request: SignedInRequest) -> HttpResponse:
    policy_for(Case).require(request.user, "view")
    accounts = (
        policy_for(Account).queryset(request.user, "view").select_related("platform").order_by("display_name")
    )
    form = QueueFilterForm(request.GET or None, accounts=accounts)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.QueueFilters(
        account=data.get("account"),
        state=data.get("state") or Case.State.OPEN,
        flagged_only=bool(data.get("flagged")),
    )
    found = selectors.queue_for(request.user, filters)
    services.record_visit(accounts=[filters.account] if filters.account else accounts, by=request.user)
    may_decide = policy_for(Case).can(request.user, "decide")
    context = {
        "form": form,
        "queue": found,
        "filters": filters,
        "now": timezone.now(),
        "may_decide": may_decide,
        "bulk_form": BulkForm(cases=selectors.cases_for(request.user)) if may_decide else None,
    }
    return render(request, "moderation/queue.html", context)


def _case_page(
    request: SignedInRequest, case: Case, form: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    findings = list(selectors.findings_of(case))
    text = selectors.archive_selectors.current_texts([case.item_id]).get(case.item_id, "")
    decision = selectors.decision_of(case)
    facts = selectors.platform_facts(case)
    form = form or DecisionForm(initial=_initial(case, findings, facts, request.user))
    done = decision is not None and decision.done_on_platform
    context = {
        "case": case,
        "item": case.item,
        "segments": selectors.highlighted(text, findings),
        "findings": findings,
        "thread": selectors.archive_selectors.thread_of(case.item, user=request.user),
        "decision": decision,
        "history": selectors.decisions_of(case),
        "reports": selectors.open_reports_on(case),
        "may_decide": policy_for(Case).can(request.user, "decide", case),
        "form": form,
        "acts": [(radio, facts.hint(radio.data["value"])) for radio in form["act"]],
        "facts": facts,
        "unlawful": [CommentRule(rule).label for rule in selectors.unlawful_rules_of(case)],
        "through_api": decision is not None and acting.through_api(decision),
        "retry_planned": decision is not None and acting.planned_retry(decision),
        "last_attempt": decision.platform_acts.order_by("at", "id").last() if decision else None,
        # The author is told the comment was removed only once it was (the act succeeded).
        "author_message": _author_message(case, decision) if decision and decision.removes and done else "",
        "done_on_platform": done,
        "reply": _reply_state(decision),
        "target": selectors.time_target(case.account),
        "next_case": selectors.next_in_queue(request.user, after=case),
    }
    return render(request, "moderation/case.html", context, status=status)


def _reply_state(decision: Any) -> platform_acts.ReplyState | None:
    """How the decision's reply stands on the platform, when Sigill publishes it."""
    replier = platform_acts.replier()
    if decision is None or decision.act != "reply" or replier is None:
        return None
    return replier.reply_state(platform_acts.reply_key(decision.pk))


def _initial(
    case: Case, findings: list[CaseFinding], facts: selectors.PlatformFacts, by: User
) -> dict[str, str]:
    """The form as offered: the reason the most severe finding points to, a reply drafted, and
    the removal the platform's API can do (hide, else delete)."""
    removal = "delete" if "delete" in facts.through_api and "hide" not in facts.through_api else "hide"
    return {
        "reason": selectors.suggested_reason(case),
        "removal": removal,
        "reply_text": _reply_draft(case, findings, by),
    }


def _reply_draft(case: Case, findings: list[CaseFinding], by: User) -> str:
    return drafts.reply_draft(
        author=case.item.author_name or case.item.author_handle,
        is_question=any(finding.type == "question" for finding in findings),
        moderator=by.first_name or by.get_full_name(),
        account=case.account.display_name,
    )


def _author_message(case: Case, decision: Decision) -> str:
    """The message that tells the author why, where the platform lets us send one."""
    return _(
        "Your comment on %(account)s was removed because it broke our comment rules: %(reason)s. "
        "Read the rules: %(url)s"
    ) % {
        "account": case.account.display_name,
        "reason": decision.get_reason_display(),
        "url": policy_url(case.account),
    }


@login_required
@guideline_first
def case_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk=pk)
    if policy_for(Case).can(request.user, "decide", case):
        services.look_at(case=case, by=request.user)
    else:
        services.record_visit(accounts=[case.account], by=request.user)
    return _case_page(request, case)


@login_required
@guideline_first
@require_POST
def decide(request: SignedInRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk=pk)
    policy_for(Case).require(request.user, "decide", case)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, form, status=422)
    try:
        decision = services.decide(case=case, choice=services.Choice(**form.cleaned_data), by=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return _case_page(request, case, form, status=422)
    except services.AlreadyDecided as taken:
        messages.warning(request, _already_decided(taken.decision))
        return redirect(case)
    _after_decision(request, decision)
    if decision.act == "secret" and not policy_for(Case).can(request.user, "view", case):
        return redirect("moderation:queue")  # the record is now restricted to comms and the registrar
    return redirect(case)


@login_required
@guideline_first
@require_POST
def unhide(request: SignedInRequest, pk: int) -> HttpResponse:
    """Show a hidden comment again on the platform: undoes the hide, recorded as a decision."""
    case = selectors.case_for(request.user, pk=pk)
    policy_for(Case).require(request.user, "decide", case)
    try:
        decision = services.unhide(case=case, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(case)
    _after_decision(request, decision)
    return redirect(case)


def _already_decided(decision: Decision) -> str:
    return _("%(person)s already decided this comment (%(act)s, %(time)s). Their decision stands.") % {
        "person": decision.decided_by.get_full_name() or decision.decided_by.get_username(),
        "act": decision.get_act_display(),
        "time": timezone.localtime(decision.decided_at).strftime("%Y-%m-%d %H:%M"),
    }


def _after_decision(request: SignedInRequest, decision: Decision) -> None:
    messages.success(request, _("Decided: %(act)s.") % {"act": decision.get_act_display()})
    if decision.acts_on_platform:
        _report_platform_act(request, services.carry_out(decision=decision, by=request.user))


def _report_platform_act(request: SignedInRequest, attempt: Any) -> None:
    if attempt is None:
        messages.info(
            request, _("The platform's API cannot do this: do it on the platform, then confirm it here.")
        )
    elif attempt.outcome == attempt.Outcome.DONE:
        messages.success(
            request, _("Done on the platform, after the saved copy was verified against its seal.")
        )
    elif attempt.outcome == attempt.Outcome.REFUSED_UNVERIFIED:
        messages.error(
            request,
            _("Nothing was done on the platform: the saved copy did not verify. %(problems)s")
            % {"problems": attempt.message},
        )
    elif attempt.outcome == attempt.Outcome.FAILED:
        messages.error(
            request,
            _("It failed on the platform, and the comment is still there: %(message)s")
            % {"message": attempt.message},
        )


@login_required
@guideline_first
@require_POST
def platform_act(request: SignedInRequest, pk: int) -> HttpResponse:
    """Try a failed act again, or confirm that it was done by hand on the platform."""
    decision = get_object_or_404(
        Decision.objects.select_related("case", "case__item", "case__item__platform"), pk=pk
    )
    if not policy_for(Case).can(request.user, "view", decision.case):
        raise Http404
    policy_for(Case).require(request.user, "decide", decision.case)
    attempt = services.carry_out(
        decision=decision, by=request.user, by_hand=request.POST.get("by_hand") == "1"
    )
    _report_platform_act(request, attempt)
    return redirect(decision.case)


@login_required
@guideline_first
@require_POST
def bulk(request: SignedInRequest) -> HttpResponse:
    """One decision for many comments: keep (the common case), hide or delete with a reason."""
    policy_for(Case).require(request.user, "decide")
    # Every case the person sees: one someone else decided meanwhile is counted and left alone,
    # rather than making the whole choice invalid.
    form = BulkForm(request.POST, cases=selectors.cases_for(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose the comments and a decision (with a reason to hide or delete)."))
        return redirect("moderation:queue")
    counts = Counter[str]()
    choice = services.Choice(act=form.cleaned_data["act"], reason=form.cleaned_data["reason"])
    for case in form.cleaned_data["cases"]:
        try:
            decision = services.decide(case=case, choice=choice, by=request.user)
        except services.AlreadyDecided as already:
            # One's own earlier click is no news.
            counts["taken"] += already.decision.decided_by_id != request.user.pk
            continue
        except PermissionDenied:
            counts["refused"] += 1
            continue
        except ValidationError:
            counts["need_reason"] += 1  # screening found something law 1998:112 says must come off
            continue
        counts["done"] += 1
        if decision.acts_on_platform:
            attempt = services.carry_out(decision=decision, by=request.user)
            counts["not_on_platform"] += attempt is None or attempt.outcome != PlatformAct.Outcome.DONE
    _report_bulk(request, counts)
    return redirect("moderation:queue")


# What a bulk decision tells beside the count decided; the number picks the plural (Django's
# lazy ngettext reads it from the "count" key).
_BULK_WARNINGS = {
    "not_on_platform": ngettext_lazy(
        "%(count)d is not yet done on the platform: open it to do it by hand or try again.",
        "%(count)d are not yet done on the platform: open each to do it by hand or try again.",
        "count",
    ),
    "refused": ngettext_lazy(
        "%(count)d may not be decided by you.", "%(count)d may not be decided by you.", "count"
    ),
    "need_reason": ngettext_lazy(
        "%(count)d was not decided: it may break law 1998:112 and stays online only with a written "
        "reason; open it to decide.",
        "%(count)d were not decided: they may break law 1998:112 and stay online only with a written "
        "reason; open each to decide.",
        "count",
    ),
    "taken": ngettext_lazy(
        "%(count)d was already decided by someone else; their decision stands.",
        "%(count)d were already decided by someone else; their decisions stand.",
        "count",
    ),
}


def _report_bulk(request: SignedInRequest, counts: Counter[str]) -> None:
    done = counts["done"]
    messages.success(
        request, ngettext("%(done)d comment decided.", "%(done)d comments decided.", done) % {"done": done}
    )
    for name, text in _BULK_WARNINGS.items():
        if counts[name]:
            messages.warning(request, text % {"count": counts[name]})


@login_required
@guideline_first
def evidence(request: SignedInRequest, pk: int) -> HttpResponse:
    """The evidence bundle (PDF) of a threat reported to the police or of a removed comment."""
    decision = get_object_or_404(
        Decision.objects.select_related("case", "case__item", "case__account", "decided_by"), pk=pk
    )
    if not decision.has_evidence_bundle or not policy_for(Case).can(request.user, "view", decision.case):
        raise Http404
    policy_for(Case).require(request.user, "decide", decision.case)
    pdf = services.export_evidence(decision=decision, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bevis-arende-{decision.case_id}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@guideline_first
@require_POST
def finding_wrong(request: SignedInRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(CaseFinding.objects.select_related("case"), pk=pk)
    if not policy_for(Case).can(request.user, "view", finding.case):
        raise Http404
    services.mark_finding_wrong(finding=finding, by=request.user)
    messages.success(
        request, _("Thank you. The finding is counted as wrong; comms tunes the word lists with it.")
    )
    return redirect(finding.case)


@login_required
@guideline_first
@require_POST
def report_handled(request: SignedInRequest, pk: int) -> HttpResponse:
    """A resident's report that matched no archived comment, looked into on the platform."""
    report = get_object_or_404(open_reports_for(decidable_accounts(request.user)), pk=pk)
    compliance_services.mark_reports_handled(reports=[report], by=request.user)
    messages.success(request, _("The report is marked as handled."))
    return redirect("moderation:queue")


@login_required
def registrations(request: SignedInRequest) -> HttpResponse:
    policy_for(Registration).require(request.user, "view")
    context = {
        "waiting": selectors.awaiting_registration(request.user),
        "registered": selectors.registered(request.user)[:100],
        "may_register": policy_for(Registration).can(request.user, "register"),
        "form": RegistrationForm(),
    }
    return render(request, "moderation/registrations.html", context)


@login_required
@require_POST
def register(request: SignedInRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(selectors.awaiting_registration(request.user), pk=pk)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.register(decision=decision, reference=form.cleaned_data["reference"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Registered under %(reference)s.") % form.cleaned_data)
    else:
        messages.error(request, _("Give the reference number the record was registered under."))
    return redirect("moderation:registrations")


@login_required
def supervision(request: SignedInRequest) -> HttpResponse:
    policy_for(Case).require(request.user, "view")
    return render(request, "moderation/supervision.html", {"rows": selectors.supervision_for(request.user)})


@login_required
def account_supervision(request: SignedInRequest, slug: str) -> HttpResponse:
    policy_for(Case).require(request.user, "view")
    account = account_for(request.user, slug=slug)
    may_change = policy_for(Account).can(request.user, "change", account)
    target = selectors.time_target(account)
    form = TimeTargetForm(
        request.POST or None, initial={"hours": target.hours, "weekends_count": target.weekends_count}
    )
    if request.method == "POST":
        policy_for(Account).require(request.user, "change", account)
        if form.is_valid():
            services.set_time_target(account=account, by=request.user, **form.cleaned_data)
            messages.success(request, _("The time target is saved; open comments have new due times."))
            return redirect("moderation:account", slug=account.slug)
    context = {
        "account": account,
        "visits": selectors.visits_of(account),
        "target": target,
        "form": form if may_change else None,
    }
    return render(request, "moderation/account.html", context, status=422 if form.errors else 200)


@login_required
def check_draft(request: SignedInRequest) -> HttpResponse:
    policy_for(Case).require(request.user, "check_draft")
    form = DraftForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        report = drafts.check_draft(
            text,
            images=form.cleaned_data["images"] or 0,
            alt_texts=form.cleaned_data["alt_texts"].splitlines(),
        )
        findings_view = selectors.highlighted(text, report.findings)  # type: ignore[arg-type]
    else:
        findings_view = []
    return render(
        request,
        "moderation/check.html",
        {"form": form, "report": report, "segments": findings_view},
        status=422 if form.errors else 200,
    )


@login_required
def word_lists(request: SignedInRequest) -> HttpResponse:
    policy_for(WordList).require(request.user, "view")
    edited = engine.current_lists()
    rows = [{"name": name, "current": edited.get(name)} for name in (*engine.list_names(), engine.ALLOW_LIST)]
    context = {
        "rows": rows,
        "quality": selectors.feedback_by_detector(),
        "recent": selectors.marked_wrong_recently(),
    }
    return render(request, "moderation/word_lists.html", context)


@login_required
def word_list(request: SignedInRequest, name: str) -> HttpResponse:
    policy_for(WordList).require(request.user, "change")
    if name not in (*engine.list_names(), engine.ALLOW_LIST):
        raise Http404
    current = engine.current_lists().get(name)
    shipped = "" if name == engine.ALLOW_LIST else engine.default_terms(name)
    form = WordListForm(request.POST or None, initial={"terms": current.terms if current else shipped})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_word_list(name=name, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The word list is saved. Screening uses it from now on."))
            return redirect(reverse("moderation:word_lists"))
    context = {
        "name": name,
        "form": form,
        "versions": WordList.objects.filter(name=name).select_related("changed_by"),
        "is_allow_list": name == engine.ALLOW_LIST,
    }
    return render(request, "moderation/word_list.html", context, status=422 if form.errors else 200)
