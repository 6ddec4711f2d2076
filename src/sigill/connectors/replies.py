"""The moderation queue's replies, published through the outbox: registered with moderation's
contract (``platform_acts.register_replier``) when the app loads."""

from __future__ import annotations

from typing import Any

from sigill.connectors.models import Connection, Outgoing
from sigill.connectors.publish.base import REPLY, abilities_of
from sigill.connectors.publish.outbox import queue_post
from sigill.moderation import platform_acts
from sigill.moderation.platform_acts import ReplyState
from sigill.organisation.people import User


class OutboxReplier:
    def can_reply(self, platform_slug: str) -> bool:
        return REPLY in abilities_of(platform_slug)

    def publish_reply(
        self, *, item: Any, text: str, key: str, record_metadata: dict[str, Any], by: User
    ) -> None:
        # An account not connected to its platform's API cannot reply through it: the moderator
        # replies on the platform by hand, as before.
        if not Connection.objects.filter(account_id=item.account_id).exists():
            return
        queue_post(
            account=item.account,
            key=key,
            text=text,
            reply_to_item=item,
            record_metadata=record_metadata,
            by=by,
        )

    def reply_state(self, key: str) -> ReplyState | None:
        outgoing = Outgoing.objects.filter(key=key).first()
        if outgoing is None:
            return None
        return ReplyState(
            label=str(outgoing.get_state_display()),
            published=outgoing.state == Outgoing.State.PUBLISHED,
            failed=outgoing.state == Outgoing.State.FAILED,
            error=outgoing.last_error,
            url=outgoing.platform_url,
        )


def register() -> None:
    platform_acts.register_replier(OutboxReplier())
