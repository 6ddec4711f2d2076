"""The public comment-policy page of an account, with its "report a comment" form (G11).

No log-in. The form is protected against abuse: a size limit on the request, a honeypot field
that people never see (a bot that fills it is thanked and ignored), a limit on reports per client
address and hour (behind trusted proxies, the resident's own address), one report of a comment per
address and a limit per comment; many reports from everyone alert comms rather than refuse anyone.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sigill.compliance import selectors, services
from sigill.compliance.forms import CommentReportForm
from sigill.compliance.models import CommentRule
from sigill.core.client_address import client_address
from sigill.registry.models import Account

MAX_REPORT_BYTES = 8 * 1024


def policy_page(request: HttpRequest, slug: str) -> HttpResponse:
    account = selectors.policy_account(slug)
    form, status, refusal = CommentReportForm(), 200, ""
    if request.method == "POST":
        form, status, refusal = _report(request, account)
        if status == 302:
            messages.success(request, _("Thank you. We have received your report and will look at it first."))
            return redirect(request.path + "#report-heading")
    context = {
        "account": account,
        "form": form,
        "texts": selectors.policy_texts(account),
        "municipality": selectors.municipality(),
        "rules": CommentRule.choices,
        "refusal": refusal,
    }
    return render(request, "compliance/public/policy.html", context, status=status)


def _report(request: HttpRequest, account: Account) -> tuple[CommentReportForm, int, str]:
    """Take a report: the form, the status to answer with (302 when received), and why it was refused."""
    if int(request.headers.get("Content-Length") or 0) > MAX_REPORT_BYTES:
        refusal = _("The report is too large. Give only the link, the reason and your contact.")
        return CommentReportForm(), 413, refusal
    form = CommentReportForm(request.POST)
    if form.is_bot():
        return form, 302, ""
    if not form.is_valid():
        return form, 422, ""
    try:
        services.report_comment(
            account=account,
            comment_url=form.cleaned_data["comment_url"],
            reason=form.cleaned_data["reason"],
            contact=form.cleaned_data["contact"],
            # Behind trusted proxies the resident's own address, not the proxy's.
            sender_address=client_address(request),
        )
    except services.TooManyReports:
        refusal = _(
            "You have sent many reports in a short time, so this one was not received. "
            "Wait an hour and try again, or e-mail us."
        )
        return form, 429, refusal
    except services.CommentAlreadyReported:
        refusal = _(
            "This comment has already been reported, so this report was not needed: "
            "it is first in line for a moderator. Thank you."
        )
        return form, 429, refusal
    return form, 302, ""
