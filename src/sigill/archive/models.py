"""The archive: what was captured from the municipality's accounts, sealed in a hash chain.

Captured rows (items, versions, attachments) and the later facts about an item (seen removed on the
platform, marked secret) are append-only: database triggers refuse UPDATE and DELETE. Each row
carries the SHA-256 of its own canonical content (its *seal*) and belongs to one
:class:`ArchiveEvent`, a link in the archive's hash chain that holds the digest of its rows' seals.
``verify_archive`` recomputes both, so any altered, removed or slipped-in row is found.

A row's seal names its parents by their natural keys (account and platform id), never by database
ids, so that a whole batch can be sealed before it is inserted.

:class:`SearchEntry` is not a record but an index derived from the records (one row per item with
its current state); it may be rebuilt at any time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.archive.capture import PLATFORM_ID_LENGTH, URL_LENGTH, Direction, Kind, Source
from sigill.core.models import compute_hash
from sigill.registry.models import Account, Platform


def utc_iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="microseconds")


def seal_of(content: dict[str, Any]) -> str:
    """The SHA-256 of ``content`` in its canonical JSON form."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def digest_of(seals: Iterable[str]) -> str:
    """The SHA-256 over a set of seals, independent of the order the rows were read in."""
    return hashlib.sha256("\n".join(sorted(seals)).encode()).hexdigest()


class ArchiveEvent(models.Model):
    """One act on the archive and a link in its hash chain: a capture batch that stored something,
    a fact recorded about items, or a disposal under a retention rule (see ``archive.disposal``)."""

    class Act(models.TextChoices):
        CAPTURE = "capture", _("Capture")
        FACT = "fact", _("Recorded fact")
        DISPOSAL = "disposal", _("Disposal")

    act = models.CharField(_("act"), max_length=20, choices=Act.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    source = models.CharField(_("capture source"), max_length=20, choices=Source.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    rows_digest = models.CharField(max_length=64)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("archive event")
        verbose_name_plural = _("archive events")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="archive_event_act_is_known", condition=Q(act__in=["capture", "fact", "disposal"])
            )
        ]

    def __str__(self) -> str:
        return f"{self.act} #{self.pk}"

    def content_hash(self) -> str:
        return compute_hash(
            prev_hash=self.prev_hash,
            content={
                "act": self.act,
                "created_at": utc_iso(self.created_at),
                "source": self.source,
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "row_count": self.row_count,
                "rows_digest": self.rows_digest,
                "details": self.details,
            },
        )


class Sealed(models.Model):
    """A captured row: it belongs to the chain event that stored it and carries its own seal."""

    event = models.ForeignKey(ArchiveEvent, on_delete=models.PROTECT, related_name="+")
    seal = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def canonical(self) -> dict[str, Any]:
        raise NotImplementedError

    def compute_seal(self) -> str:
        return self.seal_with(self.canonical())

    def seal_with(self, content: dict[str, Any]) -> str:
        """The seal of this row given its canonical ``content`` (the table is part of it)."""
        return seal_of({"table": self._meta.db_table, **content})


