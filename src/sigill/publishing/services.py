"""Every write of publishing: drafts and their versions, media, approval, overrides, rules, feeds.

Each is one transaction with one audit entry; each save of a draft's content is a new version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.connectors.services import OutgoingMedia, queue_post
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.publishing.checks.post import with_link
from sigill.publishing.models import (
    ApprovalRule,
    CalendarFeed,
    CheckOverride,
    Draft,
    DraftMedia,
    DraftTarget,
    DraftVersion,
    ReviewEvent,
)
from sigill.publishing.policies import draft_policy, rule_of
from sigill.publishing.review import review_draft

audit.describe_acts(
    {
        "publishing.draft.created": gettext_lazy("Draft of a post written"),
        "publishing.draft.saved": gettext_lazy("Draft of a post changed"),
        "publishing.draft.media_added": gettext_lazy("Image or video added to a draft"),
        "publishing.draft.media_removed": gettext_lazy("Image or video removed from a draft"),
        "publishing.draft.submitted": gettext_lazy("Post sent for approval"),
        "publishing.draft.approved": gettext_lazy("Post approved"),
        "publishing.draft.sent_back": gettext_lazy("Post sent back"),
        "publishing.draft.commented": gettext_lazy("Comment on a post"),
        "publishing.draft.check_overridden": gettext_lazy("Blocking check on a post overridden"),
        "publishing.draft.rescheduled": gettext_lazy("Post rescheduled"),
        "publishing.approval_rule.changed": gettext_lazy("Approval rule of an account changed"),
        "publishing.feed.created": gettext_lazy("Calendar feed address made"),
        "publishing.feed.revoked": gettext_lazy("Calendar feed address revoked"),
        "publishing.draft.handed_over": gettext_lazy("Post handed over for publishing"),
        "publishing.draft.handover_failed": gettext_lazy("Post could not be handed over for publishing"),
    }
)


class Blocked(Exception):
    """The draft has a blocking finding that is neither resolved nor overridden."""


@dataclass(frozen=True)
class TargetText:
    text: str
    first_comment: str = ""


def _snapshot(draft: Draft) -> dict[str, Any]:
    return {
        "title": draft.title,
        "link": draft.link,
        "scheduled_at": draft.scheduled_at.isoformat() if draft.scheduled_at else None,
        "targets": [
            {
                "account_id": target.account_id,
                "account": str(target.account),
                "text": target.text,
                "first_comment": target.first_comment,
            }
            for target in draft.targets.select_related("account__platform")
        ],
        "media": [
            {
                "kind": item.kind,
                "name": item.name,
                "alt_text": item.alt_text,
                "captions": bool(item.captions),
                "no_captions_reason": item.no_captions_reason,
            }
            for item in draft.media.all()
        ],
    }


def _new_version(draft: Draft, by: User) -> DraftVersion:
    """Record what the draft says now as its next version; an approval does not carry over."""
    if draft.versions.exists():
        draft.version += 1
    if draft.state in (Draft.State.APPROVED, Draft.State.SUBMITTED):
        draft.state = Draft.State.DRAFT
        draft.approved_version = draft.approved_by = draft.approved_at = None
    draft.updated_at = timezone.now()
    draft.save()
    return DraftVersion.objects.create(draft=draft, number=draft.version, author=by, content=_snapshot(draft))


def create_draft(*, title: str, accounts: Iterable[Any], text: str, by: User) -> Draft:
    """A new draft with one text for each of ``accounts`` (each adapted later), as version 1."""
    accounts = list(accounts)
    draft_policy.require(by, "create")
    editable = policy_for("registry.Account").queryset(by, "edit_content")
    if not accounts or editable.filter(pk__in=[account.pk for account in accounts]).count() != len(accounts):
        raise PermissionDenied
    with transaction.atomic():
        draft = Draft.objects.create(title=title, created_by=by)
        DraftTarget.objects.bulk_create(
            DraftTarget(draft=draft, account=account, text=text) for account in accounts
        )
        _new_version(draft, by)
        audit.record(
            "publishing.draft.created", actor=by, target=draft, details={"accounts": [a.pk for a in accounts]}
        )
    return draft


def save_draft(
    *,
    draft: Draft,
    title: str,
    link: str,
    scheduled_at: dt.datetime | None,
    texts: Mapping[int, TargetText],
    by: User,
) -> Draft:
    """Save the texts (per account id), link and time as a new version, if anything changed."""
    draft_policy.require(by, "edit", draft)
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        before = _snapshot(draft)
        draft.title, draft.link, draft.scheduled_at = title, link, scheduled_at
        for target in draft.targets.all():
            given = texts.get(target.account_id)
            if given is not None:
                target.text, target.first_comment = given.text, given.first_comment
                target.save(update_fields=["text", "first_comment"])
        if _snapshot(draft) == before:
            return draft
        version = _new_version(draft, by)
        audit.record("publishing.draft.saved", actor=by, target=draft, details={"version": version.number})
    return draft


def add_media(
    *,
    draft: Draft,
    kind: str,
    file: UploadedFile,
    content_type: str,
    alt_text: str,
    captions: UploadedFile | None,
    captions_type: str,
    no_captions_reason: str,
    by: User,
) -> DraftMedia:
    draft_policy.require(by, "edit", draft)
    if not alt_text.strip():
        raise ValidationError(_("Describe the image or video for those who cannot see it."))
    if kind == DraftMedia.Kind.VIDEO and captions is None and not no_captions_reason.strip():
        raise ValidationError(_("A video needs a caption file, or a reason why it has none."))
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        media = DraftMedia.objects.create(
            draft=draft,
            kind=kind,
            file=file,
            content_type=content_type,
            name=(file.name or "")[:200],
            alt_text=alt_text.strip(),
            captions=captions or "",
            captions_type=captions_type if captions is not None else "",
            no_captions_reason=no_captions_reason.strip() if captions is None else "",
            added_by=by,
        )
        version = _new_version(draft, by)
        audit.record(
            "publishing.draft.media_added",
            actor=by,
            target=draft,
            details={"media": media.pk, "version": version.number},
        )
    return media


def remove_media(*, media: DraftMedia, by: User) -> Draft:
    draft = media.draft
    draft_policy.require(by, "edit", draft)
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        name = media.name
        media.delete()
        version = _new_version(draft, by)
        audit.record(
            "publishing.draft.media_removed",
            actor=by,
            target=draft,
            details={"name": name, "version": version.number},
        )
    return draft


def needs_approval(draft: Draft) -> bool:
    return any(
        rule_of(target.account) != ApprovalRule.Approver.NONE
        for target in draft.targets.select_related("account")
    )


def submit(*, draft: Draft, by: User, note: str = "") -> Draft:
    """Send the draft for approval; where none of its accounts asks for one, it is approved at once."""
    draft_policy.require(by, "edit", draft)
    if draft.state != Draft.State.DRAFT:
        raise ValidationError(_("Only a draft can be sent for approval."))
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if needs_approval(draft):
            draft.state = Draft.State.SUBMITTED
            act = ReviewEvent.Act.SUBMITTED
        else:
            draft.state, draft.approved_version, draft.approved_at = (
                Draft.State.APPROVED,
                draft.version,
                timezone.now(),
            )
            act = ReviewEvent.Act.APPROVED
        draft.save()
        ReviewEvent.objects.create(draft=draft, version=draft.version, act=act, note=note, by=by)
        audit.record(
            "publishing.draft.submitted",
            actor=by,
            target=draft,
            details={"version": draft.version, "state": draft.state},
        )
    return draft


def _decide(draft: Draft, *, by: User, act: str, note: str, change: Callable[[Draft], None]) -> Draft:
    """An approver's step on the draft, locked: the right to take it is checked again under the lock,
    so two approvers at once cannot both decide."""
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        draft_policy.require(by, "approve", draft)
        change(draft)
        draft.save()
        ReviewEvent.objects.create(draft=draft, version=draft.version, act=act, note=note, by=by)
        audit.record(
            f"publishing.draft.{act}",
            actor=by,
            target=draft,
            details={"version": draft.version, "note": note},
        )
    return draft


def approve(*, draft: Draft, by: User, note: str = "") -> Draft:
    """Approve the draft as it reads now; the approver is the one the accounts' rules name."""

    def approved(locked: Draft) -> None:
        locked.state, locked.approved_version = Draft.State.APPROVED, locked.version
        locked.approved_by, locked.approved_at = by, timezone.now()

    draft_policy.require(by, "approve", draft)
    return _decide(draft, by=by, act=ReviewEvent.Act.APPROVED, note=note, change=approved)


