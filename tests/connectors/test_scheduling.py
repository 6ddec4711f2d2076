"""The scheduler enqueues each due account's sync once; the task syncs it, or says another worker has it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sigill.connectors import runs, sync, tasks
from sigill.connectors.models import CaptureRun
from sigill.connectors.sync import STALE_RUN
from sigill.registry.models import Account
from tests.connectors.conftest import connection_of
from tests.connectors.graph import mount_page


def test_each_due_account_is_enqueued_once_however_often_the_scheduler_looks(vara_page: Account) -> None:
    assert tasks.enqueue_due() == 1
    assert tasks.enqueue_due() == 0, "moved on by its interval"
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "sigill.connectors.tasks.sync_account"
    assert queued.args_kwargs["args"] == [vara_page.pk]
    next_sync = connection_of(vara_page).next_sync_at
    assert next_sync is not None and next_sync > timezone.now()


@pytest.mark.httpx2(assert_all_called=False)
def test_the_sync_task_captures_the_account_or_leaves_it_to_the_worker_already_on_it(
    vara_page: Account, httpx2_mock: Any
) -> None:
    mount_page(httpx2_mock)
    other = runs.claim(connection_of(vara_page), stale_after=STALE_RUN, worker=sync.worker_id())
    assert other is not None
    assert tasks.sync_account.call(vara_page.pk) == "busy"
    runs.release(connection_of(vara_page), run=other)
    assert tasks.sync_account.call(vara_page.pk) == CaptureRun.Outcome.SUCCEEDED
    assert connection_of(vara_page).items_captured == 15
