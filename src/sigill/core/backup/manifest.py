"""A backup's manifest, and checking a backup against it.

A backup is a folder::

    manifest.json                      what is in it, with the SHA-256 and size of every other file
    database/<app>.<model>.jsonl.gz    one table: one JSON array of column values per line
    media/<name>                       one file of Django's default storage, under its own name

The manifest names the Sigill and Django versions and the migrations applied when the backup was
made. It holds no setting and no secret: not SECRET_KEY, not the vault's master keys (credentials
are in the backup only as they are in the database, sealed under those keys).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings

FORMAT = "sigill-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"


def sigill_version() -> str:
    """The version in pyproject.toml, which a deployment from the source tree has beside src/."""
    try:
        with (settings.BASE_DIR / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return sha256_of_stream(handle)


def sha256_of_stream(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def is_safe_name(name: str) -> bool:
    """A relative path inside the backup folder: no absolute path, no "..", no backslash."""
    path = PurePosixPath(name)
    return bool(name) and "\\" not in name and not path.is_absolute() and ".." not in path.parts


@dataclass(frozen=True)
class TableEntry:
    model: str
    table: str
    file: str
    rows: int
    columns: list[str]


@dataclass
class Manifest:
    created_at: str
    sigill_version: str
    django_version: str
    database_vendor: str
    migrations: dict[str, list[str]]
    tables: list[TableEntry]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "sigill_version": self.sigill_version,
            "django_version": self.django_version,
            "database_vendor": self.database_vendor,
            "migrations": self.migrations,
            "tables": [entry.__dict__ for entry in self.tables],
            "files": self.files,
        }
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Parse a manifest; ValueError (with what is wrong) if it is not one this code can read."""
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise ValueError(f"manifest.json is not JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("manifest.json is not the manifest of a Sigill backup")
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"the backup is in format version {data.get('format_version')!r}; "
                f"this Sigill reads version {FORMAT_VERSION}"
            )
        try:
            return cls(
                created_at=str(data["created_at"]),
                sigill_version=str(data["sigill_version"]),
                django_version=str(data["django_version"]),
                database_vendor=str(data["database_vendor"]),
                migrations={str(app): [str(n) for n in names] for app, names in data["migrations"].items()},
                tables=[TableEntry(**entry) for entry in data["tables"]],
                files={str(name): dict(entry) for name, entry in data["files"].items()},
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"manifest.json is incomplete or malformed ({exc!r})") from None

    @property
    def media_names(self) -> list[str]:
        """The storage names of the media files, in the order they are listed."""
        prefix = MEDIA_DIR + "/"
        return sorted(name.removeprefix(prefix) for name in self.files if name.startswith(prefix))


def read_rows(path: Path) -> Iterator[list[Any]]:
    """The rows of one table file, each a list of encoded column values."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if not isinstance(row, list):
                raise ValueError(f"{path.name}: a line is not a JSON array")
            yield row


@dataclass
class Verification:
    """What checking a backup found: the manifest (if it could be read) and every problem."""

    manifest: Manifest | None
    manifest_sha256: str
    problems: list[str]


def verify(source: Path) -> Verification:
    """Check the folder ``source`` against its manifest: every file present, of the listed size
    and SHA-256, no file that is not listed, and every table file readable with the listed number
    of rows and columns. Reads everything; writes nothing."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        return Verification(
            None, "", [f"{source} has no {MANIFEST}: it is not a Sigill backup, or an unfinished one"]
        )
    raw = manifest_path.read_bytes()
    manifest_sha256 = hashlib.sha256(raw).hexdigest()
    try:
        manifest = Manifest.from_json(raw)
    except ValueError as exc:
        return Verification(None, manifest_sha256, [str(exc)])
    problems = _check_files(source, manifest)
    if not problems:  # table files are parsed only once their hashes hold
        problems = _check_tables(source, manifest)
    return Verification(manifest, manifest_sha256, problems)


def _check_files(source: Path, manifest: Manifest) -> list[str]:
    problems = []
    for name, entry in sorted(manifest.files.items()):
        if not is_safe_name(name) or not name.startswith((DATABASE_DIR + "/", MEDIA_DIR + "/")):
            problems.append(f"{name}: the manifest names a file outside the backup's folders")
            continue
        path = source / name
        if path.is_symlink():
            problems.append(f"{name}: the file is a symbolic link, which a backup never holds")
        elif not path.is_file():
            problems.append(f"{name}: the file is missing")
        elif path.stat().st_size != entry.get("bytes"):
            problems.append(f"{name}: {path.stat().st_size} bytes, the manifest says {entry.get('bytes')}")
        elif sha256_of(path) != entry.get("sha256"):
            problems.append(f"{name}: the file was changed (its SHA-256 differs from the manifest's)")
    present = {
        path.relative_to(source).as_posix()
        for path in source.rglob("*")
        if path.is_file() or path.is_symlink()
    }
    problems.extend(
        f"{name}: the file is not in the manifest"
        for name in sorted(present - set(manifest.files) - {MANIFEST})
    )
    return problems


def _check_tables(source: Path, manifest: Manifest) -> list[str]:
    problems = []
    for entry in manifest.tables:
        if entry.file not in manifest.files:
            problems.append(f"{entry.file}: the table {entry.model} is not among the manifest's files")
            continue
        rows = 0
        try:
            for row in read_rows(source / entry.file):
                rows += 1
                if len(row) != len(entry.columns):
                    problems.append(
                        f"{entry.file}: row {rows} has {len(row)} values for {len(entry.columns)} columns"
                    )
                    break
        except (OSError, ValueError, EOFError) as exc:
            problems.append(f"{entry.file}: cannot be read ({exc})")
            continue
        if rows != entry.rows:
            problems.append(f"{entry.file}: {rows} rows, the manifest says {entry.rows}")
    return problems
