"""TikTok's "Download your data": posts keep their ids across downloads, messages are threaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sigill.archive.capture import Direction, Kind
from sigill.archive.models import Item
from sigill.connectors.exports.importing import import_export
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import archived, latest_text
from tests.connectors.exportfiles import export_account, write


@pytest.fixture
def tiktok(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return export_account("tiktok", "tiktok.com/@varakommun", alice=alice, erik=erik, bob=bob, units=units)


def download_link(video: str, signature: str) -> str:
    """A current download's link to a video: a signed, expiring CDN address without the video id
    (the real ones run from about 580 to 1,740 characters)."""
    query = "&".join(f"p{n}={signature * 3}{n}" for n in range(24))
    return f"https://v16m-default.tiktokcdn.com/{signature}/6751a0f2/video/tos/useast2a/tos-useast2a-ve-0068c001/{video}/?{query}"


def user_data(signature: str) -> dict[str, Any]:
    """One download of the same account; ``signature`` is what changes from one download to the next."""
    return {
        "Post": {
            "Posts": {
                "VideoList": [
                    {
                        "Date": "2025-06-12 15:02:19",
                        "Link": download_link("oAfQ2Ez1", signature),
                        "Likes": "1203",
                        "Title": "Så sorterar du rätt på ÅVC ♻️ #återvinning",
                        "Location": "N/A",
                        "AIGeneratedContent": "No",
                    },
                    {
                        "Date": "2025-05-30 10:44:00",
                        "Link": download_link("oYbK9Lm2", signature),
                        "Likes": "688",
                        "Title": "",
                    },
                ]
            },
            "Recently Deleted Posts": {"PostList": None},
        },
        "Comment": {
            "Comments": {
                "CommentsList": [
                    {
                        "date": "2025-06-12 16:10:44",
                        "comment": "Tack för frågan! ÅVC har öppet 7–19 på tisdagar 🙌",
                        "photo": "N/A",
                        "url": "",
                        "originalPostUrl": download_link("oAfQ2Ez1", signature),
                    }
                ]
            }
        },
        "Direct Message": {
            "Direct Messages": {
                "ChatHistory": {
                    "Chat History with elsa.i.kvanum:": [
                        {
                            "Date": "2025-06-12 17:30:02",
                            "From": "elsa.i.kvanum",
                            "Content": "Var lämnar man gamla mobiler?",
                        },
                        {
                            "Date": "2025-06-13 06:05:40",
                            "From": "varakommun",
                            "Content": "Hej Elsa! På ÅVC, ingång B.",
                        },
                    ],
                    "Chat History with noah_s:": None,
                }
            }
        },
    }


def download(folder: Path, signature: str) -> Path:
    write(folder, "user_data_tiktok.json", json.dumps(user_data(signature), ensure_ascii=False, indent=2))
    return folder


def test_a_new_download_of_the_same_account_adds_no_item(
    tiktok: Account, alice: User, tmp_path: Path
) -> None:
    first = import_export(account=tiktok, location=download(tmp_path / "juni", "a1b2c3d4e5f6"), by=alice)
    second = import_export(account=tiktok, location=download(tmp_path / "juli", "f9e8d7c6b5a4"), by=alice)
    assert len(download_link("oAfQ2Ez1", "a1b2c3d4e5f6")) > 1000, "as long as the real links"
    assert first.items == 5 and (second.items, second.versions) == (0, 0)
    posts = Item.objects.filter(account=tiktok, kind=Kind.POST)
    assert posts.count() == 2 and all(len(post.object_id) < 100 and post.url == "" for post in posts)
    assert {latest_text(post) for post in posts} == {"Så sorterar du rätt på ÅVC ♻️ #återvinning", ""}


def test_a_share_link_with_a_video_id_keeps_that_id(tiktok: Account, alice: User, tmp_path: Path) -> None:
    data = user_data("a1b2c3d4e5f6")
    data["Post"]["Posts"]["VideoList"][0]["Link"] = "https://www.tiktokv.com/share/video/7515029384756102938/"
    write(tmp_path, "user_data.json", json.dumps(data))
    import_export(account=tiktok, location=tmp_path, by=alice)
    assert (
        archived(tiktok)["7515029384756102938"].url
        == "https://www.tiktokv.com/share/video/7515029384756102938/"
    )


def test_direct_messages_are_threaded_by_chat_and_sent_ones_are_drawn_up(
    tiktok: Account, alice: User, tmp_path: Path
) -> None:
    import_export(account=tiktok, location=download(tmp_path, "a1b2c3d4e5f6"), by=alice)
    messages = {latest_text(m): m for m in Item.objects.filter(account=tiktok, kind=Kind.MESSAGE)}
    asked, answered = messages["Var lämnar man gamla mobiler?"], messages["Hej Elsa! På ÅVC, ingång B."]
    assert asked.direction == Direction.RECEIVED and answered.direction == Direction.DRAWN_UP
    conversations = {m.versions.get().metadata["conversation"] for m in (asked, answered)}
    assert conversations == {"tiktok-chat:elsa.i.kvanum"}
