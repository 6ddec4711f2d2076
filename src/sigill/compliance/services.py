"""Writes for compliance: profile checks, templates, contact details, applied texts, reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.compliance import checks, notify, selectors, texts
from sigill.compliance.models import (
    AppliedProfileText,
    CommentReport,
    Municipality,
    ProfileCheck,
    ProfileCheckItem,
    Requirement,
    Result,
    TextTemplate,
    formatted_organisation_number,
)
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.registry.models import Account

audit.describe_acts(
    {
        "compliance.profile.checked": gettext_lazy("Profile checked"),
        "compliance.profile.text_applied": gettext_lazy("About text put on the profile"),
        "compliance.template.changed": gettext_lazy("Text template changed"),
        "compliance.municipality.changed": gettext_lazy("Municipality's contact details changed"),
        "compliance.municipality.set_up": gettext_lazy("Municipality set up"),
        "compliance.comment.reported": gettext_lazy("Comment reported by a resident"),
        "compliance.comment_reports.handled": gettext_lazy("Residents' reports handled"),
        "compliance.comment_reports.wave": gettext_lazy("Residents' reports came in a wave; comms alerted"),
    }
)

# The report form's limits, within one window: reports per client address, reports of one comment
# (from anyone), and the count across all residents at which comms are alerted (settings).
REPORT_WINDOW = dt.timedelta(hours=1)


def record_check(
    *,
    account: Account,
    by: User,
    judgements: dict[str, str],
    profile_text: str = "",
    profile_link: str = "",
    screenshot: UploadedFile | None = None,
) -> ProfileCheck:
    """Record a profile check. ``judgements`` maps a requirement to a person's result; the others
    are read from ``profile_text``, which is then required."""
    policy_for(Account).require(by, "edit_content", account)
    return _record_check(
        account=account,
        by=by,
        judgements=judgements,
        profile_text=profile_text,
        profile_link=profile_link,
        screenshot=screenshot,
    )


def check_captured_profile(*, account: Account, profile_text: str) -> ProfileCheck | None:
    """A connector saw the profile (G11): when its text changed since the last check, Sigill checks
    the new text at once, every item automatically, by no one. Unchanged text checks nothing."""
    last = selectors.latest_check(account)
    if not profile_text.strip() or (last is not None and last.profile_text == profile_text.strip()):
        return None
    return _record_check(account=account, by=None, judgements={}, profile_text=profile_text)


def _record_check(
    *,
    account: Account,
    by: User | None,
    judgements: dict[str, str],
    profile_text: str = "",
    profile_link: str = "",
    screenshot: UploadedFile | None = None,
) -> ProfileCheck:
    findings = {
        finding.requirement: finding.result
        for finding in checks.check_profile_text(
            account=account,
            municipality=selectors.municipality(),
            text=profile_text,
            link=profile_link,
            policy_url=selectors.policy_url(account),
            roomy=selectors.has_room_for_full_text(account),
        )
    }
    readable = [code for code in Requirement if code not in checks.JUDGED_BY_A_PERSON]
    if any(code not in judgements for code in readable) and not profile_text.strip():
        raise ValidationError({"profile_text": _("Paste the profile text, or judge every item yourself.")})
    # What only a person can judge (the logo) stands as the last person judged it, until one judges again.
    judgements = {**selectors.last_judgements(account, checks.JUDGED_BY_A_PERSON), **judgements}
    results = {code: Result(judgements.get(code) or findings[code]) for code in Requirement}
    applicable = [result for result in results.values() if result != Result.NOT_POSSIBLE]
    met = sum(result == Result.MET for result in applicable)
    score = round(100 * met / len(applicable)) if applicable else 100
    with transaction.atomic():
        check = ProfileCheck.objects.create(
            account=account,
            checked_by=by,
            profile_text=profile_text.strip(),
            profile_link=profile_link.strip(),
            screenshot=screenshot,
            score=score,
            passed=met == len(applicable),
        )
        ProfileCheckItem.objects.bulk_create(
            ProfileCheckItem(
                check_run=check, requirement=code, result=result, automatic=code not in judgements
            )
            for code, result in results.items()
        )
        audit.record(
            "compliance.profile.checked",
            actor=by,
            target=account,
            details={
                "score": score,
                "not_met": [code for code, result in results.items() if result == Result.NOT_MET],
            },
        )
    return check


def record_text_applied(*, account: Account, by: User) -> AppliedProfileText:
    """An editor has put Sigill's current about text on the live profile."""
    policy_for(Account).require(by, "edit_content", account)
    text = selectors.about_text(account).text
    with transaction.atomic():
        applied = AppliedProfileText.objects.create(account=account, text=text, applied_by=by)
        audit.record("compliance.profile.text_applied", actor=by, target=account, details={"text": text})
    return applied


