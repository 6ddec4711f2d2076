"""Report fixtures: accounts with a month of activity whose true figures the tests know.

Cases, decisions and answers are written with the times the tests choose (the services stamp
the present, and a report is about the past); items are captured through the archive's service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from sigill.archive import services as archive_services
from sigill.archive.capture import Author, Capture, Direction, Kind, Source
from sigill.archive.models import Item
from sigill.compliance.models import ProfileCheck
from sigill.inquiries import services as inquiry_services
from sigill.inquiries.models import Inquiry
from sigill.moderation.models import Case, Decision
from sigill.moderation.selectors import forwarded_reference
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account, EditorAssignment
from tests.archive.conftest import make_library, make_streets

STOCKHOLM = ZoneInfo("Europe/Stockholm")
H = dt.timedelta(hours=1)


def sthlm(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> dt.datetime:
    """A Swedish wall-clock time (the reports' months are Swedish months)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def item(
    account: Account,
    platform_id: str,
    published_at: dt.datetime,
    *,
    kind: str = Kind.COMMENT,
    own: bool = False,
) -> Capture:
    return Capture(
        account_id=account.pk,
        platform_id=platform_id,
        kind=kind,
        source=Source.API,
        direction=Direction.DRAWN_UP if own else Direction.RECEIVED,
        published_at=published_at,
        text=f"Text av {platform_id}",
        author=Author(platform_id="page" if own else f"u-{platform_id}", display_name="Någon"),
    )


def capture(*captures: Capture) -> dict[str, Item]:
    archive_services.capture(list(captures))
    return {i.object_id: i for i in Item.objects.filter(object_id__in=[c.platform_id for c in captures])}


@dataclass
class Moderated:
    """One case with the times the test gives it."""

    item: Item
    opened_at: dt.datetime
    severity: int = 0
    looked_after: dt.timedelta | None = None
    decided_after: dt.timedelta | None = None
    act: str = "keep"
    reason: str = ""
    due_after: dt.timedelta = 12 * H


def moderate(case: Moderated, by: User) -> Case:
    made = Case.objects.create(
        item=case.item,
        account_id=case.item.account_id,
        severity=case.severity,
        screened_version=1,
        opened_at=case.opened_at,
        due_at=case.opened_at + case.due_after,
        first_looked_at=case.opened_at + case.looked_after if case.looked_after else None,
        state=Case.State.DECIDED if case.decided_after else Case.State.OPEN,
    )
    if case.decided_after is not None:
        Decision.objects.create(
            case=made,
            round=1,
            act=case.act,
            reason=case.reason,
            decided_by=by,
            decided_at=case.opened_at + case.decided_after,
        )
    return made


def answered_inquiry(
    *,
    source: str,
    received_at: dt.datetime,
    answered_after: dt.timedelta | None,
    by: User,
    external_id: str = "",
) -> Inquiry:
    inquiry = inquiry_services.create_inquiry(
        question="När öppnar badhuset?",
        asked_where="Facebook",
        asked_at=received_at,
        source=source,
        by=by if source == Inquiry.Source.ESERVICE else None,
        external_id=external_id,
    )
    answered = received_at + answered_after if answered_after else None
    Inquiry.objects.filter(pk=inquiry.pk).update(
        received_at=received_at,
        due_at=received_at + 48 * H,
        answered_at=answered,
        answer="Svar." if answered else "",
        state=Inquiry.State.ANSWERED if answered else Inquiry.State.OPEN,
    )
    return inquiry


