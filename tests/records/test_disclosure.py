"""Disclosure requests: the registrar selects records, reviews each one, and the package shows
what was disclosed — the redacted passages are nowhere in it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sigill.archive.capture import Author
from sigill.archive.models import Item
from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.records import package
from sigill.records.models import DisclosureRequest, RequestedRecord
from sigill.records.services import disclosure, retention
from tests.conftest import signed_in_client
from tests.records.conftest import PERSONNUMMER

Decision = RequestedRecord.Decision


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def reviewed(request: DisclosureRequest, dana: User, thread: list[Item]) -> DisclosureRequest:
    """Every item selected; the personnummer blacked out, one comment withheld, the rest disclosed."""
    disclosure.add_records(request=request, items=thread, by=dana)
    for record in request.records.select_related("item"):
        assert record.item is not None
        object_id = record.item.object_id
        if object_id == "c-2":
            disclosure.redact(record=record, passage=PERSONNUMMER, provision="OSL 26 kap. 1 §", by=dana)
        elif object_id == "c-5":
            disclosure.withhold(record=record, reason="OSL 21 kap. 1 §", by=dana)
        else:
            disclosure.disclose(record=record, by=dana)
    return disclosure.decide(request=request, by=dana, note="Sökt i arkivet på ordet sommarläsning.")


def test_the_package_shows_the_disclosed_records_but_never_the_redacted_number(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    decided = reviewed(open_request, dana, thread)
    built = package.build(decided)

    text = pdf_text(package.as_pdf(built))
    assert PERSONNUMMER not in text and PERSONNUMMER.replace("-", "") not in text
    assert "Mitt barn har personnummer" in text and "OSL 26 kap. 1 §" in text
    for number in (0, 1, 3, 4, 6, 7, 8):
        assert f"Kommentar nummer {number} om" in text
    assert "Kommentar nummer 5" not in text  # withheld: named by reference in the letter only
    assert "kammarrätten" in text  # the letter says how to appeal
    for export in (package.as_csv(built), package.as_json(built)):
        assert PERSONNUMMER not in export
        assert "Kommentar nummer 5" not in export
    records = json.loads(package.as_json(built))["records"]
    assert len(records) == 9 and all(len(r["seal"]) == 64 for r in records)


def test_the_picture_of_a_disclosed_post_is_in_the_pdf(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    decided = reviewed(open_request, dana, thread)
    built = package.build(decided)
    the_post = next(r for r in built.records if r.kind == "Inlägg" or r.files)
    assert the_post.files == ["bild.png"]
    assert all(not r.files for r in built.records if r.provisions)


def test_every_disclosure_and_every_withholding_is_audited(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    reviewed(open_request, dana, thread)
    acts = list(AuditEntry.objects.filter(target_id=str(open_request.pk)).values_list("act", flat=True))
    assert acts.count("records.disclosure.record_disclosed") == 8
    assert acts.count("records.disclosure.record_withheld") == 1
    assert acts.count("records.disclosure.record_redacted") == 1
    assert "records.disclosure.decided" in acts
    redacted = AuditEntry.objects.get(act="records.disclosure.record_redacted")
    assert PERSONNUMMER not in json.dumps(redacted.details)


def test_a_request_cannot_be_decided_while_a_record_is_unreviewed(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    disclosure.add_records(request=open_request, items=thread[:2], by=dana)
    with pytest.raises(ValidationError):
        disclosure.decide(request=open_request, by=dana)
    assert DisclosureRequest.objects.get(pk=open_request.pk).state == DisclosureRequest.State.OPEN


def test_a_passage_not_in_the_text_is_refused_and_nothing_is_saved(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    disclosure.add_records(request=open_request, items=thread[:1], by=dana)
    record = open_request.records.get()
    with pytest.raises(ValidationError):
        disclosure.redact(record=record, passage="finns inte", provision="OSL 26 kap. 1 §", by=dana)
    with pytest.raises(ValidationError):
        disclosure.withhold(record=record, reason=" ", by=dana)
    record.refresh_from_db()
    assert record.decision == Decision.PENDING and not record.redactions.exists()


def test_only_the_registrar_handles_requests(alice: User, erik: User) -> None:
    for person in (alice, erik):
        with pytest.raises(PermissionDenied):
            disclosure.register_request(
                by=person, received_at=timezone.now(), channel="email", description="Allt."
            )


def test_the_list_shows_requests_oldest_first_with_their_age(dana: User) -> None:
    for days in (1, 9, 4):
        disclosure.register_request(
            by=dana,
            received_at=timezone.now() - dt.timedelta(days=days),
            channel="letter",
            description=f"Begäran från för {days} dagar sedan",
        )
    response = signed_in_client(dana).get(reverse("records:requests"))
    body = response.content.decode()
    assert body.index("för 9 dagar") < body.index("för 4 dagar") < body.index("för 1 dagar")
    assert "9 dagar" in body


def test_the_registrar_reviews_and_downloads_through_the_pages(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    client = signed_in_client(dana)
    url = open_request.get_absolute_url()
    found = client.get(url, {"q": "sommarläsningen"})
    assert found.status_code == 200 and "Kommentar nummer 4" in found.content.decode()
    client.post(reverse("records:request_add", args=[open_request.pk]), {"item": [i.pk for i in thread]})
    records = {r.item.object_id: r for r in open_request.records.select_related("item") if r.item}
    review = reverse("records:record_review", args=[open_request.pk, records["c-2"].pk])
    refused = client.post(review, {"action": "redact", "passage": "", "provision": ""})
    assert refused.status_code == 422
    client.post(review, {"action": "redact", "passage": PERSONNUMMER, "provision": "OSL 26 kap. 1 §"})
    page = client.get(url).content.decode()
    assert PERSONNUMMER not in page.split('id="find-heading"')[0]
    for object_id, record in records.items():
        if object_id != "c-2":
            client.post(
                reverse("records:record_review", args=[open_request.pk, record.pk]), {"action": "disclose"}
            )
    client.post(reverse("records:request_decide", args=[open_request.pk]), {"note": ""})
    response = client.get(reverse("records:package", args=[open_request.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert PERSONNUMMER not in pdf_text(response.content)
    assert AuditEntry.objects.filter(act="records.disclosure.package_downloaded").count() == 1


def test_an_access_request_selects_everything_the_person_wrote_or_is_named_in(
    dana: User, library: Any, streets: Any
) -> None:
    from sigill.archive import services as archive_services
    from tests.archive.conftest import comment, post

    archive_services.capture(
        [
            comment(library, "c-1", "Bra initiativ!"),  # written by Greta Svensson
            comment(streets, "s-1", "Gatan är oplogad.", parent_platform_id="x"),  # also Greta, elsewhere
            post(library, "p-9", "Grattis till Greta Svensson som vann tävlingen!"),
            comment(library, "c-2", "Någon annan", author=Author(display_name="Johan Nilsson")),
        ]
    )
    request = disclosure.register_request(
        by=dana, received_at=timezone.now(), channel="letter", description="Registerutdrag",
        kind=DisclosureRequest.Kind.ACCESS, subject_name="Greta Svensson",
    )  # fmt: skip
    response = signed_in_client(dana).post(reverse("records:request_add", args=[request.pk]), {"person": "1"})
    assert response.status_code == 302
    selected = set(request.records.values_list("item__object_id", flat=True))
    assert selected == {"c-1", "s-1", "p-9"}


@pytest.fixture
def reply_thread(library: Any) -> dict[str, Item]:
    """The library's post, Greta's comment on it (29 February), and Hugo's reply to Greta."""
    from sigill.archive import services as archive_services
    from tests.archive.conftest import comment, post

    archive_services.capture(
        [
            post(library, "p-1", "Läsutmaning i sommar!", published_at=dt.datetime(2024, 2, 28, 9, tzinfo=dt.UTC)),
            comment(library, "c-1", "Kul!", parent_platform_id="p-1",
                    published_at=dt.datetime(2024, 2, 29, 13, 37, tzinfo=dt.UTC)),
            comment(library, "r-1", "Håller med Greta.", parent_platform_id="c-1",
                    published_at=dt.datetime(2024, 3, 1, 8, tzinfo=dt.UTC),
                    author=Author(platform_id="u-88", display_name="Hugo Berg", handle="hugo.b")),
        ]
    )  # fmt: skip
    return {item.object_id: item for item in Item.objects.filter(account=library)}


