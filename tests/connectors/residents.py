"""What residents write on the accounts, as a sync captures it: for the tests of replies."""

from __future__ import annotations

from django.utils import timezone

from sigill.archive import services as archive
from sigill.archive.capture import Author, Capture, Direction, Kind, Source
from sigill.archive.models import Item
from sigill.registry.models import Account


def a_comment(account: Account, platform_id: str, text: str, *, on: str, author: Author) -> Capture:
    """A resident's comment on ``on`` (a post or a comment), received now."""
    return Capture(
        account_id=account.pk,
        platform_id=platform_id,
        kind=Kind.COMMENT,
        source=Source.API,
        direction=Direction.RECEIVED,
        published_at=timezone.now(),
        text=text,
        parent_platform_id=on,
        author=author,
    )


def archived_comment(account: Account, platform_id: str, text: str, *, on: str, author: Author) -> Item:
    """The comment, captured into the archive: the item a reply answers."""
    archive.capture([a_comment(account, platform_id, text, on=on, author=author)])
    return Item.objects.get(account=account, object_id=platform_id)
