"""The demo has a month of planned posts across units: approved ones, one waiting for approval and
one blocked by a check; and nothing published, since its accounts reach no real platform."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from sigill.publishing.models import Draft
from sigill.publishing.review import review_draft

pytestmark = pytest.mark.django_db


def test_the_demo_plans_a_month_of_posts_through_the_real_services() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
        count = Draft.objects.count()
        call_command("seed_demo", verbosity=0)
    assert Draft.objects.count() == count == 9
    states = {draft.title: draft.state for draft in Draft.objects.all()}
    assert states["Nya e-böcker"] == Draft.State.SUBMITTED
    assert states["Sagostund på lördag"] == Draft.State.APPROVED
    assert Draft.State.HANDED_OVER not in states.values()
    assert review_draft(Draft.objects.get(title="Hittad cykel")).blocked
    approved = Draft.objects.get(title="Sagostund på lördag")
    assert approved.approved_by is not None and approved.approved_by != approved.created_by
    assert (
        len({target.account.unit_id for draft in Draft.objects.all() for target in draft.targets.all()}) == 3
    )
