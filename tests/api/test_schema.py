"""schemathesis fuzzes every operation of the API against its own OpenAPI schema, through the WSGI
application, as comms with a read-and-write token: no request may cause a server error, and every
response must be one the schema documents, in its documented media type and shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sigill.archive import services as archive_services
from sigill.archive.models import Item
from sigill.inquiries import services as inquiry_services
from sigill.inquiries.models import Inquiry
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from sigill.reports.periods import Month
from tests.api.conftest import token_for
from tests.archive.conftest import T0, comment, post
from tests.moderation.conftest import arrive

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def _connection_kept_open() -> Iterator[None]:
    """The WSGI application closes the database connection after each request when it sees an
    open transaction (on PostgreSQL), which would end the test's own; Django's test client keeps
    it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(
    alice: User, charlie: User, library: Account, streets: Account, units: dict[str, Unit]
) -> dict[str, dict[str, Any]]:
    """Some real data to read: a secret post, a screened comment (a case), a forwarded question;
    returned as the path parameters that reach each of them."""
    archive_services.capture([post(library, "post-1", "Sommar på biblioteket")])
    [case] = arrive(comment(library, "c-1", "Ring mig på 070-123 45 67"))
    archive_services.mark_secret(
        item=Item.objects.get(object_id="post-1"), provision="OSL 26 kap. 1 §", note="", by=alice
    )
    inquiry = inquiry_services.create_inquiry(
        question="När öppnar simhallen?",
        asked_where="Facebook",
        asked_at=T0,
        source=Inquiry.Source.ESERVICE,
        by=charlie,
    )
    last = Month.current().previous()
    last_month = {"year": last.year, "month": last.month}
    return {
        "/api/v1/accounts/{slug}": {"slug": library.slug},
        "/api/v1/archive/items/{pk}": {"pk": Item.objects.get(object_id="post-1").pk},
        "/api/v1/moderation/cases/{pk}": {"pk": case.pk},
        "/api/v1/moderation/cases/{pk}/decision": {"pk": case.pk},
        "/api/v1/inquiries/{pk}": {"pk": inquiry.pk},
        "/api/v1/problems/{slug}": {"slug": "not-found"},
        "/api/v1/reports/{year}/{month}": last_month,
        "/api/v1/reports/{year}/{month}/accounts/{slug}": {**last_month, "slug": library.slug},
    }


def _has_input(operation: Any) -> bool:
    return bool(len(operation.path_parameters) or len(operation.query) or len(operation.body))


# schemathesis' own pytest integration renames test nodes in a way pytest 9 no longer allows, so
# each operation's strategy is driven by hypothesis directly (schemathesis 4's as_strategy).
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.usefixtures("_connection_kept_open")
def test_the_api_keeps_to_its_schema(
    api_data: dict[str, dict[str, Any]], alice: User, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi(reverse("api:openapi-json"), get_wsgi_application())
    headers = {"Authorization": f"Bearer {token_for(alice)}"}
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), "the schema has an invalid operation"
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 14

    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not _has_input(operation):
            continue  # nothing to get wrong: the index and the public list take no input

        # Few examples per operation keep the run short on two cores; no example database is
        # written into the repository; the examples share the test's database on purpose.
        @settings(
            max_examples=12,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
        def check(case: Any, real: bool) -> None:
            # Random ids rarely exist: half the valid examples reach the real objects instead,
            # so the bodies are fuzzed against an account, a case and an inquiry that exist.
            if real and mode == GenerationMode.POSITIVE and case.path_parameters:
                case.path_parameters = api_data.get(case.operation.path, case.path_parameters)
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        check()
