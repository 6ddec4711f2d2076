"""Meta's JSON files hold their entries either as a bare array or under one (or more) top-level keys
whose names change between downloads (``comments_media_comments``, ``comments_reels_comments``,
``ig_stories``, ``text_post_app_text_posts`` ...): read every top-level array, whatever it is called,
so a renamed key is never read as an empty file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ijson

from sigill.connectors.exports import reading
from sigill.connectors.exports.source import ExportRefused, ExportSource, Member


def _list_keys(source: ExportSource, member: Member) -> list[str] | None:
    """The top-level keys holding arrays; None when the file itself is an array."""
    with source.open(member) as stream:
        body = reading.utf8(stream, label=member.path)
        keys: list[str] = []
        try:
            for prefix, event, _value in ijson.parse(body):
                if prefix == "" and event == "start_array":
                    return None
                if event == "start_array" and prefix and "." not in prefix and prefix not in keys:
                    keys.append(prefix)
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise ExportRefused(reading.broken_json(member.path, exc)) from exc
        return keys


def top_level_items(source: ExportSource, member: Member) -> Iterator[tuple[str, int, Any]]:
    """(where, position, entry) for every entry of every top-level array, streamed; ``where`` names
    the file, the key and the entry's position (from 1) for the run's report."""
    keys = _list_keys(source, member)
    for key in [None] if keys is None else keys:
        with source.open(member) as stream:
            prefix = "item" if key is None else f"{key}.item"
            for position, entry in enumerate(reading.json_items(stream, prefix, label=member.path), 1):
                where = f"{member.path}: {'' if key is None else key + ' '}#{position}"
                yield where, position, entry
