"""Google Takeout's YouTube comments CSV, columns mapped by header name (their order changed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sigill.archive.capture import Kind
from sigill.connectors.base import iso_time
from sigill.connectors.exports import reading
from sigill.connectors.exports.formats.common import Found, drawn_up
from sigill.connectors.exports.source import ExportSource, Member


def youtube_comments(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    with source.open(member) as stream:
        for row in reading.csv_rows(stream, label=member.path):
            if "Comment ID" not in row:
                return
            segments: Any = row.get("Comment Text", "")
            try:
                segments = json.loads(segments)
            except ValueError:
                segments = [{"text": segments}]
            if isinstance(segments, dict):
                segments = segments.get("takeoutSegments", [])
            text = "".join(s.get("text", "") for s in segments if isinstance(s, dict))
            parent = row.get("Parent Comment ID", "")
            yield drawn_up(
                account_id,
                platform_id=row["Comment ID"],
                kind=Kind.REPLY if parent else Kind.COMMENT,
                published_at=iso_time(row["Comment Create Timestamp"]),
                text=text,
                parent_platform_id=parent or row.get("Video ID", ""),
                url=f"https://www.youtube.com/watch?v={row.get('Video ID', '')}&lc={row['Comment ID']}",
            )
