"""Reads about the guideline: the version in force, and who has acknowledged it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sigill.core.policies import policy_for
from sigill.core.text import swedish_sort_key
from sigill.guidelines.models import Acknowledgement, GuidelineVersion
from sigill.organisation.models import Role, User
from sigill.registry import selectors as registry_selectors


def current_version(today: dt.date | None = None) -> GuidelineVersion | None:
    """The version in force ``today``: the latest in-force date that has come, then the highest number."""
    today = today or timezone.localdate()
    return (
        GuidelineVersion.objects.filter(in_force_from__lte=today)
        .order_by("-in_force_from", "-number")
        .first()
    )


def versions_for(user: User) -> QuerySet[GuidelineVersion]:
    """Every version the user may read: those in force or past; comms also sees coming ones."""
    return policy_for(GuidelineVersion).queryset(user, "view").select_related("published_by")


def version_for(user: User, *, number: int) -> GuidelineVersion:
    """Version ``number`` if ``user`` may read it, else 404."""
    return get_object_or_404(versions_for(user), number=number)


def has_acknowledged(user: User, version: GuidelineVersion) -> bool:
    return Acknowledgement.objects.filter(version=version, user=user).exists()


def has_acknowledged_current(user: User) -> bool:
    """Whether ``user`` may work as an editor as far as the guideline goes: they have acknowledged
    the version in force, or no version is in force yet. The moderation queue asks this too."""
    version = current_version()
    return version is None or has_acknowledged(user, version)


def editors() -> QuerySet[User]:
    """Everyone who edits: an editor role anywhere, or an editor assignment in force."""
    assigned = registry_selectors.current_editor_assignments().order_by().values("user_id")
    return User.objects.filter(
        Q(memberships__role=Role.EDITOR) | Q(pk__in=assigned), is_active=True
    ).distinct()


def must_acknowledge(user: User) -> GuidelineVersion | None:
    """The version ``user`` still has to acknowledge, if they edit and have not yet done so."""
    version = current_version()
    if version is None or not user.is_authenticated:
        return None
    if not editors().filter(pk=user.pk).exists() or has_acknowledged(user, version):
        return None
    return version


@dataclass(frozen=True)
class AcknowledgementStatus:
    person: User
    acknowledged_at: dt.datetime | None


def acknowledgement_report(version: GuidelineVersion) -> list[AcknowledgementStatus]:
    """Every editor and when they acknowledged ``version``: those who have not come first."""
    when = dict(Acknowledgement.objects.filter(version=version).values_list("user_id", "acknowledged_at"))
    people = sorted(editors(), key=lambda person: swedish_sort_key(person.get_full_name() or person.username))
    rows = [AcknowledgementStatus(person, when.get(person.pk)) for person in people]
    return sorted(rows, key=lambda row: row.acknowledged_at is not None)


def not_acknowledged(version: GuidelineVersion) -> QuerySet[User]:
    return editors().exclude(guideline_acknowledgements__version=version)
