"""Meta's downloads: Facebook posts of every kind, Instagram comments under every key, reels and
stories, and Threads' own export; every string mojibake as Meta writes it."""

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
from tests.connectors.conftest import JPEG, latest_text
from tests.connectors.exportfiles import export_account, mojibake, skipped_places, write


def meta_json(value: Any) -> str:
    """JSON as Meta writes it: every string mojibake, then escaped to ASCII."""

    def spoil(v: Any) -> Any:
        if isinstance(v, str):
            return mojibake(v)
        if isinstance(v, list):
            return [spoil(x) for x in v]
        if isinstance(v, dict):
            return {spoil(k): spoil(x) for k, x in v.items()}
        return v

    return json.dumps(spoil(value), indent=2)


def account(platform: str, people: dict[str, Any]) -> Account:
    return export_account(platform, f"{platform}.com/varakommun", **people)


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


FACEBOOK_POSTS = [
    {"timestamp": 1741950000, "data": [{"post": "Snöröjningen är i full gång ❄️"}], "title": "Vara kommun"},
    {
        "timestamp": 1741940000,
        "attachments": [{"data": [{"external_context": {"url": "https://vara.se/snow"}}]}],
        "data": [{"update_timestamp": 1741940001}],
    },
    {
        "timestamp": 1741930000,
        "attachments": [
            {
                "data": [
                    {
                        "media": {
                            "uri": "your_facebook_activity/posts/media/plog_1.jpg",
                            "creation_timestamp": 1741930000,
                        }
                    },
                    {
                        "media": {
                            "uri": "your_facebook_activity/posts/media/plog_2.jpg",
                            "creation_timestamp": 1741930000,
                        }
                    },
                ]
            }
        ],
        "data": [],
    },
    {
        "timestamp": 1741920000,
        "attachments": [{"data": [{"place": {"name": "Vara torg", "coordinate": {"latitude": 58.26}}}]}],
    },
    {"timestamp": 1741910000, "data": [{"update_timestamp": 1741910001}]},
]


def test_facebook_link_shares_photo_posts_and_check_ins_without_text_are_kept(
    people: dict[str, Any], tmp_path: Path
) -> None:
    page = account("facebook", people)
    folder = tmp_path / "export/your_facebook_activity/posts"
    write(folder, "your_posts__check_ins__photos_and_videos_1.json", meta_json(FACEBOOK_POSTS))
    write(folder, "media/plog_1.jpg", JPEG)  # the second photo is not in this download
    run = import_export(account=page, location=tmp_path / "export", by=people["alice"])
    assert run.details["found"] == {Kind.POST: 4}
    posts = {item.published_at.timestamp(): item for item in Item.objects.filter(account=page)}
    link_share = posts[1741940000].versions.get()
    assert link_share.text == "" and link_share.metadata["links"] == ["https://vara.se/snow"]
    photos = posts[1741930000].versions.get()
    assert photos.attachments.count() == 1
    assert photos.metadata["missing_files"] == ["your_facebook_activity/posts/media/plog_2.jpg"]
    assert posts[1741920000].versions.get().metadata["places"] == ["Vara torg"]
    assert latest_text(posts[1741950000]) == "Snöröjningen är i full gång ❄️"
    places = skipped_places(run)
    assert places == {
        "an entry with nothing in it (no text, files, link or place)": [
            "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json: #5"
        ]
    }


def test_instagram_reels_and_story_comments_are_read_under_their_own_keys(
    people: dict[str, Any], tmp_path: Path
) -> None:
    insta = account("instagram", people)
    comments = tmp_path / "export/your_instagram_activity/comments"

    def entry(text: str, moment: int, time_label: str = "Time") -> dict[str, Any]:
        return {
            "string_map_data": {
                "Comment": {"value": text},
                "Media Owner": {"value": "vastgotabladet"},
                time_label: {"timestamp": moment},
            }
        }

    write(comments, "post_comments_1.json", meta_json([entry("Välkomna till torget! 🎉", 1750000000)]))
    write(
        comments,
        "reels_comments.json",
        meta_json(
            {
                "comments_reels_comments": [
                    entry("Tack för filmen!", 1750000100),
                    entry("Snyggt 👏", 1750000200, "Tijd"),
                ]
            }
        ),
    )
    write(
        comments,
        "story_comments.json",
        meta_json({"comments_story_comments": [entry("Vi ses där!", 1750000300)]}),
    )
    run = import_export(account=insta, location=tmp_path / "export", by=people["alice"])
    texts = sorted(latest_text(item) for item in Item.objects.filter(account=insta))
    assert texts == ["Snyggt 👏", "Tack för filmen!", "Vi ses där!", "Välkomna till torget! 🎉"]
    assert run.details["found"] == {Kind.COMMENT: 4}


def test_instagram_reels_and_stories_are_posts_with_their_files(
    people: dict[str, Any], tmp_path: Path
) -> None:
    insta = account("instagram", people)
    content = tmp_path / "export/your_instagram_activity/content"
    write(
        content,
        "reels.json",
        meta_json(
            {
                "ig_reels_media": [
                    {
                        "media": [
                            {
                                "uri": "media/reels/202506/sommar.mp4",
                                "creation_timestamp": 1750001000,
                                "title": "Sommarlov! ☀️",
                            }
                        ]
                    }
                ]
            }
        ),
    )
    write(
        content,
        "stories.json",
        meta_json(
            {
                "ig_stories": [
                    {"uri": "media/stories/202506/torg.jpg", "creation_timestamp": 1750002000, "title": ""}
                ]
            }
        ),
    )
    write(tmp_path / "export", "media/stories/202506/torg.jpg", JPEG)
    run = import_export(account=insta, location=tmp_path / "export", by=people["alice"])
    assert run.details["found"] == {Kind.POST: 2}
    story = Item.objects.get(account=insta, published_at__year=2025, object_id__startswith="ig-export-story")
    assert story.versions.get().attachments.count() == 1
    assert (
        latest_text(Item.objects.get(account=insta, object_id__startswith="ig-export-reel")) == "Sommarlov! ☀️"
    )


