"""Two moderators deciding one comment at the same moment: exactly one decision stands (PostgreSQL)."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier

import pytest
from django.db import connection, connections

from sigill.moderation import services
from sigill.moderation.models import Case, Decision
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import comment
from tests.moderation.conftest import arrive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two processes need a server database"),
]


def _moderator(
    case_id: int, username: str, act: str, start: Barrier, outcomes: multiprocessing.Queue
) -> None:
    start.wait(timeout=30)
    choice = services.Choice(act=act, reason="spam" if act == "hide" else "")
    try:
        services.decide(
            case=Case.objects.get(pk=case_id), choice=choice, by=User.objects.get(username=username)
        )
        outcomes.put((username, "decided"))
    except services.AlreadyDecided as taken:
        outcomes.put((username, f"told: already decided by {taken.decision.decided_by.username}"))
    finally:
        connections.close_all()


def test_two_moderators_at_once_make_exactly_one_decision(library: Account, alice: User, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor här, klicka här!"))
    connections.close_all()
    context = multiprocessing.get_context("fork")
    start, outcomes = context.Barrier(2), context.Queue()
    moderators = [
        context.Process(target=_moderator, args=(case.pk, "erik", "keep", start, outcomes)),
        context.Process(target=_moderator, args=(case.pk, "alice", "hide", start, outcomes)),
    ]
    for moderator in moderators:
        moderator.start()
    for moderator in moderators:
        moderator.join(timeout=60)
    assert [moderator.exitcode for moderator in moderators] == [0, 0]
    results = dict(outcomes.get(timeout=5) for _ in moderators)
    [decision] = Decision.objects.filter(case=case)
    winner = decision.decided_by.username
    loser = "alice" if winner == "erik" else "erik"
    assert results == {winner: "decided", loser: f"told: already decided by {winner}"}
