"""LinkedIn's member data export: ``Shares.csv``, ``Comments.csv`` and ``messages.csv``, in every
header spelling seen (``SharedUrl``/``SharedURL``, ``MediaUrl``/``MediaURL``), read with
:mod:`.csvrecords` (unquoted multi-line messages, both quote escapes, cut-off files refused).

A share with several images is several consecutive rows with the same ``ShareLink``: one post with
every image. Dates have no zone and are read as UTC (messages end in " UTC").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import groupby
from urllib.parse import unquote

from django.utils.translation import gettext_noop

from sigill.archive.capture import Author, Kind
from sigill.connectors.base import naive_utc
from sigill.connectors.exports.formats.common import Found, Skipped, derived_id, drawn_up, message
from sigill.connectors.exports.formats.csvrecords import Record, records
from sigill.connectors.exports.source import ExportSource, Member


def _when(value: str) -> str:
    return value.strip().removesuffix(" UTC").strip()


def _urn(link: str) -> str:
    return unquote(link.rsplit("/update/", 1)[-1]).strip("/") if "/update/" in link else ""


def _share_text(raw: str) -> str:
    """The export wraps every line after the first of a multi-line text in doubled quotes."""
    return raw.replace("\r\n", "\n").replace('"\n"', "\n") if "\r\n" in raw else raw.replace('"\n"', "\n")


def linkedin_shares(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    header, found = records(source, member, free_text="sharecommentary")
    rows = (_row(header, record) for record in found)
    for (link, _date), group in groupby(
        rows, key=lambda row: (row["sharelink"] or f"#{row['#']}", row["date"])
    ):
        same = list(group)
        first = same[0]
        if not _valid_date(first["date"]):
            yield Skipped(gettext_noop("a row without a date"), f"{member.path}: line {first['#']}")
            continue
        text = _share_text(first["sharecommentary"])
        urn = _urn(first["sharelink"])
        media = [row["mediaurl"] for row in same if row["mediaurl"]]
        shared = list(dict.fromkeys(row["sharedurl"] for row in same if row["sharedurl"]))
        metadata: dict[str, str | list[str]] = (
            {"Visibility": first["visibility"]} if first["visibility"] else {}
        )
        if media:
            metadata["MediaUrl"] = media[0] if len(media) == 1 else media
        if shared:
            metadata["SharedUrl"] = shared[0] if len(shared) == 1 else shared
        yield drawn_up(
            account_id,
            platform_id=urn or derived_id("li-export-share", first["date"], text),
            kind=Kind.POST,
            published_at=naive_utc(_when(first["date"])),
            text=text,
            url=first["sharelink"] if link.startswith("http") else "",
            metadata=metadata,
        )


def _row(header: list[str], record: Record) -> dict[str, str]:
    # Header names are lower-cased: the older SharedURL and MediaURL read like SharedUrl and MediaUrl.
    row = dict(zip(header, record.fields, strict=False))
    for name in (
        "date",
        "sharelink",
        "sharecommentary",
        "sharedurl",
        "mediaurl",
        "visibility",
        "link",
        "message",
    ):
        row.setdefault(name, "")
    row["#"] = str(record.line)
    return row


def _valid_date(value: str) -> bool:
    try:
        naive_utc(_when(value))
    except ValueError:
        return False
    return True


def linkedin_comments(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    header, found = records(source, member, free_text="message")
    for record in found:
        row = _row(header, record)
        if not _valid_date(row["date"]):
            yield Skipped(gettext_noop("a row without a date"), f"{member.path}: line {record.line}")
            continue
        text, link = _share_text(row["message"]), row["link"]
        yield drawn_up(
            account_id,
            platform_id=derived_id("li-export-comment", row["date"], text, link),
            kind=Kind.COMMENT,
            published_at=naive_utc(_when(row["date"])),
            text=text,
            parent_platform_id=_urn(link),
            url=link,
        )


def _owner(source: ExportSource, member: Member) -> str:
    """The account's own profile address: the one taking part in the most conversations."""
    header, found = records(source, member, free_text="content")
    seen: Counter[str] = Counter()
    rows = (dict(zip(header, r.fields, strict=False)) for r in found)
    for _conversation, conversation in groupby(rows, key=lambda row: row.get("conversation id", "")):
        people = set()
        for row in conversation:
            people.add(row.get("sender profile url", ""))
            people.update(u.strip() for u in row.get("recipient profile urls", "").split(",") if u.strip())
        seen.update(people - {""})
    return seen.most_common(1)[0][0] if seen else ""


def linkedin_messages(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    """Every message of every conversation; the account is the person in the most conversations."""
    owner = _owner(source, member)
    header, found = records(source, member, free_text="content")
    for record in found:
        row = dict(zip(header, record.fields, strict=False))
        date = _when(row.get("date", ""))
        if not _valid_date(date) or not row.get("conversation id"):
            yield Skipped(gettext_noop("a row without a date"), f"{member.path}: line {record.line}")
            continue
        sender = row.get("sender profile url", "")
        yield message(
            account_id,
            conversation=row["conversation id"],
            sent_by_account=bool(owner) and sender == owner,
            platform_id=derived_id(
                "li-export-message", row["conversation id"], date, sender, row.get("content", "")
            ),
            published_at=naive_utc(date),
            text=row.get("content", ""),
            author=Author(display_name=row.get("from", ""), handle=sender),
            metadata={
                "subject": row.get("subject", ""),
                "to": row.get("to", ""),
                "folder": row.get("folder", ""),
                "title": row.get("conversation title", ""),
            },
        )