def send_back(*, draft: Draft, by: User, note: str) -> Draft:
    """Send the draft back to its writer with what should change."""
    draft_policy.require(by, "approve", draft)
    if not note.strip():
        raise ValidationError(_("Say what should change."))

    def sent_back(locked: Draft) -> None:
        locked.state = Draft.State.DRAFT

    return _decide(draft, by=by, act=ReviewEvent.Act.SENT_BACK, note=note, change=sent_back)


def comment(*, draft: Draft, by: User, note: str) -> ReviewEvent:
    draft_policy.require(by, "comment", draft)
    if not note.strip():
        raise ValidationError(_("Write a comment."))
    with transaction.atomic():
        event = ReviewEvent.objects.create(
            draft=draft, version=draft.version, act=ReviewEvent.Act.COMMENTED, note=note, by=by
        )
        audit.record("publishing.draft.commented", actor=by, target=draft, details={"version": draft.version})
    return event


def override_check(*, draft: Draft, fingerprint: str, reason: str, by: User) -> CheckOverride:
    """Comms lets one blocking finding stand, with a reason; it holds while the passage is unchanged."""
    draft_policy.require(by, "override", draft)
    if not reason.strip():
        raise ValidationError(_("Give the reason the post may go out anyway."))
    overridable = {
        finding.fingerprint
        for target in review_draft(draft).targets
        for finding, _override, can in target.rows()
        if can
    }
    if fingerprint not in overridable:
        raise ValidationError(_("That finding is not on the draft, or cannot be overridden."))
    with transaction.atomic():
        override = CheckOverride.objects.create(
            draft=draft, fingerprint=fingerprint, reason=reason.strip(), by=by
        )
        ReviewEvent.objects.create(
            draft=draft, version=draft.version, act=ReviewEvent.Act.OVERRIDDEN, note=reason.strip(), by=by
        )
        audit.record(
            "publishing.draft.check_overridden",
            actor=by,
            target=draft,
            details={"finding": fingerprint.split(":", 1)[0], "reason": reason.strip()},
        )
    return override