def decided_reply(
    request: DisclosureRequest, dana: User, thread: dict[str, Item], *, greta: str
) -> tuple[DisclosureRequest, str]:
    """Hugo's reply disclosed; Greta's comment withheld or (``greta="disclose"``) disclosed too."""
    disclosure.add_records(request=request, items=[thread["r-1"], thread["c-1"]], by=dana)
    for record in request.records.select_related("item"):
        assert record.item is not None
        if record.item.object_id == "c-1" and greta == "withhold":
            disclosure.withhold(record=record, reason="OSL 21 kap. 7 §", by=dana)
        else:
            disclosure.disclose(record=record, by=dana)
    decided = disclosure.decide(request=request, by=dana)
    return decided, decided.records.get(item=thread["c-1"]).reference


def test_the_thread_context_says_nothing_about_a_withheld_or_unselected_parent(
    open_request: DisclosureRequest, dana: User, reply_thread: dict[str, Item]
) -> None:
    decided, _greta = decided_reply(open_request, dana, reply_thread, greta="withhold")
    built = package.build(decided)
    pdf = pdf_text(package.as_pdf(built))
    assert "Håller med Greta." in pdf
    assert "Greta Svensson" not in pdf and "greta.s" not in pdf and "2024-02-29" not in pdf
    assert "Kul!" not in pdf
    assert pdf.count("Ett tidigare inlägg som inte ingår i utlämnandet") == 2  # Greta's comment and the post
    document = json.loads(package.as_json(built))
    assert document["records"][0]["in_reply_to"] == [None, None]
    assert "Greta Svensson" not in json.dumps(document) and "2024-02-29" not in json.dumps(document)
    csv_text = package.as_csv(built)
    assert "Greta Svensson" not in csv_text and "2024-02-29" not in csv_text
    assert "tidigare inlägg, inte utlämnat; tidigare inlägg, inte utlämnat" in csv_text