def test_threads_export_posts_and_replies(people: dict[str, Any], tmp_path: Path) -> None:
    threads = export_account("threads", "threads.net/@varakommun", **people)
    posts = {
        "text_post_app_text_posts": [
            {
                "media": [
                    {
                        "uri": "",
                        "creation_timestamp": 1754466859,
                        "title": "Biblioteket har öppet hela sommaren 📚",
                        "text_app_post": {"reply_control": "everyone", "is_reply": False},
                    }
                ]
            },
            {
                "title": "Ja, även på lördagar!",
                "creation_timestamp": 1754500000,
                "media": [
                    {
                        "uri": "",
                        "creation_timestamp": 1754500000,
                        "title": "",
                        "text_app_post": {"is_reply": True},
                    }
                ],
            },
            {"media": [{"uri": "", "title": ""}]},
        ]
    }
    write(tmp_path / "export/your_instagram_activity/threads", "threads_and_replies.json", meta_json(posts))
    run = import_export(account=threads, location=tmp_path / "export", by=people["alice"])
    items = {latest_text(item): item for item in Item.objects.filter(account=threads)}
    assert items["Biblioteket har öppet hela sommaren 📚"].kind == Kind.POST
    assert items["Ja, även på lördagar!"].kind == Kind.REPLY
    assert skipped_places(run) == {
        "an entry without a time": [
            "your_instagram_activity/threads/threads_and_replies.json: text_post_app_text_posts #3"
        ]
    }
    again = import_export(account=threads, location=tmp_path / "export", by=people["alice"])
    assert again.items == 0


def inbox_thread(messages: list[dict[str, Any]]) -> str:
    return meta_json(
        {
            "participants": [{"name": "Elsa Ström"}, {"name": "Vara kommun"}],
            "messages": messages,
            "title": "Elsa Ström",
            "is_still_participant": True,
            "thread_path": "inbox/elsastrom_10161234567890",
        }
    )


def test_facebook_inbox_messages_are_threaded_and_sent_ones_drawn_up(
    people: dict[str, Any], tmp_path: Path
) -> None:
    page = account("facebook", people)
    export = tmp_path / "export"
    write(
        export / "personal_information/profile_information",
        "profile_information.json",
        meta_json({"profile_v2": {"name": {"full_name": "Vara kommun"}}}),
    )
    thread = export / "your_facebook_activity/messages/inbox/elsastrom_10161234567890"
    write(
        thread,
        "message_1.json",
        inbox_thread(
            [
                {
                    "sender_name": "Vara kommun",
                    "timestamp_ms": 1741951000000,
                    "content": "Hej Elsa, vi tittar på det.",
                },
                {
                    "sender_name": "Elsa Ström",
                    "timestamp_ms": 1741950000000,
                    "content": "Gatlampan på Storgatan är trasig 💡",
                    "photos": [
                        {
                            "uri": "your_facebook_activity/messages/inbox/elsastrom_10161234567890/photos/lampa.jpg"
                        }
                    ],
                },
                {"sender_name": "Elsa Ström", "content": "utan tid"},
            ]
        ),
    )
    write(thread, "photos/lampa.jpg", JPEG)
    run = import_export(account=page, location=export, by=people["alice"])
    messages = {latest_text(m): m for m in Item.objects.filter(account=page, kind=Kind.MESSAGE)}
    received = messages["Gatlampan på Storgatan är trasig 💡"]
    assert received.direction == Direction.RECEIVED and received.author_name == "Elsa Ström"
    assert received.versions.get().attachments.count() == 1
    assert messages["Hej Elsa, vi tittar på det."].direction == Direction.DRAWN_UP
    conversations = {m.versions.get().metadata["conversation"] for m in messages.values()}
    assert conversations == {"inbox/elsastrom_10161234567890"}
    assert skipped_places(run) == {
        "an entry without a time": [
            "your_facebook_activity/messages/inbox/elsastrom_10161234567890/message_1.json: messages #3"
        ]
    }


def test_without_a_profile_file_the_account_is_the_one_in_every_thread(
    people: dict[str, Any], tmp_path: Path
) -> None:
    insta = account("instagram", people)
    inbox = tmp_path / "export/your_instagram_activity/messages/inbox"
    write(
        inbox / "elsastrom_1",
        "message_1.json",
        inbox_thread(
            [{"sender_name": "Vara kommun", "timestamp_ms": 1741951000000, "content": "Välkommen!"}]
        ),
    )
    other = meta_json(
        {
            "participants": [{"name": "Noah S"}, {"name": "Vara kommun"}],
            "messages": [{"sender_name": "Noah S", "timestamp_ms": 1741952000000, "content": "Tack!"}],
        }
    )
    write(inbox / "noahs_2", "message_1.json", other)
    import_export(account=insta, location=tmp_path / "export", by=people["alice"])
    directions = {latest_text(m): m.direction for m in Item.objects.filter(account=insta, kind=Kind.MESSAGE)}
    assert directions == {"Välkommen!": Direction.DRAWN_UP, "Tack!": Direction.RECEIVED}
