"""Reading a platform's export — a zip or a folder — without trusting it.

Nothing is extracted to disk: members are read as streams straight from the archive. Before
anything is read, the whole listing is checked, and the export is refused with a message naming
the file when a member:

* points outside the export (``../``, an absolute path: zip slip),
* is a symbolic link (in a zip, or in a folder),
* is absurdly large, or compresses better than real exports do (a zip bomb),
* has the same name as another member (one of the two would be silently skipped).
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

# JSON, CSV and images compress at most about 20:1; zeros and repeated junk compress 1000:1.
MAX_RATIO = 100
# Below this size a member's ratio does not matter (a small, very regular JSON file is harmless).
RATIO_FROM_BYTES = 1024 * 1024


class ExportRefused(Exception):
    """The export cannot be imported; ``message`` says which file and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Member:
    path: str  # POSIX path inside the export
    size: int

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


class ExportSource:
    """A zip or folder export, checked on opening; ``open()`` streams one member."""

    def __init__(self, location: Path, *, label: str | None = None) -> None:
        self.location = location
        self.label = label or location.name
        self._zip: zipfile.ZipFile | None = None
        if location.is_symlink():
            raise ExportRefused(_("%(file)s: is a symbolic link, not an export.") % {"file": self.label})
        if location.is_dir():
            self.members = self._folder_members()
        elif zipfile.is_zipfile(location):
            self._zip = zipfile.ZipFile(location)
            self.members = self._zip_members(self._zip)
        elif location.is_file():
            self.members = [Member(location.name, location.stat().st_size)]
        else:
            raise ExportRefused(_("%(file)s: no such file or folder.") % {"file": self.label})
        total = sum(m.size for m in self.members)
        if total > settings.EXPORT_MAX_UNPACKED_BYTES:
            raise ExportRefused(
                _("%(file)s: unpacks to %(total)s bytes, more than the %(limit)s allowed.")
                % {
                    "file": self.label,
                    "total": f"{total:,}",
                    "limit": f"{settings.EXPORT_MAX_UNPACKED_BYTES:,}",
                }
            )
        self.total_bytes = total

    def _zip_members(self, archive: zipfile.ZipFile) -> list[Member]:
        members = []
        seen: set[str] = set()
        for info in archive.infolist():
            name = info.filename
            where = {"file": self.label, "member": name}
            path = PurePosixPath(name.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
                raise ExportRefused(
                    _("%(file)s: the member “%(member)s” points outside the export (path traversal).") % where
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ExportRefused(
                    _("%(file)s: the member “%(member)s” is a symbolic link; exports hold files only.")
                    % where
                )
            if info.is_dir():
                continue
            if info.file_size >= RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ExportRefused(
                    _(
                        "%(file)s: the member “%(member)s” would unpack %(packed)s bytes to %(unpacked)s "
                        "(more than %(ratio)s:1): this looks like a zip bomb."
                    )
                    % {
                        **where,
                        "packed": f"{info.compress_size:,}",
                        "unpacked": f"{info.file_size:,}",
                        "ratio": MAX_RATIO,
                    }
                )
            if str(path) in seen:
                raise ExportRefused(
                    _(
                        "%(file)s: the member “%(member)s” is in the zip twice; which one is the export's cannot be told."
                    )
                    % where
                )
            seen.add(str(path))
            members.append(Member(str(path), info.file_size))
        return members

    def _folder_members(self) -> list[Member]:
        root = self.location.resolve()
        members = []
        for folder, dirs, files in os.walk(root, followlinks=False):
            for name in [*dirs, *files]:
                full = Path(folder) / name
                if full.is_symlink():
                    raise ExportRefused(
                        f"{self.label}: {full.relative_to(root)} is a symbolic link; exports hold files only."
                    )
            for name in files:
                full = Path(folder) / name
                members.append(Member(full.relative_to(root).as_posix(), full.stat().st_size))
        return members

    @contextmanager
    def open(self, member: Member) -> Iterator[IO[bytes]]:
        if self._zip is not None:
            with self._zip.open(member.path) as stream:
                yield stream
        elif self.location.is_dir():
            with (self.location / member.path).open("rb") as stream:
                yield stream
        else:
            with self.location.open("rb") as stream:
                yield stream

    def read(self, member: Member) -> bytes:
        with self.open(member) as stream:
            return stream.read()

    def find(self, uri: str) -> Member | None:
        """The member an export's own reference (a media ``uri``) names: the longest matching tail."""
        wanted = PurePosixPath(uri).parts
        for length in range(len(wanted), 0, -1):
            tail = "/".join(wanted[-length:])
            for member in self.members:
                if member.path == tail or member.path.endswith("/" + tail):
                    return member
        return None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
