"""What each platform's export holds, turned into captures (and the reasons for what is skipped).

Exports hold what the account itself wrote (drawn up, upprättad), and the direct messages it sent
and received. Where an export has no ids (Meta's, LinkedIn's, TikTok's), an item's id is derived
from its time and content, so importing the same export twice, or a newer download, adds nothing.
Files are found by name, never by a fixed path: layouts change.
"""

from __future__ import annotations

import re

from sigill.connectors.exports.formats import (
    bluesky,
    linkedin,
    mastodon,
    meta,
    meta_messages,
    tiktok,
    x,
    youtube,
)
from sigill.connectors.exports.formats.common import Found, Parser, Skipped, derived_id
from sigill.connectors.exports.source import ExportSource, Member

# Each platform's files, recognised by name (lower-case).
FORMATS: dict[str, list[tuple[re.Pattern[str], Parser]]] = {
    "facebook": [
        (re.compile(r"your_posts.*\.json"), meta.facebook_posts),
        (re.compile(r"(group_)?comments\.json"), meta.facebook_comments),
        (re.compile(r"message_\d+\.json"), meta_messages.meta_messages),
    ],
    "instagram": [
        (re.compile(r"(posts_\d+|reels|stories)\.json"), meta.instagram_posts),
        (re.compile(r"(post|reels|story)_comments(_\d+)?\.json"), meta.instagram_comments),
        (re.compile(r"message_\d+\.json"), meta_messages.meta_messages),
    ],
    "threads": [(re.compile(r"threads_and_replies(_\d+)?\.json"), meta.threads_posts)],
    "x": [
        (re.compile(r"(deleted-)?tweets?(-part\d+)?\.js"), x.x_tweets),
        (re.compile(r"note-tweet(-part\d+)?\.js"), x.x_note_tweets),
        (re.compile(r"direct-messages(-group)?(-part\d+)?\.js"), x.x_direct_messages),
    ],
    "linkedin": [
        (re.compile(r"shares(_\d+)?\.csv"), linkedin.linkedin_shares),
        (re.compile(r"comments\.csv"), linkedin.linkedin_comments),
        (re.compile(r"messages\.csv"), linkedin.linkedin_messages),
    ],
    "youtube": [(re.compile(r".+\.csv"), youtube.youtube_comments)],
    "tiktok": [(re.compile(r"user_data(_tiktok)?\.json"), tiktok.tiktok_data)],
    "mastodon": [(re.compile(r"outbox\.json"), mastodon.mastodon_outbox)],
    "bluesky": [(re.compile(r".+\.car"), bluesky.bluesky_repository)],
}


def plan(source: ExportSource, platform_slug: str) -> list[tuple[Member, Parser]]:
    """The export's files this platform's parsers read, in a stable order."""
    found = []
    for member in sorted(source.members, key=lambda m: m.path):
        for pattern, parser in FORMATS.get(platform_slug, []):
            if pattern.fullmatch(member.name.lower()):
                found.append((member, parser))
                break
    return found


__all__ = ["FORMATS", "Found", "Parser", "Skipped", "derived_id", "plan"]