def reschedule(*, draft: Draft, at: dt.datetime | None, by: User) -> Draft:
    """Move a post not yet handed over to another time; its approval stays (the text is the same)."""
    draft_policy.require(by, "edit", draft)
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if not draft.is_editable:
            raise ValidationError(_("The post has already been handed over for publishing."))
        before = draft.scheduled_at
        draft.scheduled_at, draft.updated_at = at, timezone.now()
        draft.save(update_fields=["scheduled_at", "updated_at"])
        ReviewEvent.objects.create(draft=draft, version=draft.version, act=ReviewEvent.Act.RESCHEDULED, by=by)
        audit.record(
            "publishing.draft.rescheduled",
            actor=by,
            target=draft,
            details={"from": before.isoformat() if before else None, "to": at.isoformat() if at else None},
        )
    return draft


def set_approval_rule(*, account: Any, approver: str, by: User) -> ApprovalRule:
    draft_policy.require(by, "set_rules")
    with transaction.atomic():
        rule, _created = ApprovalRule.objects.update_or_create(
            account=account, defaults={"approver": approver, "changed_by": by, "changed_at": timezone.now()}
        )
        audit.record(
            "publishing.approval_rule.changed", actor=by, target=account, details={"approver": approver}
        )
    return rule


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed(*, by: User) -> str:
    """A new secret calendar address for ``by`` (any earlier one stops working); returns the token,
    which is shown once and kept only as its hash."""
    draft_policy.require(by, "view")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        CalendarFeed.objects.filter(user=by, revoked_at__isnull=True).update(revoked_at=now)
        feed = CalendarFeed.objects.create(user=by, token_hash=hash_token(token), created_at=now)
        audit.record("publishing.feed.created", actor=by, target=feed)
    return token