class Item(Sealed):
    """A platform object (post, comment, reply, direct message, profile snapshot) on an account.

    ``object_id`` is the platform's own id for the object (``platform_id`` would clash with the
    platform foreign key's column).
    """

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("platform id"), max_length=PLATFORM_ID_LENGTH)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent_object_id = models.CharField(_("in reply to"), max_length=PLATFORM_ID_LENGTH, blank=True)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    author_platform_id = models.CharField(_("author's platform id"), max_length=200, blank=True)
    author_name = models.CharField(_("author"), max_length=300, blank=True)
    author_handle = models.CharField(_("author's handle"), max_length=300, blank=True)
    url = models.CharField(_("address on the platform"), max_length=URL_LENGTH, blank=True)
    published_at = models.DateTimeField(_("published"))
    received_at = models.DateTimeField(_("received"))
    source = models.CharField(_("capture source"), max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("archived item")
        verbose_name_plural = _("archived items")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "platform", "object_id"], name="archive_item_unique_platform_object"
            ),
            models.CheckConstraint(name="archive_item_has_platform_id", condition=~Q(object_id="")),
            models.CheckConstraint(name="archive_item_kind_is_known", condition=Q(kind__in=Kind.values)),
            models.CheckConstraint(
                name="archive_item_direction_is_known", condition=Q(direction__in=Direction.values)
            ),
        ]
        indexes = [models.Index(fields=["account", "parent_object_id"], name="archive_item_parent_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id}"

    def get_absolute_url(self) -> str:
        return reverse("archive:item", kwargs={"pk": self.pk})

    @property
    def natural_key(self) -> list[Any]:
        return [self.account_id, self.object_id]

    @property
    def natural_key_tuple(self) -> tuple[int, str]:
        return (self.account_id, self.object_id)

    def canonical(self) -> dict[str, Any]:
        return {
            "key": self.natural_key,
            "platform": self.platform_id,
            "kind": self.kind,
            "parent": self.parent_object_id,
            "direction": self.direction,
            "author": [self.author_platform_id, self.author_name, self.author_handle],
            "url": self.url,
            "published_at": utc_iso(self.published_at),
            "received_at": utc_iso(self.received_at),
            "source": self.source,
        }


class ItemVersion(Sealed):
    """The text and metadata of an item as captured; a changed text (or set of files) is a new version."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    metadata = models.JSONField(_("metadata from the platform"), default=dict, blank=True)
    edited_at = models.DateTimeField(_("edited on the platform"), null=True, blank=True)
    captured_at = models.DateTimeField(_("captured"))
    source = models.CharField(_("capture source"), max_length=20, choices=Source.choices)
    # SHA-256 over the text and the attachments' hashes: what decides whether a capture is new.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="archive_version_unique_number"),
            models.CheckConstraint(name="archive_version_number_from_one", condition=Q(number__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"

    def canonical_with(self, item_key: list[Any]) -> dict[str, Any]:
        return {
            "item": item_key,
            "number": self.number,
            "text": self.text,
            "metadata": self.metadata,
            "edited_at": utc_iso(self.edited_at),
            "captured_at": utc_iso(self.captured_at),
            "source": self.source,
            "fingerprint": self.fingerprint,
        }

    def canonical(self) -> dict[str, Any]:
        return self.canonical_with(self.item.natural_key)


class Attachment(Sealed):
    """A file of a version (image, video, document), stored once under its SHA-256."""

    version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="archive_attachment_unique_position")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def storage_name(self) -> str:
        return storage_name(self.sha256)

    def canonical_with(self, item_key: list[Any], version_number: int) -> dict[str, Any]:
        return {
            "version": [*item_key, version_number],
            "position": self.position,
            "name": self.name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }

    def canonical(self) -> dict[str, Any]:
        return self.canonical_with(self.version.item.natural_key, self.version.number)


def storage_name(sha256: str) -> str:
    """Where a file lives in Django's storage: by its hash, so the same file is stored once."""
    return f"archive/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class ItemFact(Sealed):
    """Something that happened to an item after it was captured, recorded beside it (invariant 1)."""

    class Fact(models.TextChoices):
        REMOVED_ON_PLATFORM = "removed_on_platform", _("Removed on the platform")
        MARKED_SECRET = "marked_secret", _("Marked as holding secret information")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="facts")
    fact = models.CharField(_("fact"), max_length=30, choices=Fact.choices)
    at = models.DateTimeField(_("time"))
    # For secrecy: the provision of the Public Access to Information and Secrecy Act that applies.
    provision = models.CharField(_("provision"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        ordering = ["item", "at", "id"]
        constraints = [
            models.CheckConstraint(
                name="archive_fact_is_known", condition=Q(fact__in=["removed_on_platform", "marked_secret"])
            ),
            models.CheckConstraint(
                name="archive_secret_names_its_provision",
                condition=~Q(fact="marked_secret") | ~Q(provision=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.fact}"

    def canonical_with(self, item_key: list[Any]) -> dict[str, Any]:
        return {
            "item": item_key,
            "fact": self.fact,
            "at": utc_iso(self.at),
            "provision": self.provision,
            "note": self.note,
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
        }

    def canonical(self) -> dict[str, Any]:
        return self.canonical_with(self.item.natural_key)


class DisposedRow(models.Model):
    """A sealed row removed by a disposal under a retention rule: which row, which seal, the event
    that stored it and the disposal event that removed it.

    ``verify_archive`` counts these seals with the event that stored the row, so that event's
    digest still holds, and with the disposal event, whose own digest is over them; a row removed
    in any other way breaks its event's digest. Append-only, like the rows it stands for.
    """

    disposal_event = models.ForeignKey(ArchiveEvent, on_delete=models.PROTECT, related_name="+")
    original_event = models.ForeignKey(ArchiveEvent, on_delete=models.PROTECT, related_name="+")
    table = models.CharField(max_length=60)
    row_id = models.BigIntegerField()
    seal = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("disposed row")
        verbose_name_plural = _("disposed rows")
        indexes = [
            models.Index(fields=["original_event", "id"], name="archive_disposed_original_idx"),
            models.Index(fields=["disposal_event", "id"], name="archive_disposed_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.row_id}"


class SearchEntry(models.Model):
    """The search index: one row per item with its current state (a derived copy, never a record).

    ``sort_key`` orders results newest first and is the keyset cursor: the publication time in
    seconds in the high bits and the item id in the low 32 bits, so it is unique and stable.
    On SQLite it is the rowid of the FTS5 table ``archive_fts``; on PostgreSQL ``document`` has a
    generated ``tsvector`` column with a GIN index (migration 0002).
    """

    item = models.OneToOneField(Item, primary_key=True, on_delete=models.CASCADE, related_name="search_entry")
    sort_key = models.BigIntegerField(unique=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    author = models.CharField(max_length=610, blank=True)
    published_at = models.DateTimeField()
    removed_on_platform_at = models.DateTimeField(null=True, blank=True)
    secret = models.BooleanField(default=False)
    # The current text, for snippets; and the words and lemmas of every version, for matching.
    text = models.TextField(blank=True)
    document = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"search entry of {self.item_id}"


def sort_key_for(*, published_at: dt.datetime, item_id: int) -> int:
    return (max(int(published_at.timestamp()), 0) << 32) | (item_id & 0xFFFFFFFF)
