"""Disposal: the one way captured rows leave the archive (DESIGN.md §5.1).

The retention service decides *what* may go (under which rule, nothing held or under an open
disclosure request) and calls :func:`dispose`. Here the rows are removed and the chain extended by
a disposal event whose digest is over the seals of every removed row; each removed row is listed
in :class:`DisposedRow` with the event that stored it, so that event still verifies. Files no
other attachment uses are deleted from storage after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import PROTECT, Model

from sigill.archive.models import (
    ArchiveEvent,
    Attachment,
    DisposedRow,
    Item,
    ItemFact,
    ItemVersion,
    SearchEntry,
    storage_name,
)
from sigill.archive.seal import append_event, lock_chain
from sigill.core.append_only import deletion_permitted
from sigill.organisation.people import User

CHUNK = 2000


@dataclass(frozen=True)
class Disposed:
    event: ArchiveEvent
    items: int
    versions: int
    attachments: int
    facts: int
    files: int


def referenced_elsewhere(item_ids: Sequence[int]) -> set[int]:
    """The items another app's records still point at with a protecting foreign key (a moderation
    case, say). Disposal keeps them: deleting would fail, and that record's own retention decides
    first. Found from the model relations, so an app added later is covered without a change here."""
    referenced: set[int] = set()
    for relation in Item._meta.related_objects:
        model = relation.related_model
        if (
            relation.on_delete is not PROTECT
            or not isinstance(model, type)
            or model._meta.app_label == Item._meta.app_label
        ):
            continue
        column = relation.field.name
        for start in range(0, len(item_ids), CHUNK):
            chunk = list(item_ids[start : start + CHUNK])
            referenced.update(
                model._default_manager.filter(**{f"{column}__in": chunk}).values_list(
                    f"{column}_id", flat=True
                )
            )
    return referenced


def lock() -> None:
    """Serialise with disposals until the current transaction ends (the chain's lock): the records
    app takes it when it decides what may be disposed of, and when it holds or requests items."""
    lock_chain()


def dispose(*, item_ids: Sequence[int], by: User, details: dict[str, Any]) -> Disposed:
    """Remove the items with ``item_ids`` (with their versions, files and facts) and record it in the
    chain. ``details`` (the rule, the class of records) is sealed into the disposal event.

    Call inside the caller's transaction, which also writes the disposal record and audit entry.
    """
    ids = sorted(set(item_ids))
    with transaction.atomic():
        lock_chain()
        tables: list[tuple[type[Model], str]] = [
            (Item, "id__in"),
            (ItemVersion, "item_id__in"),
            (Attachment, "version__item_id__in"),
            (ItemFact, "item_id__in"),
        ]
        removed: dict[type[Model], list[tuple[int, int, str]]] = {model: [] for model, _ in tables}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            for model, lookup in tables:
                rows = model._default_manager.filter(**{lookup: chunk}).values_list("id", "event_id", "seal")
                removed[model].extend(rows)
        seals = [seal for rows in removed.values() for _id, _event, seal in rows]
        event = append_event(
            act=ArchiveEvent.Act.DISPOSAL, seals=seals, actor=by, details={**details, "items": len(ids)}
        )
        DisposedRow.objects.bulk_create(
            (
                DisposedRow(
                    disposal_event=event,
                    original_event_id=event_id,
                    table=model._meta.db_table,
                    row_id=row_id,
                    seal=seal,
                )
                for model, rows in removed.items()
                for row_id, event_id, seal in rows
            ),
            batch_size=CHUNK,
        )
        hashes = set(
            Attachment.objects.filter(pk__in=[row_id for row_id, _e, _s in removed[Attachment]]).values_list(
                "sha256", flat=True
            )
        )
        with deletion_permitted([model._meta.db_table for model, _ in tables]):
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                SearchEntry.objects.filter(item_id__in=chunk).delete()
                Attachment.objects.filter(version__item_id__in=chunk).delete()
                ItemFact.objects.filter(item_id__in=chunk).delete()
                ItemVersion.objects.filter(item_id__in=chunk).delete()
                Item.objects.filter(id__in=chunk).delete()
        still_used = set(Attachment.objects.filter(sha256__in=hashes).values_list("sha256", flat=True))
        orphaned = sorted(hashes - still_used)
        transaction.on_commit(lambda: _delete_files(orphaned))
    return Disposed(
        event=event,
        items=len(removed[Item]),
        versions=len(removed[ItemVersion]),
        attachments=len(removed[Attachment]),
        facts=len(removed[ItemFact]),
        files=len(orphaned),
    )


def _delete_files(hashes: list[str]) -> None:
    for sha256 in hashes:
        default_storage.delete(storage_name(sha256))
