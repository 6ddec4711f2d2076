"""X's archive beyond tweets.js: long posts' full text, deleted posts, direct messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sigill.archive.capture import Direction, Kind
from sigill.archive.models import Item, ItemFact
from sigill.connectors.exports.importing import import_export
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import JPEG, archived, latest_text
from tests.connectors.exportfiles import export_account, write

ACCOUNT_ID = "1488123456789012345"


def ytd(name: str, entries: list[dict[str, Any]]) -> str:
    """A file as the archive writes it: ``window.YTD.<name>.part0 = [ … ]`` with ``"key" : value``."""
    return f"window.YTD.{name}.part0 = " + json.dumps(entries, indent=2, ensure_ascii=False).replace(
        '": ', '" : '
    )


def tweet(tweet_id: str, text: str, created_at: str, **more: Any) -> dict[str, Any]:
    return {
        "tweet": {
            "id_str": tweet_id,
            "id": tweet_id,
            "full_text": text,
            "created_at": created_at,
            "favorite_count": "0",
            "retweet_count": "0",
            "entities": {"hashtags": [], "user_mentions": [], "urls": []},
            **more,
        }
    }


LONG = (
    "Budgeten för 2026 är klar. Här är det viktigaste för dig som bor i Vara: skolan får 12 miljoner "
    "mer, biblioteket öppnar på söndagar och cykelvägen till Kvänum byggs färdigt under våren. "
    "Läs hela budgeten på vara.se/budget &amp; säg vad du tycker!"
)


@pytest.fixture
def x_account(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return export_account("x", "x.com/varakommun", alice=alice, erik=erik, bob=bob, units=units)


def archive(folder: Path) -> Path:
    data = folder / "data"
    write(
        data, "account.js", ytd("account", [{"account": {"accountId": ACCOUNT_ID, "username": "varakommun"}}])
    )
    write(
        data,
        "tweets.js",
        ytd(
            "tweets",
            [
                tweet(
                    "1935000000000000001",
                    LONG[:270] + "… https://t.co/AbC123",
                    "Tue Jan 14 05:50:00 +0000 2025",
                ),
                tweet(
                    "1935000000000000002", "Kort och gott: snön är plogad.", "Tue Jan 14 06:00:00 +0000 2025"
                ),
            ],
        ),
    )
    write(
        data,
        "note-tweet.js",
        ytd(
            "note_tweet",
            [
                {
                    "noteTweet": {
                        "noteTweetId": "1879000000000000001",
                        "createdAt": "2025-01-14T05:50:00.000Z",
                        "updatedAt": "2025-01-14T05:50:00.000Z",
                        "core": {
                            "styletags": [],
                            "urls": [],
                            "text": LONG,
                            "mentions": [],
                            "cashtags": [],
                            "hashtags": [],
                        },
                    }
                },
                {
                    "noteTweet": {
                        "noteTweetId": "1879000000000000002",
                        "createdAt": "2025-01-20T08:00:00.000Z",
                        "core": {"text": "En lång text vars inlägg inte finns i arkivet."},
                    }
                },
            ],
        ),
    )
    write(
        data,
        "deleted-tweets.js",
        ytd(
            "deleted_tweets",
            [
                tweet(
                    "1935000000000000003",
                    "Fel datum för tömningen, rättat inlägg kommer.",
                    "Wed Jan 15 07:00:00 +0000 2025",
                    deleted_at="Wed Jan 15 07:05:00 +0000 2025",
                )
            ],
        ),
    )
    write(
        data,
        "direct-messages.js",
        ytd(
            "direct_messages",
            [
                {
                    "dmConversation": {
                        "conversationId": f"987654321-{ACCOUNT_ID}",
                        "messages": [
                            {
                                "messageCreate": {
                                    "recipientId": "987654321",
                                    "reactions": [],
                                    "urls": [],
                                    "text": "Hej! Soptömningen sker på torsdag.",
                                    "mediaUrls": [],
                                    "senderId": ACCOUNT_ID,
                                    "id": "1880000000000000002",
                                    "createdAt": "2025-01-16T09:10:00.000Z",
                                }
                            },
                            {
                                "messageCreate": {
                                    "recipientId": ACCOUNT_ID,
                                    "reactions": [],
                                    "urls": [],
                                    "text": "När töms soporna på Storgatan? &lt;3",
                                    "mediaUrls": [
                                        "https://ton.twitter.com/dm/1880000000000000001/1880000000000000001/abc.jpg"
                                    ],
                                    "senderId": "987654321",
                                    "id": "1880000000000000001",
                                    "createdAt": "2025-01-16T09:00:00.000Z",
                                }
                            },
                            {
                                "joinConversation": {
                                    "initiatingUserId": "987654321",
                                    "createdAt": "2025-01-16T08:59:00.000Z",
                                }
                            },
                        ],
                    }
                }
            ],
        ),
    )
    write(data, "direct_messages_media/1880000000000000001-abc.jpg", JPEG)
    return folder


def test_a_long_post_has_its_full_text_from_note_tweet_js(
    x_account: Account, alice: User, tmp_path: Path
) -> None:
    run = import_export(account=x_account, location=archive(tmp_path), by=alice)
    items = archived(x_account)
    assert latest_text(items["1935000000000000001"]) == LONG.replace("&amp;", "&")
    assert latest_text(items["note-1879000000000000002"]) == "En lång text vars inlägg inte finns i arkivet."
    assert run.details["found"][Kind.POST] == 4


def test_a_deleted_post_is_kept_with_its_removal_recorded(
    x_account: Account, alice: User, tmp_path: Path
) -> None:
    import_export(account=x_account, location=archive(tmp_path), by=alice)
    deleted = archived(x_account)["1935000000000000003"]
    assert latest_text(deleted) == "Fel datum för tömningen, rättat inlägg kommer."
    assert ItemFact.objects.filter(item=deleted, fact=ItemFact.Fact.REMOVED_ON_PLATFORM).exists()


def test_direct_messages_are_received_or_drawn_up_by_who_sent_them(
    x_account: Account, alice: User, tmp_path: Path
) -> None:
    import_export(account=x_account, location=archive(tmp_path), by=alice)
    messages = {m.object_id: m for m in Item.objects.filter(account=x_account, kind=Kind.MESSAGE)}
    question, answer = messages["dm-1880000000000000001"], messages["dm-1880000000000000002"]
    assert question.direction == Direction.RECEIVED and answer.direction == Direction.DRAWN_UP
    assert latest_text(question) == "När töms soporna på Storgatan? <3"
    assert question.versions.get().attachments.count() == 1
    assert {m.versions.get().metadata["conversation"] for m in messages.values()} == {
        f"987654321-{ACCOUNT_ID}"
    }
    again = import_export(account=x_account, location=tmp_path, by=alice)
    assert (again.items, again.versions) == (0, 0)
