"""Who may read and publish the guideline.

Every signed-in person reads the versions in force (G8: "public inside Sigill"); comms
publishes new versions and follows who has acknowledged them (G9).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from sigill.core.policies import Policy, register
from sigill.guidelines.models import GuidelineVersion
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role


@register(GuidelineVersion)
class GuidelineVersionPolicy(Policy[GuidelineVersion]):
    def can_view(self, user: User, version: GuidelineVersion | None) -> bool:
        if version is None or has_role(user, Role.COMMS):
            return True
        return version.in_force_from <= timezone.localdate()

    def view_queryset(self, user: User, versions: QuerySet[GuidelineVersion]) -> QuerySet[GuidelineVersion]:
        if has_role(user, Role.COMMS):
            return versions
        return versions.filter(in_force_from__lte=timezone.localdate())

    def can_acknowledge(self, user: User, version: GuidelineVersion | None) -> bool:
        return True

    def can_publish(self, user: User, version: GuidelineVersion | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_follow_up(self, user: User, version: GuidelineVersion | None) -> bool:
        """See who has not acknowledged a version."""
        return has_role(user, Role.COMMS)
