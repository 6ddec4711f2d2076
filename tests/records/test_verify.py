"""Anyone verifies a disclosed record on /public/verify/ without seeing its content; one changed
character makes the verification fail."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sigill.archive import services as archive_services
from sigill.archive.capture import Kind
from sigill.archive.models import Item
from sigill.organisation.models import User
from sigill.records import package, verification
from sigill.records.models import DisclosureRequest
from sigill.records.services import disclosure, retention
from sigill.registry.models import Account
from tests.archive.conftest import comment
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


def upload(document: dict) -> str:
    return post(
        {"package": SimpleUploadedFile("paket.json", json.dumps(document).encode(), "application/json")}
    )


def test_a_correctly_guessed_redacted_passage_is_not_confirmed(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    """Mallory holds a redacted record's reference and seal and uploads guesses of the blacked-out
    personnummer: the right guess gets the very same answer as a wrong one."""
    disclosure.add_records(request=open_request, items=[thread[2]], by=dana)
    record = open_request.records.get()
    disclosure.redact(record=record, passage=PERSONNUMMER, provision="OSL 26 kap. 1 §", by=dana)
    disclosure.decide(request=open_request, by=dana)
    document = json.loads(package.as_json(package.build(open_request)))
    redacted_text = document["records"][0]["text"]
    assert PERSONNUMMER not in redacted_text
    answers = []
    for guess in (PERSONNUMMER, "19990101-0000"):
        text = f"Mitt barn har personnummer {guess} och vill vara med."
        document["records"][0].update(text=text, text_sha256=hashlib.sha256(text.encode()).hexdigest())
        page = upload(document)
        assert "status--active" in page  # the seal itself is right
        answers.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page))
    assert "Texten är texten som den arkiverades" not in answers[0]
    assert "texten ändrades" not in answers[0]
    assert answers[0] == answers[1]


def test_a_text_disclosed_in_full_once_but_redacted_for_someone_else_is_not_confirmed(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    disclosure.add_records(request=open_request, items=[thread[2]], by=dana)
    disclosure.disclose(record=open_request.records.get(), by=dana)
    disclosure.decide(request=open_request, by=dana)
    document = json.loads(package.as_json(package.build(open_request)))
    assert "Texten är texten som den arkiverades" in upload(document)
    later = disclosure.register_request(
        by=dana,
        received_at=timezone.now(),
        channel=DisclosureRequest.Channel.EMAIL,
        description="Samma kommentar.",
    )
    disclosure.add_records(request=later, items=[thread[2]], by=dana)
    disclosure.redact(record=later.records.get(), passage=PERSONNUMMER, provision="OSL 26 kap. 1 §", by=dana)
    disclosure.decide(request=later, by=dana)
    assert "Texten är texten som den arkiverades" not in upload(document)


def test_a_disposed_seal_matches_only_its_own_reference(library: Account, dana: User) -> None:
    old = dt.datetime(2023, 3, 1, 9, 0, tzinfo=dt.UTC)
    archive_services.capture(
        [comment(library, f"c-old-{n}", f"Gammal kommentar {n}", published_at=old, parent_platform_id="p")
         for n in range(2)]
    )  # fmt: skip
    first, second = Item.objects.filter(account=library).order_by("object_id")
    request = disclosure.register_request(
        by=dana, received_at=timezone.now(), channel=DisclosureRequest.Channel.EMAIL, description="Gamla."
    )
    disclosure.add_records(request=request, items=[first], by=dana)
    disclosure.disclose(record=request.records.get(), by=dana)
    disclosure.decide(request=request, by=dana)
    record = request.records.get()
    rule = retention.create_rule(
        by=dana,
        name="Kommentarer",
        decision="KS 2024:12 § 4.3",
        account=library,
        kind=Kind.COMMENT,
        keep_months=12,
    )
    retention.dispose(rule=rule, token=retention.preview(rule).token, by=dana)
    assert not Item.objects.filter(pk__in=[first.pk, second.pk]).exists()
    page = post({"reference": record.reference, "seal": record.seal})
    assert "Stämmer" in page and "gallrades" in page
    other = disclosure.reference_for(second.pk, 1)
    assert "Stämmer inte" in post({"reference": other, "seal": record.seal})
    assert "Stämmer inte" in post({"reference": disclosure.reference_for(999999, 1), "seal": record.seal})


def test_a_file_with_too_many_records_is_refused_before_any_check(db: None) -> None:
    records = [{"reference": "SIG-1-1", "seal": "0" * 64}] * (verification.MAX_RECORDS + 1)
    document = {"format": "sigill.disclosure/1", "records": records}
    upload_file = SimpleUploadedFile("paket.json", json.dumps(document).encode(), "application/json")
    response = Client().post(reverse("records_public:verify"), {"package": upload_file})
    assert response.status_code == 422
    assert str(verification.MAX_RECORDS) in response.content.decode()


def test_a_text_disclosed_in_full_only_to_the_person_it_concerns_is_not_confirmed(
    dana: User, thread: list[Item]
) -> None:
    """Greta's access request shows her everything about her; that is not public for anyone else."""
    access = disclosure.register_request(
        by=dana, received_at=timezone.now(), channel="letter", description="Registerutdrag",
        kind=DisclosureRequest.Kind.ACCESS, subject_name="Greta Svensson",
    )  # fmt: skip
    disclosure.add_records(request=access, items=[thread[2]], by=dana)
    disclosure.disclose(record=access.records.get(), by=dana)
    decided = disclosure.decide(request=access, by=dana)
    page = upload(json.loads(package.as_json(package.build(decided))))
    assert "status--active" in page and "Texten är texten som den arkiverades" not in page
