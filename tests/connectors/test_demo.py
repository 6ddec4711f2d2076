"""The demo shows capture that works, an account that needs reconnecting, and a gap that closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sigill.connectors import selectors
from sigill.connectors.models import CaptureRun, Connection, Outgoing
from sigill.core.todo import todos_for
from sigill.organisation.models import User
from sigill.registry.models import Account

pytestmark = pytest.mark.django_db


def test_the_demo_has_each_capture_state_and_seeds_twice_without_change() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
        counts = (Connection.objects.count(), CaptureRun.objects.count())
        call_command("seed_demo", verbosity=0)
    assert (Connection.objects.count(), CaptureRun.objects.count()) == counts
    assert set(Connection.objects.values_list("status", flat=True)) == {"ok", "needs_reconnect"}
    youtube = Account.objects.get(platform__slug="youtube", handle="varakommun")
    now = timezone.now()
    report = selectors.coverage(youtube, since=now - dt.timedelta(days=7), until=now)
    assert [g.end is not None for g in report.gaps] == [True], "the outage's gap closed"
    comms = User.objects.get(username="comms")
    assert any("Instagram" in t.title for t in todos_for(comms))
    # The reply decided in the moderation queue on a connected account waits in the outbox; the
    # demo has no platform to publish it on (a worker finds no token in the vault and says so).
    replies = Outgoing.objects.filter(key__startswith="moderation:decision:")
    assert list(replies.values_list("state", "account__platform__slug")) == [("queued", "facebook")]


def test_the_demo_pages_render_for_comms() -> None:
    from tests.conftest import signed_in_client

    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    client = signed_in_client(User.objects.get(username="comms"))
    assert client.get(reverse("connectors:overview")).status_code == 200
    for account in Account.objects.filter(connection__isnull=False):
        assert client.get(reverse("connectors:account", kwargs={"slug": account.slug})).status_code == 200
