"""Retention: the rules records are kept or disposed of under, legal holds that stop any disposal,
and the record each disposal leaves behind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.archive.capture import Kind
from sigill.archive.models import ArchiveEvent, Item
from sigill.registry.models import Account, Platform


class RetentionRule(models.Model):
    """Keep the records it covers for ``keep_months`` after publication, or (``permanent``) keep
    them for good and deliver them to the e-archive. It covers an account, a platform and/or a
    kind of item; empty means any. The most specific rule covering an item governs it; between
    equally specific rules, the one that keeps longer."""

    name = models.CharField(_("name"), max_length=200)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    platform = models.ForeignKey(
        Platform,
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    keep_months = models.PositiveIntegerField(_("keep for (months)"), null=True, blank=True)
    permanent = models.BooleanField(_("keep permanently"), default=False)
    decision = models.CharField(
        _("decision it rests on"),
        max_length=300,
        help_text=_("E.g. the information management plan's paragraph or the archive authority's decision."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                name="retention_keeps_for_a_time_or_for_good",
                condition=Q(permanent=True, keep_months__isnull=True)
                | Q(permanent=False, keep_months__gte=1),
            ),
            models.CheckConstraint(name="retention_names_its_decision", condition=~Q(decision="")),
            models.CheckConstraint(name="retention_kind_is_known", condition=Q(kind__in=["", *Kind.values])),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("records:rule", kwargs={"pk": self.pk})

    @property
    def specificity(self) -> tuple[int, int]:
        """How narrowly the rule applies, then how long it keeps: the greater governs."""
        narrow = 4 * (self.account_id is not None) + 2 * (self.platform_id is not None) + bool(self.kind)
        return narrow, 1_000_000 if self.permanent else (self.keep_months or 0)

    @property
    def rank(self) -> tuple[int, int, int]:
        """Which of two rules covering an item governs it: the greater; the older on a tie."""
        return (*self.specificity, -self.pk)

    @property
    def scope(self) -> dict[str, object]:
        """What the rule is narrowed to, as archive item fields and the values they must have (an
        empty scope covers every item). The one definition of "covers", which both :meth:`covers`
        (in the database) and :meth:`covers_item` (an item in hand) read."""
        scope = {"account_id": self.account_id, "platform_id": self.platform_id, "kind": self.kind or None}
        return {name: value for name, value in scope.items() if value is not None}

    def covers(self) -> Q:
        """The items the rule covers, as a filter on archive items."""
        return Q(**self.scope)

    def covers_item(self, item: Item) -> bool:
        """Whether the rule covers ``item``: the same test as :meth:`covers`, in Python."""
        return all(getattr(item, name) == value for name, value in self.scope.items())


class LegalHold(models.Model):
    """Stops any disposal of an account's items, a thread, or the items a search found."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("An account")
        THREAD = "thread", _("A thread")
        SEARCH = "search", _("A search result")

    scope = models.CharField(_("what is held"), max_length=20, choices=Scope.choices)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For a thread: its root item's platform id on ``account`` (replies arriving later are held too).
    thread_root = models.CharField(_("thread"), max_length=200, blank=True)
    search = models.JSONField(_("search"), default=dict, blank=True)
    reason = models.TextField(_("reason"))
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    release_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                name="hold_scope_is_known", condition=Q(scope__in=["account", "thread", "search"])
            ),
            models.CheckConstraint(name="hold_has_a_reason", condition=~Q(reason="")),
            models.CheckConstraint(
                name="hold_names_what_it_holds",
                condition=Q(scope="search")
                | Q(scope="account", account__isnull=False)
                | Q(scope="thread", account__isnull=False) & ~Q(thread_root=""),
            ),
        ]

    def __str__(self) -> str:
        return _("Legal hold no. %(number)d") % {"number": self.pk}

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class HeldItem(models.Model):
    """An item a search-result hold holds (the result as it was when the hold was placed)."""

    hold = models.ForeignKey(LegalHold, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hold", "item"], name="held_item_once")]

    def __str__(self) -> str:
        return f"{self.hold_id}: {self.item_id}"


class DisposalRecord(models.Model):
    """What a disposal removed, under which rule, when and by whom (append-only).

    ``event`` is the disposal's link in the archive's hash chain."""

    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="disposals")
    record_class = models.CharField(_("class of records"), max_length=500)
    decision = models.CharField(_("decision it rests on"), max_length=300)
    published_before = models.DateTimeField(_("published before"))
    items = models.PositiveIntegerField(_("items"))
    versions = models.PositiveIntegerField(_("versions"))
    attachments = models.PositiveIntegerField(_("files"))
    held_back = models.PositiveIntegerField(_("kept because held or requested"))
    event = models.OneToOneField(ArchiveEvent, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("disposal record")
        verbose_name_plural = _("disposal records")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.record_class} ({self.items})"
