"""Anyone verifies a disclosed record on /public/verify/ without seeing its content; one changed
character makes the verification fail."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sigill.archive.models import Item
from sigill.organisation.models import User
from sigill.records import package
from sigill.records.models import DisclosureRequest
from sigill.records.services import disclosure
from tests.records.conftest import PERSONNUMMER


def decided_package(request: DisclosureRequest, dana: User, thread: list[Item]) -> dict:
    disclosure.add_records(request=request, items=thread[:3], by=dana)
    for record in request.records.all():
        disclosure.disclose(record=record, by=dana)
    disclosure.decide(request=request, by=dana)
    return json.loads(package.as_json(package.build(request)))


def post(data: dict) -> str:
    response = Client().post(reverse("records_public:verify"), data)
    assert response.status_code == 200, response.content.decode()
    return response.content.decode()


def test_a_reference_and_seal_verify_and_one_changed_character_fails(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    record = decided_package(open_request, dana, thread)["records"][0]
    page = post({"reference": record["reference"], "seal": record["seal"]})
    assert "Stämmer" in page and "förseglades i arkivet" in page
    assert record["text"] not in page  # no content, ever
    altered = record["seal"][:-1] + ("0" if record["seal"][-1] != "0" else "1")
    assert "Stämmer inte" in post({"reference": record["reference"], "seal": altered})


def test_the_json_file_verifies_and_a_changed_text_fails(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    document = decided_package(open_request, dana, thread)
    upload = SimpleUploadedFile("paket.json", json.dumps(document).encode(), "application/json")
    page = post({"package": upload})
    assert page.count("status--active") == 3 and "Texten är texten som den arkiverades" in page
    document["records"][1]["text"] = document["records"][1]["text"].replace("a", "e", 1)
    upload = SimpleUploadedFile("paket.json", json.dumps(document).encode(), "application/json")
    page = post({"package": upload})
    assert page.count("status--active") == 2 and "texten ändrades" in page


def test_a_file_that_is_not_a_package_is_refused_clearly(db: None) -> None:
    upload = SimpleUploadedFile("x.json", b"{not json", "application/json")
    response = Client().post(reverse("records_public:verify"), {"package": upload})
    assert response.status_code == 422
    assert PERSONNUMMER not in response.content.decode()