def change_template(*, code: str, body: str, by: User) -> TextTemplate:
    """Change a text template (comms). Accounts whose text changes with it show as needing an update."""
    policy_for(TextTemplate).require(by, "change")
    if code not in texts.DEFAULT_TEMPLATES:
        raise ValidationError(_("There is no such template."))
    # Anything in braces must be a known placeholder: a typo would otherwise reach the profile.
    unknown = sorted(set(re.findall(r"\{([^{}]*)\}", body)) - texts.PLACEHOLDERS.keys())
    if unknown:
        raise ValidationError(
            {
                "body": _("Unknown placeholders: %(names)s.")
                % {"names": ", ".join("{" + name + "}" for name in unknown)}
            }
        )
    with transaction.atomic():
        template, created = TextTemplate.objects.select_for_update().get_or_create(
            code=code, defaults={"body": body.strip(), "changed_by": by}
        )
        if not created:
            template.body, template.version = body.strip(), template.version + 1
            template.changed_at, template.changed_by = timezone.now(), by
            template.save()
        audit.record(
            "compliance.template.changed", actor=by, target=template, details={"version": template.version}
        )
    return template


def update_municipality(*, by: User, changes: dict[str, Any]) -> Municipality:
    """Change the municipality's contact details (comms)."""
    policy_for(Municipality).require(by, "change")
    with transaction.atomic():
        place = Municipality.objects.select_for_update().filter(pk=1).first() or selectors.municipality()
        changed = sorted(name for name, value in changes.items() if getattr(place, name) != value)
        for name, value in changes.items():
            setattr(place, name, value)
        place.updated_at = timezone.now()
        place.save()
        audit.record("compliance.municipality.changed", actor=by, target=place, details={"changed": changed})
    return place


class AlreadySetUp(Exception):
    """The municipality is already set up; it is changed on its page, never set up twice."""


def set_up_municipality(*, details: dict[str, Any], actor_label: str = "") -> Municipality:
    """Create the municipality, once, at installation (``manage.py setup``).

    ``details`` are Municipality fields; the organisation number is checked and written NNNNNN-NNNN.
    """
    with transaction.atomic():
        existing = Municipality.objects.select_for_update().filter(pk=1).first()
        if existing is not None:
            raise AlreadySetUp(existing.name)
        place = Municipality(pk=1, **details)
        if place.organisation_number:
            place.organisation_number = formatted_organisation_number(place.organisation_number)
        place.full_clean()
        place.save()
        audit.record(
            "compliance.municipality.set_up",
            actor_label=actor_label,
            target=place,
            details={"name": place.name, "organisation_number": place.organisation_number},
        )
    return place


class TooManyReports(Exception):
    """The address has sent more reports than a person would in the window."""


class CommentAlreadyReported(Exception):
    """This address has reported this comment already, or the comment has had its fill of reports:
    it is first in line in the moderation queue either way."""


def sender_key(address: str) -> str:
    """A keyed hash of a sender's network address: it tells floods apart without storing the address."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def report_comment(
    *, account: Account, comment_url: str, reason: str, contact: str, sender_address: str
) -> CommentReport:
    """A resident reports a comment on ``account``.

    Refused with TooManyReports when the address has sent its fill within the window, and with
    CommentAlreadyReported for a repeat from the same address or a comment reported many times.
    Many reports from everyone together are never refused: comms are alerted instead, once per
    window, since a wave of reports may be real (a comment that has upset many people).
    """
    key = sender_key(sender_address)
    with transaction.atomic():
        since = timezone.now() - REPORT_WINDOW
        recent = CommentReport.objects.filter(reported_at__gte=since)
        if recent.filter(sender_key=key).count() >= settings.COMMENT_REPORTS_PER_ADDRESS:
            raise TooManyReports
        same_comment = recent.filter(account=account, comment_url=comment_url)
        if (
            same_comment.filter(sender_key=key).exists()
            or same_comment.count() >= settings.COMMENT_REPORTS_PER_COMMENT
        ):
            raise CommentAlreadyReported
        report = CommentReport.objects.create(
            account=account, comment_url=comment_url, reason=reason, contact=contact.strip(), sender_key=key
        )
        audit.record(
            "compliance.comment.reported",
            target=account,
            actor_label="allmänheten",
            details={"report": report.pk, "reason": reason},
        )
        in_window = recent.count()
        if in_window == settings.COMMENT_REPORTS_ALERT_AT:
            _alert_report_wave(in_window)
    return report


def _alert_report_wave(count: int) -> None:
    """Tell comms that residents' reports come in a wave: audited, and e-mailed after the commit."""
    window_minutes = int(REPORT_WINDOW.total_seconds() // 60)
    audit.record(
        "compliance.comment_reports.wave",
        actor_label="allmänheten",
        details={"reports": count, "window_minutes": window_minutes},
    )
    transaction.on_commit(lambda: notify.report_wave(count=count, window_minutes=window_minutes))


def mark_reports_handled(*, reports: Iterable[CommentReport], by: User) -> int:
    """Residents' reports that a moderator has acted on (the moderation queue calls this)."""
    ids = [report.pk for report in reports]
    with transaction.atomic():
        handled = CommentReport.objects.filter(pk__in=ids, status=CommentReport.Status.OPEN).update(
            status=CommentReport.Status.HANDLED
        )
        if handled:
            audit.record("compliance.comment_reports.handled", actor=by, details={"reports": ids})
    return handled