@pytest.fixture
def library(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return make_library(alice, erik, bob, units)


@pytest.fixture
def streets(alice: User, gustav: User, units: dict[str, Unit]) -> Account:
    """Gata och park on Facebook, in Gustav's administration (outside Bob's)."""
    return make_streets(alice, gustav, units)


@pytest.fixture
def march(library: Account, streets: Account, alice: User, erik: User, charlie: User) -> dict[str, Case]:
    """March 2026 on the library's and the streets' accounts (the figures are in test_figures.py)."""
    found = capture(
        # The library: two posts in March (one just after midnight on 1 March, Swedish time), one in
        # February, one just after March ends; comments, a reply and a message received; its own reply.
        item(library, "p-feb", sthlm(2, 20), kind=Kind.POST, own=True),
        item(library, "p-1", dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC), kind=Kind.POST, own=True),
        item(library, "p-2", sthlm(3, 15), kind=Kind.POST, own=True),
        item(library, "p-apr", dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC), kind=Kind.POST, own=True),
        item(library, "c-1", sthlm(3, 2)),
        item(library, "c-2", sthlm(3, 3)),
        item(library, "c-3", sthlm(3, 4)),
        item(library, "c-4", sthlm(3, 5)),
        item(library, "c-feb", sthlm(2, 27)),
        item(library, "r-1", sthlm(3, 6), kind=Kind.REPLY),
        item(library, "r-own", sthlm(3, 6, 12), kind=Kind.REPLY, own=True),
        item(library, "m-1", sthlm(3, 20), kind=Kind.MESSAGE),
        # The streets: a post and a comment.
        item(streets, "s-p", sthlm(3, 9), kind=Kind.POST, own=True),
        item(streets, "s-c", sthlm(3, 10, 8)),
    )
    cases = {
        name: moderate(case, alice)
        for name, case in {
            "c-1": Moderated(found["c-1"], sthlm(3, 2), 2, 1 * H, 2 * H, "keep"),
            "c-2": Moderated(found["c-2"], sthlm(3, 3), 0, 3 * H, 5 * H, "hide", "spam"),
            "c-3": Moderated(found["c-3"], sthlm(3, 4), 3, 6 * H, 20 * H, "delete", "personal_attack"),
            "c-4": Moderated(found["c-4"], sthlm(3, 5), 0),
            "c-feb": Moderated(found["c-feb"], sthlm(2, 27), 0, 1 * H, 48 * H, "forward"),
            "s-c": Moderated(found["s-c"], sthlm(3, 10, 8), 1, 2 * H, 4 * H, "keep", due_after=24 * H),
        }.items()
    }
    # The question forwarded from c-feb was answered 30 hours after it arrived (due within 48);
    # an employee's question took 50 hours; a mailed one is still open.
    answered_inquiry(
        source=Inquiry.Source.MODERATION,
        received_at=sthlm(3, 1),
        answered_after=30 * H,
        by=alice,
        external_id=forwarded_reference(cases["c-feb"].pk, 1),
    )
    answered_inquiry(
        source=Inquiry.Source.ESERVICE, received_at=sthlm(3, 10, 9), answered_after=50 * H, by=charlie
    )
    answered_inquiry(source=Inquiry.Source.EMAIL, received_at=sthlm(3, 12), answered_after=None, by=alice)
    answered_inquiry(source=Inquiry.Source.EMAIL, received_at=sthlm(4, 1, 0, 30), answered_after=H, by=alice)
    # Profile checks: the one before March ended counts.
    for when, score in [(sthlm(2, 10), 60), (sthlm(3, 20), 80), (sthlm(4, 5), 100)]:
        ProfileCheck.objects.create(account=library, checked_at=when, score=score, passed=score == 100)
    # Both accounts went live at New Year.
    Account.objects.filter(pk__in=[library.pk, streets.pk]).update(activated_at=sthlm(1, 1, 0))
    Account.objects.filter(pk=library.pk).update(next_review_on=dt.date(2026, 3, 15))
    Account.objects.filter(pk=streets.pk).update(next_review_on=dt.date(2026, 6, 1))
    # Erik has edited the library since January and no access review has confirmed him.
    EditorAssignment.objects.filter(user=erik, account=library).update(valid_from=dt.date(2026, 1, 1))
    return cases