def test_the_thread_context_shows_a_parent_disclosed_in_the_same_package(
    open_request: DisclosureRequest, dana: User, reply_thread: dict[str, Item]
) -> None:
    decided, greta = decided_reply(open_request, dana, reply_thread, greta="disclose")
    built = package.build(decided)
    reply = next(record for record in built.records if record.author.startswith("Hugo"))
    assert not reply.context[0].disclosed  # the post, root first
    assert reply.context[1].reference == greta and reply.context[1].author == "Greta Svensson (greta.s)"
    pdf = pdf_text(package.as_pdf(built))
    assert f"{greta} · Kommentar · Greta Svensson" in pdf
    document = json.loads(package.as_json(built))
    hugo = next(r for r in document["records"] if r["author"].startswith("Hugo"))
    assert hugo["in_reply_to"] == [None, greta]
    assert f"tidigare inlägg, inte utlämnat; {greta}" in package.as_csv(built)


def test_no_csv_cell_can_start_a_spreadsheet_formula(
    open_request: DisclosureRequest, dana: User, library: Any
) -> None:
    from sigill.archive import services as archive_services
    from sigill.archive.capture import CapturedFile
    from tests.archive.conftest import comment

    hostile = CapturedFile(
        name='=HYPERLINK("http://evil.example").png', content_type="image/png", content=b"x"
    )
    archive_services.capture(
        [comment(library, "c-x", " =1+1", attachments=(hostile,),
                 author=Author(platform_id="u-66", display_name="@SUM(A1)", handle="-2+3"))]
    )  # fmt: skip
    disclosure.add_records(request=open_request, items=Item.objects.filter(object_id="c-x"), by=dana)
    disclosure.disclose(record=open_request.records.get(), by=dana)
    decided = disclosure.decide(request=open_request, by=dana)
    rows = list(csv.reader(io.StringIO(package.as_csv(package.build(decided)))))
    for cell in rows[1]:
        assert cell.lstrip()[:1] not in ("=", "+", "-", "@"), cell
    assert (
        rows[1][6] == "'@SUM(A1) (-2+3)" and rows[1][11] == "' =1+1" and rows[1][13].startswith("'=HYPERLINK")
    )