def revoke_feed(*, by: User) -> int:
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(user=by, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            audit.record("publishing.feed.revoked", actor=by)
    return revoked


# Handing over to the connectors (issue 20.5, the publishing side) ------------------------------


def outgoing_key(draft: Draft, account_id: int) -> str:
    """The connectors' idempotency key: one post per draft, account and approved version."""
    return f"draft:{draft.pk}:account:{account_id}:v{draft.version}"


def record_metadata(draft: Draft) -> dict[str, Any]:
    """What the archived record carries of how the post came to be: its versions and its approval."""
    return {
        "draft": draft.pk,
        "title": draft.title,
        "version": draft.version,
        "versions": [
            {
                "number": version.number,
                "author": version.author.get_username(),
                "saved_at": version.saved_at.isoformat(),
            }
            for version in draft.versions.select_related("author").order_by("number")
        ],
        "approval": {
            "approved_version": draft.approved_version,
            "approved_by": draft.approved_by.get_username() if draft.approved_by else None,
            "approved_at": draft.approved_at.isoformat() if draft.approved_at else None,
        },
        "review": [
            {
                "act": event.act,
                "version": event.version,
                "by": event.by.get_username() if event.by else None,
                "at": event.at.isoformat(),
                "note": event.note,
            }
            for event in draft.events.select_related("by").order_by("at", "id")
        ],
        "overrides": [
            {"finding": override.fingerprint, "reason": override.reason, "by": override.by.get_username()}
            for override in draft.overrides.select_related("by")
        ],
    }


def _outgoing_media(draft: Draft) -> list[OutgoingMedia]:
    media = []
    for item in draft.media.all():
        with item.file.open("rb") as file:
            content = file.read()
        captions = None
        if item.captions:
            with item.captions.open("rb") as file:
                captions = file.read()
        media.append(OutgoingMedia(content, item.content_type, item.alt_text, captions, item.captions_type))
    return media


def hand_over(*, draft: Draft, by: User | None) -> Draft:
    """Queue an approved, unblocked draft with the connectors, one post per account, exactly once.

    All or nothing: if the connectors refuse one account (not connected, not allowed), nothing is
    queued and the reason is raised as a ValidationError.
    """
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if draft.state != Draft.State.APPROVED or draft.approved_version != draft.version:
            raise ValidationError(_("Only an approved post is handed over for publishing."))
        if review_draft(draft).blocked:
            raise Blocked(_("A check blocks the post."))
        metadata = record_metadata(draft)
        media = _outgoing_media(draft)
        for target in draft.targets.select_related("account__platform"):
            queue_post(
                account=target.account,
                key=outgoing_key(draft, target.account_id),
                text=with_link(target.text, draft.link),
                media=media,
                first_comment=target.first_comment,
                record_metadata=metadata,
                by=by,
            )
        draft.state, draft.handed_over_at, draft.handover_error = Draft.State.HANDED_OVER, timezone.now(), ""
        draft.save()
        ReviewEvent.objects.create(draft=draft, version=draft.version, act=ReviewEvent.Act.HANDED_OVER, by=by)
        audit.record(
            "publishing.draft.handed_over",
            actor=by,
            actor_label="" if by else "scheduler",
            target=draft,
            details={
                "version": draft.version,
                "keys": [outgoing_key(draft, t.account_id) for t in draft.targets.all()],
            },
        )
    return draft


def publish_now(*, draft: Draft, by: User) -> Draft:
    """Hand an approved post over at once, whatever its time."""
    draft_policy.require(by, "edit", draft)
    return hand_over(draft=draft, by=by)


def hand_over_due(*, now: dt.datetime | None = None) -> int:
    """Hand over every approved post whose time has come (the scheduler, every minute).

    A post that cannot go (a check blocks it, the connectors refuse it) stays approved with the
    reason shown on its page; its reason is audited once, not every minute.
    """
    now = now or timezone.now()
    handed = 0
    due = Draft.objects.filter(state=Draft.State.APPROVED, scheduled_at__lte=now).order_by("scheduled_at")
    for draft in due:
        try:
            hand_over(draft=draft, by=None)
            handed += 1
        except (ValidationError, Blocked) as error:
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            if draft.handover_error != reason:
                with transaction.atomic():
                    Draft.objects.filter(pk=draft.pk).update(handover_error=reason)
                    audit.record(
                        "publishing.draft.handover_failed",
                        actor_label="scheduler",
                        target=draft,
                        details={"reason": reason},
                    )
    return handed
