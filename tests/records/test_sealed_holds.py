"""A legal hold lifted or narrowed in the database behind Sigill's back is reported by
verify_audit, which compares every hold with the sealed audit entries that placed and released it
(issue 24.2)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from sigill.organisation.models import User
from sigill.records.models import HeldItem, LegalHold
from sigill.records.services import retention
from sigill.registry.models import Account
from tests.records.test_disposal import archive

__all__ = ["archive"]  # the fixture of test_disposal: old comments to hold

pytestmark = pytest.mark.django_db


def run_sql(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO())
    return str(failure.value)


@pytest.fixture
def thread_hold(archive: Account, dana: User) -> LegalHold:
    return retention.place_hold(
        by=dana, scope=LegalHold.Scope.THREAD, account=archive, thread_root="c-old-5", reason="Polisanmälan"
    )


@pytest.fixture
def search_hold(archive: Account, dana: User) -> LegalHold:
    return retention.place_hold(
        by=dana, scope=LegalHold.Scope.SEARCH, search={"text": "kommentar"}, reason="Tvist"
    )


def test_untouched_holds_pass(thread_hold: LegalHold, search_hold: LegalHold, dana: User) -> None:
    retention.release_hold(hold=thread_hold, reason="Utredningen är nedlagd.", by=dana)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit log intact" in out.getvalue()


def test_a_deleted_hold_is_reported(thread_hold: LegalHold) -> None:
    run_sql("DELETE FROM records_legalhold WHERE id = %s", [thread_hold.pk])
    assert f"Legal hold {thread_hold.pk} (placed in audit entry" in verify_fails()


def test_a_hold_released_in_the_database_is_reported(thread_hold: LegalHold) -> None:
    run_sql("UPDATE records_legalhold SET released_at = %s WHERE id = %s", [timezone.now(), thread_hold.pk])
    assert f"Legal hold {thread_hold.pk} is released in the database, but the audit log" in verify_fails()


def test_a_hold_moved_to_another_thread_is_reported(thread_hold: LegalHold) -> None:
    run_sql("UPDATE records_legalhold SET thread_root = 'c-old-4' WHERE id = %s", [thread_hold.pk])
    assert "(thread changed in the database)" in verify_fails()


def test_items_taken_off_a_search_hold_are_reported(search_hold: LegalHold) -> None:
    held = HeldItem.objects.filter(hold=search_hold).values_list("pk", flat=True).first()
    run_sql("DELETE FROM records_helditem WHERE id = %s", [held])
    assert "(items changed in the database)" in verify_fails()


def test_a_hold_no_audit_entry_placed_is_reported(
    thread_hold: LegalHold, archive: Account, dana: User
) -> None:
    forged = LegalHold.objects.create(
        scope=LegalHold.Scope.ACCOUNT, account=archive, reason="x", placed_by=dana
    )
    assert f"Legal hold {forged.pk} is in the database, but no audit entry placed it." in verify_fails()
