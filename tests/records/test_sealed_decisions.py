"""A disclosure decision or redaction changed in the database behind Sigill's back is reported by
verify_audit, which replays the registrar's sealed audit entries for every requested record (issue
24.2): a "withhold" turned into "disclose", or a redaction deleted, would give out what secrecy
keeps back."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from sigill.organisation.models import User
from sigill.records.models import DisclosureRequest, Redaction, RequestedRecord
from sigill.records.services import disclosure
from sigill.registry.models import Account
from tests.records.conftest import PERSONNUMMER, capture_thread
from tests.records.test_sealed_holds import run_sql, verify_fails

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(open_request: DisclosureRequest, dana: User, library: Account) -> dict[str, RequestedRecord]:
    """Three records of one request: one disclosed, one withheld, one redacted after a withholding."""
    items = capture_thread(library, comments=3)
    disclosure.add_records(request=open_request, items=items, by=dana)
    records = {
        record.item.object_id: record for record in open_request.records.select_related("item") if record.item
    }
    post, first, named = records["p-1"], records["c-0"], records["c-2"]
    disclosure.disclose(record=first, by=dana)
    disclosure.withhold(record=post, reason="OSL 21 kap. 7 §", by=dana)
    disclosure.withhold(record=named, reason="Utreds", by=dana)
    disclosure.redact(record=named, passage=PERSONNUMMER, provision="OSL 21 kap. 1 §", by=dana)
    return {"disclosed": first, "withheld": post, "redacted": named}


def test_reviewed_records_pass(reviewed: dict[str, RequestedRecord]) -> None:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit log intact" in out.getvalue()


def test_a_withheld_record_turned_into_disclosed_is_reported(reviewed: dict[str, RequestedRecord]) -> None:
    record = reviewed["withheld"]
    run_sql("UPDATE records_requestedrecord SET decision = 'disclose' WHERE id = %s", [record.pk])
    assert (
        f"record {record.reference}: the database says “disclose”, the audit log “withhold”" in verify_fails()
    )


def test_a_deleted_redaction_is_reported(reviewed: dict[str, RequestedRecord]) -> None:
    record = reviewed["redacted"]
    run_sql("DELETE FROM records_redaction WHERE record_id = %s", [record.pk])
    assert f"record {record.reference}: its redactions differ" in verify_fails()


def test_a_redaction_moved_is_reported(reviewed: dict[str, RequestedRecord]) -> None:
    record = reviewed["redacted"]
    redaction = Redaction.objects.get(record=record)
    run_sql('UPDATE records_redaction SET "end" = "start" + 1 WHERE id = %s', [redaction.pk])
    assert f"record {record.reference}: its redactions differ" in verify_fails()
