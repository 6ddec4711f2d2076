"""Figures for the pre-publication checks on the frozen, hand-labelled example posts.

    PYTHONPATH=src .venv/bin/python bench/publishing_checks.py

Thresholds were fitted on the "tune" half only; the "held_out" half is the honest figure. The
screening uses the shipped word lists (no comms edits, no allow-list), as the pure engine does.
"""

from __future__ import annotations

import json
from pathlib import Path

from sigill.moderation.screening import screen
from sigill.publishing.checks import capitals_runs, emoji_runs, hashtags_not_in_camel_case, reads_hard
from sigill.publishing.checks.post import Hit, screening_findings

DATA = Path(__file__).resolve().parent.parent / "tests" / "publishing" / "data" / "example_posts.json"

DETECTORS = {
    "blocks": lambda text: any(
        finding.blocks
        for finding in screening_findings(
            Hit(found.type.value, text[found.start : found.end]) for found in screen(text)
        )
    ),
    "hard_to_read": reads_hard,
    "hashtag_case": lambda text: bool(hashtags_not_in_camel_case(text)),
    "capitals": lambda text: bool(capitals_runs(text)),
    "emoji_run": lambda text: bool(emoji_runs(text)),
}


def label(post: dict[str, object], name: str) -> bool:
    if name in ("blocks", "hard_to_read"):
        return bool(post[name])
    return name in post["accessibility"]  # type: ignore[operator]


def main() -> None:
    posts = json.loads(DATA.read_text())["posts"]
    for split in ("tune", "held_out"):
        chosen = [post for post in posts if post["split"] == split]
        print(f"{split} ({len(chosen)} posts)")
        for name, detect in DETECTORS.items():
            tp = fp = fn = 0
            misses = []
            for post in chosen:
                found, wanted = detect(post["text"]), label(post, name)
                tp += found and wanted
                fp += found and not wanted
                fn += wanted and not found
                if found != wanted:
                    misses.append(("FP" if found else "FN") + ": " + post["text"][:60])
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 1.0
            print(f"  {name:13} labelled {tp + fn:2}  precision {precision:.2f}  recall {recall:.2f}")
            for miss in misses:
                print(f"      {miss}")


if __name__ == "__main__":
    main()
