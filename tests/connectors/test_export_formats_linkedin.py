"""LinkedIn's member export as it really is: unquoted multi-line messages, both quote escapes, older
headers, several images per share, messages, and files cut off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from sigill.archive.capture import Direction, Kind
from sigill.archive.models import Item, ItemVersion
from sigill.connectors.exports.importing import import_export
from sigill.connectors.exports.source import ExportRefused
from sigill.connectors.models import CaptureRun
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import archived, latest_text
from tests.connectors.exportfiles import export_account, write

LINK = "https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A7341"
# Comments.csv as LinkedIn writes it: a short message unquoted, a message with a comma quoted, a
# multi-line message left unquoted (its second line looks like nothing), quotes escaped as \".
COMMENTS = (
    "Date,Link,Message\n"
    f"2025-06-16 03:28:40,{LINK}001,Tack Anna! Vi ses på torget\n"
    f'2025-06-15 22:46:15,{LINK}002,"Grattis, Heather!"\n'
    f"2025-04-05 21:22:41,{LINK}003,Ni är för förtjusta i gratis saker. Lol\n"
    "Men den här är jag med på\n"
    "\n"
    f'2025-04-01 09:04:13,{LINK}004,"Vi skrev till dem: \\"Utmana våra antaganden\\".\n'
    "\n"
    'Bra poäng om återkopplingen."\n'
)
# Shares.csv in the older header spelling, CRLF line ends, the broken multi-line quoting, and one
# share with three images: three rows with the same ShareLink.
SHARE = "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A68104862567540"
SHARES = (
    "Date,ShareLink,ShareCommentary,SharedURL,MediaURL,Visibility\r\n"
    f'2021-06-15 08:40:56,{SHARE}36,"Vi har gjort en analys av cyklandet i Vara.""\r\n""""\r\n""Läs mer på vara.se!",,,MEMBER_NETWORK\r\n'
    f"2020-07-23 02:21:46,{SHARE}37,,https://vara.se/cykel,https://vara.se/bild%203.png,MEMBER_NETWORK\r\n"
    f"2020-07-23 02:21:46,{SHARE}37,,https://vara.se/cykel,https://vara.se/bild%204.png,MEMBER_NETWORK\r\n"
    f"2020-07-23 02:21:46,{SHARE}37,,https://vara.se/cykel,https://vara.se/bild%202.png,MEMBER_NETWORK\r\n"
)
MESSAGES = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
    "2-MTk1N2FiMzc=,,Disha M,https://www.linkedin.com/in/disha-m,Vara kommun,2021-06-15 14:51:26 UTC,,"
    '"Hej!  Jag söker jobb inom data, har ni något?",INBOX\n'
    "2-MTk1N2FiMzc=,,Vara kommun,https://www.linkedin.com/in/vara-kommun,Disha M,2021-06-15 15:45:19 UTC,,"
    '"Hej Disha, se vara.se/jobb.",INBOX\n'
    "2-YjM4MTQ5MTM=,,Vara kommun,https://www.linkedin.com/in/vara-kommun,Chidi O,2021-06-14 19:31:38 UTC,,"
    "Välkommen till nätverket,INBOX\n"
)


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The refusals' wording is checked in English here; the pages show them in Swedish."""
    with translation.override("en"):
        yield


@pytest.fixture
def linkedin(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return export_account(
        "linkedin", "linkedin.com/company/vara-kommun", alice=alice, erik=erik, bob=bob, units=units
    )


def test_comments_with_unquoted_multi_line_messages_are_read_whole(
    linkedin: Account, alice: User, tmp_path: Path
) -> None:
    write(tmp_path, "Comments.csv", COMMENTS)
    run = import_export(account=linkedin, location=tmp_path, by=alice)
    assert run.outcome == CaptureRun.Outcome.SUCCEEDED and run.items == 4 and run.details["skipped"] == []
    texts = sorted(latest_text(item) for item in Item.objects.filter(account=linkedin))
    assert texts == [
        "Grattis, Heather!",
        "Ni är för förtjusta i gratis saker. Lol\nMen den här är jag med på",
        "Tack Anna! Vi ses på torget",
        'Vi skrev till dem: "Utmana våra antaganden".\n\nBra poäng om återkopplingen.',
    ]
    assert {item.parent_object_id for item in Item.objects.filter(account=linkedin)} >= {
        "urn:li:activity:7341001"
    }


def test_older_headers_crlf_and_a_share_with_several_images(
    linkedin: Account, alice: User, tmp_path: Path
) -> None:
    write(tmp_path, "Shares.csv", SHARES)
    run = import_export(account=linkedin, location=tmp_path, by=alice)
    assert run.details["found"] == {Kind.POST: 2}
    items = archived(linkedin)
    text = latest_text(items["urn:li:share:6810486256754036"])
    assert text == "Vi har gjort en analys av cyklandet i Vara.\n\nLäs mer på vara.se!"
    pictures = items["urn:li:share:6810486256754037"].versions.get().metadata
    assert pictures["MediaUrl"] == [
        "https://vara.se/bild%203.png",
        "https://vara.se/bild%204.png",
        "https://vara.se/bild%202.png",
    ]
    assert pictures["SharedUrl"] == "https://vara.se/cykel" and pictures["Visibility"] == "MEMBER_NETWORK"


@pytest.mark.parametrize("cut_at", [0.3, 0.5, 0.8, -1])
def test_a_shares_file_cut_off_is_refused_and_the_whole_file_later_records_no_edit(
    linkedin: Account, alice: User, tmp_path: Path, cut_at: float
) -> None:
    whole = SHARES.encode()
    cut = whole[: int(len(whole) * cut_at)] if cut_at > 0 else whole[:-2]
    write(tmp_path / "cut", "Shares.csv", cut)
    with pytest.raises(ExportRefused, match=r"Shares.csv: the file is cut off at line \d+"):
        import_export(account=linkedin, location=tmp_path / "cut", by=alice)
    assert not Item.objects.filter(account=linkedin).exists()
    write(tmp_path / "whole", "Shares.csv", whole)
    import_export(account=linkedin, location=tmp_path / "whole", by=alice)
    assert ItemVersion.objects.filter(item__account=linkedin).count() == 2, "one version each: no false edit"


def test_a_row_that_is_no_record_is_skipped_and_named_in_the_report(
    linkedin: Account, alice: User, tmp_path: Path
) -> None:
    write(tmp_path, "Comments.csv", 'Date,Link,Message\n"inte ett datum",x,y\n' + COMMENTS.split("\n", 1)[1])
    run = import_export(account=linkedin, location=tmp_path, by=alice)
    assert run.items == 4
    assert run.details["skipped"] == [
        {"reason": "a row without a date", "count": 1, "where": ["Comments.csv: line 2"]}
    ]


def test_messages_are_threaded_and_the_account_is_the_one_in_every_conversation(
    linkedin: Account, alice: User, tmp_path: Path
) -> None:
    write(tmp_path, "messages.csv", MESSAGES)
    import_export(account=linkedin, location=tmp_path, by=alice)
    messages = {latest_text(m): m for m in Item.objects.filter(account=linkedin, kind=Kind.MESSAGE)}
    question = messages["Hej!  Jag söker jobb inom data, har ni något?"]
    assert question.direction == Direction.RECEIVED and question.author_name == "Disha M"
    assert messages["Hej Disha, se vara.se/jobb."].direction == Direction.DRAWN_UP
    assert messages["Välkommen till nätverket"].direction == Direction.DRAWN_UP
    assert question.versions.get().metadata["conversation"] == "2-MTk1N2FiMzc="
