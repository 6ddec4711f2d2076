"""The archive's demo data fills the screens, runs again without change, and verifies."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from sigill.archive import seal
from sigill.archive.models import ArchiveEvent, Item, ItemFact, ItemVersion

pytestmark = pytest.mark.django_db


def test_the_demo_archive_holds_hundreds_of_items_and_verifies() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
        counts = (Item.objects.count(), ItemVersion.objects.count(), ArchiveEvent.objects.count())
        call_command("seed_demo", verbosity=0)
    assert counts[0] >= 300
    assert counts[1] > counts[0]  # some comments were edited
    assert ItemFact.objects.filter(fact=ItemFact.Fact.REMOVED_ON_PLATFORM).exists()
    assert (Item.objects.count(), ItemVersion.objects.count(), ArchiveEvent.objects.count()) == counts
    assert seal.verify().ok
