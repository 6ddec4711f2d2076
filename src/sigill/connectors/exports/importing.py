"""Importing an export into the archive: check it, read it through once, then capture it.

The first pass parses every file without storing anything, so a broken file (cut off, wrong
encoding) is refused before a single item is written. The second pass captures in batches; the
run's details hold the progress while it runs and the report when it ends: what was imported, by
kind, and what was skipped and why. Items have stable ids, so a second import adds nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from sigill.archive import services as archive
from sigill.archive.capture import Capture, Source
from sigill.connectors import runs
from sigill.connectors.exports import formats
from sigill.connectors.exports.source import ExportRefused, ExportSource
from sigill.connectors.models import CaptureRun
from sigill.core import audit
from sigill.organisation.people import User
from sigill.registry.models import Account

BATCH = 2000
# Each skipped entry is named in the run's report (file and line or entry), up to this many per reason.
SKIPPED_PLACES = 1000
Progress = Callable[[int, int], None]


def import_export(
    *,
    account: Account,
    location: Path,
    by: User | None,
    label: str | None = None,
    run: CaptureRun | None = None,
    progress: Progress | None = None,
) -> CaptureRun:
    """Import the export at ``location`` (a zip or a folder) into ``account``; refusals raise
    :class:`ExportRefused` after recording the refused run."""
    label = label or location.name
    worker = _worker()
    run = run or runs.start_run(
        account=account, path=Source.EXPORT, by=by, details={"file": label, **runs.heartbeat(worker)}
    )
    CaptureRun.objects.filter(pk=run.pk).update(details={**run.details, **runs.heartbeat(worker)})
    source = None
    try:
        source = ExportSource(location, label=label)
        files = formats.plan(source, account.platform.slug)
        if not files:
            raise ExportRefused(
                _(
                    "%(file)s: no file Sigill reads from a %(platform)s export was found (%(count)s files looked at)."
                )
                % {"file": label, "platform": account.platform.name, "count": len(source.members)}
            )
        report = _check(source, files, account.pk)
        report["files"] = [member.path for member, _parser in files]
        total = sum(report["found"].values())
        done = 0
        for batch in _batches(_captures(source, files, account.pk)):
            with transaction.atomic():
                result = archive.capture(batch, actor=by)
                runs.count_page(run=run, result=result)
                done += len(batch)
                CaptureRun.objects.filter(pk=run.pk).update(
                    details={
                        **run.details,
                        **report,
                        "file": label,
                        "progress": done,
                        "total": total,
                        **runs.heartbeat(worker),
                    }
                )
            if progress is not None:
                progress(done, total)
        run.refresh_from_db()
        report = {**run.details, **report}
        report.update(file=label, progress=done, total=total, new_items=run.items, new_versions=run.versions)
        with transaction.atomic():
            runs.finish_run(run=run, outcome=CaptureRun.Outcome.SUCCEEDED, details=report)
            audit.record(
                "connectors.export.imported",
                actor=by,
                actor_label="import_export",
                target=account,
                details={"file": label, "run": str(run.pk), "new_items": run.items, "found": report["found"]},
            )
    except ExportRefused as refused:
        with transaction.atomic():
            runs.finish_run(run=run, outcome=CaptureRun.Outcome.REFUSED, error=refused.message)
            audit.record(
                "connectors.export.refused",
                actor=by,
                actor_label="import_export",
                target=account,
                details={"file": label, "run": str(run.pk), "error": refused.message[:500]},
            )
        raise
    except Exception as exc:
        # A fault of Sigill's (or the database's), not of the file: the run is a failure with its
        # cause and a gap in the coverage report, never left "running"; the error goes on to the log.
        message = _(
            "%(file)s: the import stopped on an unexpected error (%(error)s); what it had stored is kept, "
            "the uploaded file is kept for another try."
        ) % {"file": label, "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
        with transaction.atomic():
            runs.finish_run(run=run, outcome=CaptureRun.Outcome.FAILED, error=message)
            audit.record(
                "connectors.export.failed",
                actor=by,
                actor_label="import_export",
                target=account,
                details={"file": label, "run": str(run.pk), "error": message[:500]},
            )
        raise
    finally:
        if source is not None:
            source.close()
    run.refresh_from_db()
    return run


def _check(source: ExportSource, files: list[tuple[Any, formats.Parser]], account_id: int) -> dict[str, Any]:
    """Parse everything once, storing nothing; count what will be imported and what is skipped."""
    found: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    places: dict[str, list[str]] = {}
    for member, parser in files:
        for entry in parser(source, member, account_id):
            if isinstance(entry, formats.Skipped):
                skipped[entry.reason] += 1
                if entry.where and len(where := places.setdefault(entry.reason, [])) < SKIPPED_PLACES:
                    where.append(entry.where)
            else:
                found[entry.kind] += 1
    return {
        "found": dict(found),
        "skipped": [
            {"reason": reason, "count": count, "where": places.get(reason, [])}
            for reason, count in skipped.most_common()
        ],
    }


def _captures(
    source: ExportSource, files: list[tuple[Any, formats.Parser]], account_id: int
) -> Iterator[Capture]:
    for member, parser in files:
        for entry in parser(source, member, account_id):
            if isinstance(entry, Capture):
                yield entry


def _batches(captures: Iterator[Capture]) -> Iterator[list[Capture]]:
    batch: list[Capture] = []
    for captured in captures:
        batch.append(captured)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def import_uploaded(*, run_id: str, stored_name: str, progress: Progress | None = None) -> str:
    """The worker's side of an upload: import it from the default storage, then remove it once it
    is imported. Any other end keeps the upload until the user tries it again or discards it
    (``services.retry_import``, ``services.discard_upload``): a refused file (cut off, or over a
    limit that comms may raise), a failed import, or one whose worker was killed."""
    run = CaptureRun.objects.select_related("account__platform", "started_by").get(pk=run_id)
    CaptureRun.objects.filter(pk=run.pk).update(details={**run.details, "upload": stored_name})
    run.refresh_from_db()
    try:
        with _local_copy(stored_name) as location:
            import_export(
                account=run.account,
                location=location,
                by=run.started_by,
                label=run.details.get("file"),
                run=run,
                progress=progress,
            )
    except ExportRefused:
        pass  # recorded on the run, which the uploader's page shows
    run.refresh_from_db()
    if run.outcome == CaptureRun.Outcome.SUCCEEDED:
        remove_upload(stored_name)
    return run.outcome


def remove_upload(stored_name: str) -> None:
    default_storage.delete(stored_name)
    with contextlib.suppress(NotImplementedError, OSError):
        Path(default_storage.path(str(Path(stored_name).parent))).rmdir()


def _worker() -> str:
    """This process, as a run names its worker (the watchdog looks it up)."""
    return f"{socket.gethostname()}:{os.getpid()}"


@contextlib.contextmanager
def _local_copy(stored_name: str) -> Iterator[Path]:
    """The stored file as a local path: itself on a file system storage, else a temporary copy
    (a zip is read by random access, which an object store's stream does not offer). A storage
    may name a path that is not on this machine (an in-memory one does): then it is copied too."""
    try:
        local_path = Path(default_storage.path(stored_name))
    except NotImplementedError:
        local_path = None
    if local_path is not None and local_path.exists():
        yield local_path
        return
    with tempfile.TemporaryDirectory(prefix="sigill-import-") as folder:
        local = Path(folder) / Path(stored_name).name
        with default_storage.open(stored_name, "rb") as stored, local.open("wb") as copy:
            shutil.copyfileobj(stored, copy, length=1024 * 1024)
        yield local
