"""Background tasks of moderation: screen what the archive has just captured."""

from __future__ import annotations

from django_tasks import task

from sigill.moderation import services

# Item ids per task: an export of years of comments becomes many small tasks, not one huge one.
BATCH = 500


@task()
def screen_items(item_ids: list[int]) -> int:
    return services.screen_items(item_ids)


def screen_captured(item_ids: list[int]) -> None:
    """The archive's after-capture hook (``archive.after_capture``): queue what arrived for screening."""
    for start in range(0, len(item_ids), BATCH):
        screen_items.enqueue(item_ids[start : start + BATCH])