def test_selecting_by_person_is_refused_on_a_request_that_names_nobody(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    """An empty name would find the whole archive: an ordinary request cannot select by person."""
    client = signed_in_client(dana)
    response = client.post(
        reverse("records:request_add", args=[open_request.pk]), {"person": "1"}, follow=True
    )
    assert open_request.records.count() == 0
    assert "Bara en begäran om registerutdrag som namnger personen" in response.content.decode()


def test_the_registrar_is_told_when_the_selection_by_person_was_cut_off(
    dana: User, thread: list[Item], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sigill.records import selectors

    monkeypatch.setattr(selectors, "PERSON_LIMIT", 3)
    request = disclosure.register_request(
        by=dana, received_at=timezone.now(), channel="letter", description="Registerutdrag",
        kind=DisclosureRequest.Kind.ACCESS, subject_name="Greta Svensson",
    )  # fmt: skip
    response = signed_in_client(dana).post(
        reverse("records:request_add", args=[request.pk]), {"person": "1"}, follow=True
    )
    assert request.records.count() == 3
    assert "fler än 3" in response.content.decode()


def access_letter(dana: User, thread: list[Item]) -> str:
    retention.create_rule(
        by=dana, name="Kommentarer på biblioteket", decision="Dokumenthanteringsplan KS 2024:12 § 4.3",
        account=thread[0].account, kind="comment", keep_months=24,
    )  # fmt: skip
    request = disclosure.register_request(
        by=dana, received_at=timezone.now(), channel="letter", description="Registerutdrag",
        kind=DisclosureRequest.Kind.ACCESS, subject_name="Greta Svensson",
    )  # fmt: skip
    disclosure.add_records(request=request, items=thread[:2], by=dana)
    first, second = request.records.all()
    disclosure.disclose(record=first, by=dana)
    disclosure.withhold(record=second, reason="OSL 21 kap. 1 §", by=dana)
    return pdf_text(package.as_letter_pdf(package.build(disclosure.decide(request=request, by=dana))))


def test_an_access_request_letter_gives_the_information_article_15_asks_for(
    dana: User, thread: list[Item]
) -> None:
    letter = " ".join(access_letter(dana, thread).split())
    for expected in (
        "Ändamål", "Mottagare", "Kommentarer på biblioteket: sparas i 24 månader", "KS 2024:12 § 4.3",
        "rättade (artikel 16)", "Integritetsskyddsmyndigheten", "www.imy.se",
    ):  # fmt: skip
        assert expected in letter, expected
    assert "förvaltningsrätten" in letter and "7 kap. 2 § dataskyddslagen" in letter
    assert "kammarrätten" not in letter


def test_a_public_records_letter_appeals_to_kammarratten_without_the_gdpr_information(
    open_request: DisclosureRequest, dana: User, thread: list[Item]
) -> None:
    decided = reviewed(open_request, dana, thread)
    letter = " ".join(pdf_text(package.as_letter_pdf(package.build(decided))).split())
    assert "kammarrätten" in letter and "förvaltningsrätten" not in letter
    assert "Integritetsskyddsmyndigheten" not in letter
