"""Every page asks the database the same number of questions however much it lists.

The named people and objects of the permission matrix are set up, then a first batch of everything
the lists show (comments screened into cases, decisions, residents' reports, accounts, inquiries,
disclosure requests, applications, audit entries), and every page is read once; then four times as
much again, and every page is read again. A page whose count of queries grew with the rows (an
"N + 1") fails, named with both counts.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sigill.applications import services as application_services
from sigill.archive import services as archive_services
from sigill.archive.capture import Capture, Direction, Kind, Source
from sigill.archive.models import Item
from sigill.compliance import services as compliance_services
from sigill.core import audit, heartbeat
from sigill.guidelines import services as guideline_services
from sigill.guidelines.models import GuidelineVersion
from sigill.inquiries import services as inquiries
from sigill.inquiries.models import Inquiry
from sigill.moderation import services as moderation_services
from sigill.moderation.models import Case
from sigill.moderation.services import AlreadyDecided
from sigill.organisation.models import Role, Unit, User
from sigill.publishing import services as publishing_services
from sigill.records.services import disclosure
from sigill.registry import services
from sigill.registry.models import Account
from tests.applications.fixtures import complete_data
from tests.archive.conftest import make_live_account
from tests.conftest import make_person, signed_in_client
from tests.test_permission_matrix import PERSON_FOR_ROLE, STAFF, TABLE, comms_user, erik_user

pytestmark = pytest.mark.django_db

PAGES = sorted(
    name
    for name, row in TABLE.items()
    if row.method == "get" and not row.api and any(row.expect[role] == 200 for role in STAFF)
)
_serial = itertools.count(1)

COMMENTS = [
    "Ring mig på 070-123 45 67 om boken",
    "Du är en idiot och borde sparkas",
    "Min son har adhd och får inget stöd i skolan",
    "När öppnar biblioteket på lördag?",
]


def grow(units: dict[str, Unit], times: int) -> None:
    """``times`` more of everything Sigill's lists show."""
    alice, erik, bob, charlie = (
        User.objects.get(username=name) for name in ("alice", "erik", "bob", "charlie")
    )
    dana = User.objects.get(username="dana")
    library = Account.objects.get(handle="varabibliotek")
    for version in GuidelineVersion.objects.exclude(acknowledgements__user=erik):
        guideline_services.acknowledge(version=version, by=erik)
    for _ in range(times):
        n = next(_serial)
        account = make_live_account(
            alice, units["bibliotek"], url=f"facebook.com/varabibliotek{n}", platform="facebook",
            editor=erik, display_name=f"Vara bibliotek {n}", responsible=erik, deputy=bob,
        )  # fmt: skip
        captures = [
            Capture(
                account_id=target.pk,
                platform_id=f"grow-{n}-{index}",
                kind=Kind.COMMENT,
                source=Source.API,
                direction=Direction.RECEIVED,
                published_at=timezone.now(),
                text=text,
                url=f"https://www.facebook.com/varabibliotek/posts/1?comment_id=grow-{n}-{index}",
            )
            for target in (library, account)
            for index, text in enumerate(COMMENTS)
        ]
        draft = publishing_services.create_draft(
            title=f"Inlägg {n}", accounts=[account, library], text="Välkommen! Ring 070-123 45 67.", by=erik
        )
        publishing_services.reschedule(draft=draft, at=timezone.now() + dt.timedelta(days=n % 20), by=erik)
        publishing_services.set_approval_rule(account=account, approver="comms", by=alice)
        publishing_services.submit(draft=draft, by=erik)
        item_ids = archive_services.capture(captures).item_ids
        moderation_services.screen_items(item_ids)
        moderation_services.decide(
            case=Case.objects.get(item__account=account, item__object_id=f"grow-{n}-0"),
            choice=moderation_services.Choice(act="hide", reason="sensitive_data"),
            by=alice,
        )
        compliance_services.report_comment(
            account=library,
            comment_url=f"https://www.facebook.com/varabibliotek/posts/1?comment_id=grow-{n}-1",
            reason="harassment",
            contact="",
            sender_address=f"192.0.2.{n % 250}",
        )
        inquiries.create_inquiry(
            question=f"Fråga {n}: när öppnar simhallen?",
            asked_where="Kommentar på min privata Instagram",
            asked_at=timezone.now(),
            source=Inquiry.Source.ESERVICE,
            by=charlie,
        )
        request = disclosure.register_request(
            by=dana, received_at=timezone.now(), channel="email", description=f"Begäran {n}."
        )
        disclosure.add_records(request=request, items=list(Item.objects.filter(pk__in=item_ids[:2])), by=dana)
        teacher = make_person(f"teacher{n}", "Lärare", str(n), [(units["nastegardsskolan"], Role.EMPLOYEE)])
        application_services.submit(
            application=application_services.save_draft(
                data=complete_data(
                    units, teacher, bob, proposed_name=f"Skola {n}", proposed_address=f"skola{n}"
                ),
                by=teacher,
            ),
            by=teacher,
        )
        audit.record("records.export.created", actor=alice, target=account, details={"items": n})


def page_urls() -> dict[str, tuple[str, str]]:
    """Each page's address and the role that reads it. Several rows' objects are decisions on one
    case, which cannot all be made in one test: a page whose object cannot be made is left out."""
    urls = {}
    for name in PAGES:
        row = TABLE[name]
        role = next(role for role in STAFF if row.expect[role] == 200)
        try:
            with transaction.atomic():
                urls[name] = (reverse(name, kwargs=row.kwargs()), role)
        except (AlreadyDecided, ValidationError):
            continue
    return urls


def queries_per_page(clients: dict[str, Client], urls: dict[str, tuple[str, str]]) -> dict[str, int]:
    counts = {}
    for name, (url, role) in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = clients[role].get(url)
        if response.status_code == 200:
            counts[name] = len(queries)
    return counts


def test_no_page_asks_more_questions_when_it_lists_more_rows(
    request: pytest.FixtureRequest, units: dict[str, Unit]
) -> None:
    for person in PERSON_FOR_ROLE.values():
        request.getfixturevalue(person)
    services.assign_editor(
        account=request.getfixturevalue("library_account"), user=erik_user(), by=comms_user()
    )
    request.getfixturevalue("submitted")
    heartbeat.beat()
    clients = {
        role: signed_in_client(request.getfixturevalue(person)) for role, person in PERSON_FOR_ROLE.items()
    }
    urls = page_urls()
    grow(units, 1)
    few = queries_per_page(clients, urls)
    grow(units, 4)
    many = queries_per_page(clients, urls)
    assert len(few) > 0.9 * len(PAGES), f"pages that did not answer: {sorted(set(PAGES) - few.keys())}"
    grew = {name: (few[name], many[name]) for name in few.keys() & many.keys() if many[name] > few[name]}
    assert grew == {}, "pages whose queries grew with the rows (few, many)"
