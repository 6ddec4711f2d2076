"""The archive: search and items, with the archive's own permission policy (secret items only for
comms and the registrar), read through ``archive.selectors`` as the archive's pages do."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from pydantic import Field

from sigill.api import openapi
from sigill.api.auth import user_of
from sigill.api.fields import MAX_ID, Day, Id, text
from sigill.api.schemas import AttachmentOut, FactOut, ItemDetail, ItemSummary, SearchPage, VersionOut
from sigill.archive import selectors
from sigill.archive.capture import Direction, Kind
from sigill.archive.models import Item, ItemFact
from sigill.archive.search import Filters
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.registry import selectors as registry_selectors
from sigill.registry.models import Platform

router = Router(tags=["archive"])


class SearchFilters(Schema):
    q: Annotated[str, text(200)] = Field("", description="Words; every inflected form is found.")
    account: Annotated[str, text(120)] = Field("", description="An account's slug.")
    platform: Annotated[str, text(30)] = Field("", description="A platform's short name.")
    kind: Kind | None = None
    direction: Direction | None = None
    author: Annotated[str, text(100)] = ""
    since: Day | None = Field(None, description="Published on or after this day (Swedish time).")
    until: Day | None = Field(None, description="Published on or before this day (Swedish time).")
    removed: bool | None = Field(
        None, description="Only items removed on the platform (true) or still there (false)."
    )
    after: int | None = Field(None, ge=0, le=MAX_ID, description="The cursor of the previous page.")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filters(user: User, found: SearchFilters) -> Filters:
    if found.since and found.until and found.until < found.since:
        raise ValidationError({"until": _("The end date comes before the start date.")})
    accounts = None
    if found.account:
        accounts = list(
            registry_selectors.accounts_for(user, filters={})
            .filter(slug=found.account)
            .values_list("pk", flat=True)
        )
    platform = None
    if found.platform:
        platform = Platform.objects.filter(slug=found.platform).values_list("pk", flat=True).first() or 0
    return Filters(
        text=found.q,
        accounts=accounts,
        platform=platform,
        kind=found.kind or "",
        direction=found.direction or "",
        author=found.author,
        since=_day_start(found.since) if found.since else None,
        until=_day_start(found.until + dt.timedelta(days=1)) if found.until else None,
        removed=found.removed,
    )


@router.get("/archive/items", response=SearchPage, url_name="archive_search", openapi_extra=openapi.READ)
def search_archive(request: HttpRequest, filters: Query[SearchFilters]) -> SearchPage:
    """Newest first, twenty at a time; follow next_cursor for the next page."""
    user = user_of(request)
    policy_for(Item).require(user, "view")
    page = selectors.search_for(user, filters=_filters(user, filters), after=filters.after)
    return SearchPage(
        items=[
            ItemSummary(
                id=hit.item.pk,
                account=hit.item.account.slug,
                platform=hit.item.platform.slug,
                object_id=hit.item.object_id,
                kind=Kind(hit.item.kind),
                direction=Direction(hit.item.direction),
                author=hit.item.author_name or hit.item.author_handle,
                published_at=hit.item.published_at,
                received_at=hit.item.received_at,
                removed_on_platform=hit.entry.removed_on_platform_at is not None,
                secret=hit.entry.secret,
                text=hit.entry.text,
            )
            for hit in page.hits
        ],
        next_cursor=page.next_cursor,
    )


@router.get(
    "/archive/items/{pk}", response=ItemDetail, url_name="archive_item", openapi_extra=openapi.READ_ONE
)
def get_item(request: HttpRequest, pk: Annotated[Id, Path()]) -> ItemDetail:
    """One item with every version, its files' hashes and what happened to it later."""
    found = selectors.item_for(user_of(request), pk=pk)
    versions = [view.version for view in selectors.versions_of(found)]
    facts = list(selectors.facts_of(found))
    return ItemDetail(
        id=found.pk,
        account=found.account.slug,
        platform=found.platform.slug,
        object_id=found.object_id,
        kind=Kind(found.kind),
        direction=Direction(found.direction),
        author=found.author_name or found.author_handle,
        published_at=found.published_at,
        received_at=found.received_at,
        removed_on_platform=any(f.fact == ItemFact.Fact.REMOVED_ON_PLATFORM for f in facts),
        secret=any(f.fact == ItemFact.Fact.MARKED_SECRET for f in facts),
        text=versions[-1].text if versions else "",
        parent_object_id=found.parent_object_id,
        url=found.url,
        source=found.source,
        seal=found.seal,
        versions=[
            VersionOut(
                number=version.number,
                text=version.text,
                captured_at=version.captured_at,
                edited_at=version.edited_at,
                source=version.source,
                seal=version.seal,
                attachments=[
                    AttachmentOut(
                        id=attachment.pk,
                        name=attachment.name,
                        content_type=attachment.content_type,
                        size=attachment.size,
                        sha256=attachment.sha256,
                    )
                    for attachment in version.attachments.all()
                ],
            )
            for version in versions
        ],
        facts=[FactOut(fact=f.fact, at=f.at, provision=f.provision, note=f.note) for f in facts],
    )
