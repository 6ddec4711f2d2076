"""The outbox: posts and replies queued for the platforms, published exactly once.

:func:`queue_post` keeps one :class:`~sigill.connectors.models.Outgoing` row per caller's key and
enqueues it. The worker (:func:`send`) publishes it:

1. it claims the row in a transaction: state "sending", one more attempt, itself as the holder;
2. it calls the platform (with the platform's idempotency key where it has one: Mastodon's
   ``Idempotency-Key``);
3. it records the post as published and captures it into the archive as a drawn-up record, in
   one transaction.

A worker killed between 2 and 3 leaves the row "sending" under a dead holder; a call whose
outcome is unknown (a timeout, a dropped answer, a server error) leaves it "uncertain". Either way
the next worker first reads the platform (:meth:`Publisher.find`: the account's recent posts,
looking for this text) and records what it finds; only a post not found is posted again. Failures
a later try may get past are retried with a doubling back-off; the state and the last error are
kept on the row for the publishing pages.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import httpx2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from sigill.archive import selectors as archive_selectors
from sigill.archive import services as archive
from sigill.archive.capture import Direction, Kind
from sigill.connectors import http, runs
from sigill.connectors.base import connector_for
from sigill.connectors.models import Connection, Outgoing
from sigill.connectors.publish import base
from sigill.connectors.publish import media as outgoing_files
from sigill.connectors.publish.base import MaybeSent, OutgoingMedia, Post, Published, ReplyTarget
from sigill.core import audit
from sigill.organisation.people import User
from sigill.vault import services as vault

audit.describe_acts(
    {
        "connectors.outgoing.queued": gettext_lazy("Post queued for publishing"),
        "connectors.outgoing.published": gettext_lazy("Post published on the platform"),
        "connectors.outgoing.failed": gettext_lazy("Publishing a post failed"),
        "connectors.outgoing.retried": gettext_lazy("Failed post tried again"),
    }
)

# A worker on another machine holding a row this long without recording it is taken as dead.
STALE_SENDING = dt.timedelta(minutes=15)
# Tries before a failing post is given up (about four hours of doubling back-off).
MAX_ATTEMPTS = 9
# A due row enqueued by the scheduler is enqueued again after this, should the queue lose the job.
ENQUEUED_GRACE = dt.timedelta(minutes=10)

State = Outgoing.State


def queue_post(
    *,
    account: Any,
    key: str,
    text: str,
    media: Sequence[OutgoingMedia] = (),
    first_comment: str = "",
    reply_to_item: Any = None,
    record_metadata: dict[str, Any] | None = None,
    by: User | None,
) -> Outgoing:
    """Queue a post (or, with ``reply_to_item``, a reply to that archived item) on ``account``.

    ``key`` is the caller's idempotency key: queuing a key already queued returns its row and
    queues nothing. The caller (publishing, moderation) has authorised ``by``; this checks what the
    platform allows and raises ``ValidationError`` with the reason.
    """
    if (existing := Outgoing.objects.filter(key=key).first()) is not None:
        return existing
    _check(account=account, text=text, media=media, first_comment=first_comment, reply_to_item=reply_to_item)
    stored = [outgoing_files.store(m) for m in media]
    try:
        with transaction.atomic():
            outgoing = Outgoing.objects.create(
                account=account,
                key=key,
                text=text,
                media=stored,
                first_comment=first_comment,
                reply_to_item=reply_to_item,
                reply_to_id=reply_to_item.object_id if reply_to_item is not None else "",
                record_metadata=record_metadata or {},
                next_try_at=timezone.now(),
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
            audit.record(
                "connectors.outgoing.queued",
                actor=by,
                target=account,
                details={"outgoing": outgoing.pk, "key": key, "reply_to": outgoing.reply_to_id},
            )
            _send_soon(outgoing.pk)
    except IntegrityError:
        # Queued by someone else a moment ago under the same key: theirs is the one.
        return Outgoing.objects.get(key=key)
    return outgoing


def retry_post(*, key: str, by: User) -> Outgoing:
    """Try a failed post again (after the account was reconnected, say). The platform is read
    first, as after an unknown outcome: a post that did reach it is recorded, never made twice."""
    with transaction.atomic():
        outgoing = Outgoing.objects.select_for_update().get(key=key)
        if outgoing.state != State.FAILED:
            raise ValidationError(_("Only a post that failed can be tried again."))
        outgoing.state, outgoing.attempts, outgoing.next_try_at = State.UNCERTAIN, 0, timezone.now()
        outgoing.save(update_fields=["state", "attempts", "next_try_at"])
        audit.record(
            "connectors.outgoing.retried",
            actor=by,
            target=outgoing.account,
            details={"outgoing": outgoing.pk, "key": key, "error": outgoing.last_error[:500]},
        )
        _send_soon(outgoing.pk)
    return outgoing


def _check(
    *, account: Any, text: str, media: Sequence[OutgoingMedia], first_comment: str, reply_to_item: Any
) -> None:
    platform = account.platform.name
    can = base.abilities_of(account.platform.slug)
    wanted = base.REPLY if reply_to_item is not None else base.POST
    if wanted not in can:
        raise ValidationError(
            _("Sigill cannot publish this on %(platform)s through its API.") % {"platform": platform}
        )
    if not Connection.objects.filter(account=account).exists():
        raise ValidationError(_("The account is not connected to its platform's API."))
    if reply_to_item is not None and reply_to_item.account_id != account.pk:
        raise ValidationError(_("A reply is published on the account the answered item was captured on."))
    if can.max_text and len(text) > can.max_text:
        raise ValidationError(
            _("%(platform)s allows at most %(limit)s characters; the text has %(count)s.")
            % {"platform": platform, "limit": can.max_text, "count": len(text)}
        )
    if not text.strip() and not media:
        raise ValidationError(_("Write the text, or add an image or a video."))
    if can.needs_media and reply_to_item is None and not media:
        raise ValidationError(_("A post on %(platform)s needs an image or a video.") % {"platform": platform})
    for one in media:
        kind = base.IMAGE if one.is_image else base.VIDEO if one.is_video else ""
        if kind not in can:
            raise ValidationError(
                _("Sigill cannot publish %(type)s files on %(platform)s.")
                % {"type": one.content_type, "platform": platform}
            )
        if one.is_image and not one.alt_text.strip():
            raise ValidationError(_("Every image needs its alternative text."))
    if sum(1 for one in media if one.is_image) > max(can.max_images, 0):
        raise ValidationError(
            _("%(platform)s takes at most %(limit)s images in one post.")
            % {"platform": platform, "limit": can.max_images}
        )
    if first_comment.strip() and base.FIRST_COMMENT not in can:
        raise ValidationError(
            _("Sigill cannot add a first comment on %(platform)s.") % {"platform": platform}
        )


# --- The worker ---------------------------------------------------------------------------------


def _send_soon(pk: int) -> None:
    """Hand the post to a worker once the caller's transaction has committed; on a server that
    does not talk to the platforms (SIGILL_PLATFORM_SYNC off) it stays queued."""
    if settings.PLATFORM_SYNC:
        transaction.on_commit(lambda: publish_outgoing.enqueue(pk))


@task()
def publish_outgoing(outgoing_id: int) -> str:
    """Publish one queued post; returns its state, or "busy" when another worker holds it."""
    return send(outgoing_id)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def send(outgoing_id: int) -> str:
    """Publish the post (or find it on the platform); returns its state, "busy" when held or done,
    "off" on a server that does not talk to the platforms (the post stays queued, untouched)."""
    if not settings.PLATFORM_SYNC:
        return "off"
    claimed = _claim(outgoing_id, worker=worker_id())
    if claimed is None:
        return "busy"
    outgoing, look_first = claimed
    try:
        return _attempt(outgoing, look_first)
    except Exception as exc:
        # A fault of Sigill's, wherever it struck: never leave the row held by a worker that lives
        # on; the next try reads the platform first, as the post may be out.
        _retry(outgoing, f"{type(exc).__name__}: {str(exc)[:300]}", state=State.UNCERTAIN)
        raise


def _attempt(outgoing: Outgoing, look_first: bool) -> str:
    account = outgoing.account
    publisher = base.publisher_for(account.platform.slug)
    connector = connector_for(account.platform.slug)
    connection = Connection.objects.filter(account=account).first()
    if publisher is None or connector is None or connection is None:
        return _give_up(outgoing, _("The account is no longer connected to a platform Sigill publishes on."))
    where = base.Account(id=account.pk, remote_id=connection.remote_id, api_base=connection.api_base)
    post = _post_of(outgoing)
    try:
        token = vault.open_api_token(
            account=account,
            purpose=f"publish on {account.platform.slug}",
            sync_run_id=f"publish-{outgoing.pk}",
        )
    except LookupError:
        return _give_up(outgoing, _("No API token for the account is in the vault."))
    except Exception as exc:  # noqa: BLE001 - the vault's key or seal: no retry mends it
        return _give_up(
            outgoing, _("The vault could not open the API token (%(error)s).") % {"error": type(exc).__name__}
        )
    try:
        with http.client(headers=connector.headers(token)) as client:
            del token
            published = publisher.find(client, where, post) if look_first else None
            if published is None:
                published = publisher.publish(client, where, post)
    except MaybeSent as exc:
        return _retry(outgoing, exc.message, state=State.UNCERTAIN)
    except http.TokenRejected as exc:
        runs.needs_reconnecting(connection=connection, run=None, message=exc.message)
        return _give_up(
            outgoing, _("The platform no longer accepts the account's token: reconnect the account.")
        )
    except http.RateLimited as exc:
        return _retry(outgoing, exc.message, state=_unsettled(look_first), wait=exc.retry_after)
    except (http.Unavailable, httpx2.TransportError) as exc:
        message = getattr(exc, "message", "") or _("The platform could not be reached (%(error)s).") % {
            "error": type(exc).__name__
        }
        return _retry(outgoing, message, state=_unsettled(look_first))
    except (http.Refused, http.Gone) as exc:
        if look_first:
            return _give_up(
                outgoing,
                _(
                    "Sigill could not check whether the platform already has the post, so it did not post "
                    "it again: look on the platform (%(detail)s)."
                )
                % {"detail": exc.message},
            )
        return _give_up(outgoing, _("The platform refused the post: %(detail)s") % {"detail": exc.message})
    except (KeyError, TypeError, ValueError) as exc:
        # An answer not in the documented shape: it may have been to the request that made the post.
        return _retry(
            outgoing,
            _("The platform's answer could not be read (%(error)s).") % {"error": exc},
            state=State.UNCERTAIN,
        )
    # Should recording fail, the post is on the platform: the next try finds it there (send()).
    _record(outgoing, published, worker=worker_id())
    return State.PUBLISHED


def _unsettled(look_first: bool) -> str:
    """Where a failed try leaves the row: still unknown whether the platform has it, or queued."""
    return State.UNCERTAIN if look_first else State.QUEUED


def _claim(outgoing_id: int, *, worker: str) -> tuple[Outgoing, bool] | None:
    """Take the row for ``worker`` (written before any call); None when it is done or held.
    The flag says whether the platform must be read first (the last attempt's outcome is unknown)."""
    now = timezone.now()
    with transaction.atomic():
        outgoing = (
            Outgoing.objects.select_for_update()
            .select_related("account__platform")
            .filter(pk=outgoing_id)
            .first()
        )
        if outgoing is None or outgoing.state in (State.PUBLISHED, State.FAILED):
            return None
        look_first = outgoing.state == State.UNCERTAIN
        if outgoing.state == State.SENDING:
            if not _holder_gone(outgoing, now):
                return None
            look_first = True
        outgoing.state, outgoing.worker, outgoing.sending_since = State.SENDING, worker, now
        outgoing.attempts += 1
        outgoing.save(update_fields=["state", "worker", "sending_since", "attempts"])
    return outgoing, look_first


def _holder_gone(outgoing: Outgoing, now: dt.datetime) -> bool:
    if runs.worker_gone(outgoing.worker):
        return True
    elsewhere = outgoing.worker.rpartition(":")[0] != socket.gethostname()
    return elsewhere and outgoing.sending_since is not None and outgoing.sending_since < now - STALE_SENDING


def _post_of(outgoing: Outgoing) -> Post:
    target = None
    if outgoing.reply_to_id:
        item = outgoing.reply_to_item
        version = archive_selectors.latest_versions([item.pk]).get(item.pk) if item is not None else None
        target = ReplyTarget(
            object_id=outgoing.reply_to_id,
            kind=item.kind if item is not None else Kind.COMMENT,
            parent_object_id=item.parent_object_id if item is not None else "",
            metadata=version.metadata if version is not None else {},
            url=item.url if item is not None else "",
            root_object_id=_root_of(item),
        )
    return Post(
        key=outgoing.key,
        text=outgoing.text,
        media=outgoing_files.media_of(outgoing),
        first_comment=outgoing.first_comment,
        reply_to=target,
        created_at=outgoing.created_at,
        media_urls=tuple(outgoing_files.media_url(outgoing, number) for number in range(len(outgoing.media))),
    )


def _root_of(item: Any) -> str:
    if item is None:
        return ""
    # The highest item the archive holds of the thread; its parent, if any, is the post.
    chain = archive_selectors.ancestors_of(item)
    top = chain[0] if chain else item
    return str(top.parent_object_id or top.object_id)


def _record(outgoing: Outgoing, published: Published, *, worker: str) -> None:
    """The post is on the platform: record it, and capture it into the archive as drawn up."""
    record = {"record": outgoing.record_metadata, "outgoing_key": outgoing.key}
    captures = [
        replace(capture, direction=Direction.DRAWN_UP, metadata={**capture.metadata, **record})
        for capture in (published.capture, *published.also)
    ]
    now = timezone.now()
    with transaction.atomic():
        held = Outgoing.objects.filter(pk=outgoing.pk, state=State.SENDING, worker=worker).update(
            state=State.PUBLISHED,
            platform_id=published.platform_id,
            platform_url=published.url[:1000],
            published_at=published.published_at or now,
            first_comment_id=published.first_comment_id,
            last_error=_("Published; the first comment could not be added: %(error)s")
            % {"error": published.first_comment_error}
            if published.first_comment_error
            else "",
            worker="",
            sending_since=None,
            next_try_at=None,
        )
        if not held:
            return  # taken over by another worker, which finds the post on the platform
        archive.capture(captures)
        item = archive_selectors.item_by_object_id(outgoing.account_id, published.platform_id)
        Outgoing.objects.filter(pk=outgoing.pk).update(item=item)
        audit.record(
            "connectors.outgoing.published",
            actor_label="system",
            target=outgoing.account,
            details={"outgoing": outgoing.pk, "key": outgoing.key, "platform_id": published.platform_id},
        )


def backoff(attempts: int) -> dt.timedelta:
    return runs.backoff(attempts)


def _retry(outgoing: Outgoing, message: str, *, state: str, wait: float | None = None) -> str:
    """A try that a later one may get past: back off (or give up after :data:`MAX_ATTEMPTS`)."""
    if outgoing.attempts >= MAX_ATTEMPTS:
        if state == State.UNCERTAIN:
            message = _(
                "%(error)s Sigill could not tell whether the platform has the post: look on the platform."
            ) % {"error": message}
        return _give_up(outgoing, message)
    delay = max(backoff(outgoing.attempts), dt.timedelta(seconds=wait or 0))
    # Only while this worker holds it: one that was taken for dead must not undo the takeover.
    Outgoing.objects.filter(pk=outgoing.pk, state=State.SENDING, worker=outgoing.worker).update(
        state=state,
        last_error=message[:2000],
        next_try_at=timezone.now() + delay,
        worker="",
        sending_since=None,
    )
    return state


def _give_up(outgoing: Outgoing, message: str) -> str:
    with transaction.atomic():
        changed = Outgoing.objects.filter(pk=outgoing.pk, state=State.SENDING, worker=outgoing.worker).update(
            state=State.FAILED, last_error=message[:2000], worker="", sending_since=None, next_try_at=None
        )
        if changed:
            audit.record(
                "connectors.outgoing.failed",
                actor_label="system",
                target=outgoing.account,
                details={"outgoing": outgoing.pk, "key": outgoing.key, "error": message[:500]},
            )
    return State.FAILED


def take_due(now: dt.datetime | None = None) -> list[int]:
    """The rows to try now: queued or uncertain ones whose back-off has passed, and those left
    "sending" by a worker that is gone; each moved on so the next tick does not enqueue it again."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Outgoing.objects.select_for_update(skip_locked=True)
            .filter(
                Q(state__in=[State.QUEUED, State.UNCERTAIN], next_try_at__lte=now)
                | Q(state=State.SENDING, sending_since__lte=now)
            )
            .order_by("pk")
        )
        due = [o for o in rows if o.state != State.SENDING or _holder_gone(o, now)]
        for outgoing in due:
            outgoing.next_try_at = now + ENQUEUED_GRACE
        Outgoing.objects.bulk_update(due, ["next_try_at"])
    return [o.pk for o in due]


def enqueue_due() -> int:
    """Enqueue every due row; the scheduler calls this every minute."""
    due = take_due()
    for pk in due:
        publish_outgoing.enqueue(pk)
    return len(due)
