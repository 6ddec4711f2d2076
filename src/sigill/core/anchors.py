"""Anchors: the heads of Sigill's hash chains, written down outside the database.

A hash chain proves that nothing before its last link (its *head*) was changed, removed or slipped
in; it cannot show that links were cut off its end, because nothing in the database remembers
where the end was. An anchor is that memory: the chain's name, how many links it had, the last
link's id, hash and time, and when the anchor was taken. The scheduler appends the heads of the
audit log and of the archive to an append-only file (``ANCHOR_FILE``) every minute in which they
moved; the operator ships that file elsewhere (docs/operations.md). The monthly report and a daily
e-mail to the registrars carry the heads too, and a time-stamping authority can countersign them
(:mod:`sigill.core.timestamps`).

``verify_audit`` and ``verify_archive`` compare the chain with its anchors (:func:`compare`): an
anchored link that is no longer there, or no longer the same, is reported with what is missing
after the last link that still holds (positions, ids, and since when).

Each app that keeps a chain registers how to read its head and its links (:func:`register`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

# How far from the end of the anchor file the last anchors are looked for (one line is ~300 bytes,
# a few kilobytes with a time-stamp token).
_TAIL_BYTES = 256 * 1024


@dataclass(frozen=True)
class Head:
    """The last link of a chain at one moment: its position (links counted from the first, 1-based),
    its database id, its hash and the time it was written; and when it was anchored."""

    chain: str
    position: int
    id: int
    hash: str
    link_time: dt.datetime
    anchored_at: dt.datetime | None = None
    # An RFC 3161 time-stamp of this head: the request and the authority's token, base64.
    timestamp: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> str:
        data: dict[str, Any] = {
            "chain": self.chain,
            "position": self.position,
            "id": self.id,
            "hash": self.hash,
            "link_time": self.link_time.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "anchored_at": (self.anchored_at or timezone.now()).astimezone(dt.UTC).isoformat(),
        }
        if self.timestamp:
            data["timestamp"] = self.timestamp
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Head:
        data = json.loads(text)
        return cls(
            chain=str(data["chain"]),
            position=int(data["position"]),
            id=int(data["id"]),
            hash=str(data["hash"]),
            link_time=dt.datetime.fromisoformat(data["link_time"]),
            anchored_at=dt.datetime.fromisoformat(data["anchored_at"]) if data.get("anchored_at") else None,
            timestamp=dict(data.get("timestamp") or {}),
        )

    def describe(self) -> str:
        when = f", anchored {_utc(self.anchored_at)}" if self.anchored_at else ""
        return f"link {self.position} (id {self.id}, hash {self.hash[:16]}…{when})"


class AnchorError(ValueError):
    """An anchor file or a head on the command line that cannot be read; says what and where."""


# A chain's links in chain order as (id, hash, time): cheap to read, no content is hashed.
Links = Callable[[], Iterable[tuple[int, str, dt.datetime]]]


@dataclass(frozen=True)
class Chain:
    name: str
    model: type[Model]
    noun: str  # "entry", "event": what one link is called in messages

    def links(self) -> Iterator[tuple[int, str, dt.datetime]]:
        rows = self.model._default_manager.order_by("id").values_list("id", "hash", "created_at")
        yield from rows.iterator(chunk_size=5000)

    def head(self) -> Head | None:
        """The chain's last link now. Writers serialise on the chain's lock and take their id after
        it, so ids grow in commit order and the links up to the last one are all there already."""
        manager = self.model._default_manager
        last = manager.order_by("-id").values_list("id", "hash", "created_at").first()
        if last is None:
            return None
        position = manager.filter(id__lte=last[0]).count()
        return Head(chain=self.name, position=position, id=last[0], hash=last[1], link_time=last[2])


_chains: dict[str, Chain] = {}


def register(name: str, model: type[Model], *, noun: str) -> Chain:
    """Make chain ``name`` (its rows are ``model``, with ``id``, ``hash`` and ``created_at``) anchored."""
    _chains[name] = Chain(name, model, noun)
    return _chains[name]


def chain(name: str) -> Chain:
    return _chains[name]


def chains() -> list[Chain]:
    return [_chains[name] for name in sorted(_chains)]


def anchor_file() -> Path:
    return Path(settings.ANCHOR_FILE)


# Writing --------------------------------------------------------------------------------------


def append(heads: Iterable[Head], path: Path | None = None) -> None:
    """Append ``heads`` to the anchor file, one JSON line each, and force them to disk."""
    path = path or anchor_file()
    lines = "".join(head.as_json() + "\n" for head in heads)
    if not lines:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, lines.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def last_anchored(path: Path | None = None) -> dict[str, Head]:
    """The last anchor of each chain in the file's tail (empty if the file does not exist)."""
    path = path or anchor_file()
    if not path.exists():
        return {}
    with path.open("rb") as stream:
        stream.seek(max(path.stat().st_size - _TAIL_BYTES, 0))
        tail = stream.read().decode(errors="replace").splitlines()
    found: dict[str, Head] = {}
    for line in tail[1:] if len(tail) > 1 and path.stat().st_size > _TAIL_BYTES else tail:
        try:
            head = Head.from_json(line)
        except (ValueError, KeyError, TypeError):
            continue  # a line cut by the seek, or one the operator annotated
        found[head.chain] = head
    return found


def moved_heads(names: Iterable[str] | None = None, path: Path | None = None) -> list[Head]:
    """The heads of the chains ``names`` (all if None) that moved since they were last anchored."""
    before = last_anchored(path)
    now = timezone.now()
    moved = []
    for each in chains() if names is None else [chain(name) for name in names]:
        head = each.head()
        if head is None:
            continue
        previous = before.get(each.name)
        if previous is None or (previous.position, previous.hash) != (head.position, head.hash):
            moved.append(replace(head, anchored_at=now))
    return moved


def anchor_heads(
    names: Iterable[str] | None = None,
    *,
    path: Path | None = None,
    stamp: Callable[[Head], Head] | None = None,
) -> list[Head]:
    """Append the heads of ``names`` (all if None) that moved to the anchor file, each time-stamped
    by ``stamp`` if given; return them. The owning apps' scheduler jobs call this every minute."""
    heads = moved_heads(names, path)
    if stamp is not None:
        heads = [stamp(head) for head in heads]
    append(heads, path)
    return heads


def current_heads() -> list[Head]:
    now = timezone.now()
    return [replace(head, anchored_at=now) for each in chains() if (head := each.head()) is not None]


# Reading --------------------------------------------------------------------------------------


def read(path: Path, chain_name: str) -> list[Head]:
    """Every anchor of ``chain_name`` in the file at ``path``, in file order."""
    heads = []
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise AnchorError(f"cannot read the anchor file {path}: {error.strerror}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            head = Head.from_json(line)
        except (ValueError, KeyError, TypeError) as error:
            raise AnchorError(f"{path}, line {number}: not an anchored head ({error})") from error
        if head.chain == chain_name:
            heads.append(head)
    return heads


def parse_head(text: str, chain_name: str) -> Head:
    """A head given on the command line: ``POSITION:HASH`` (as printed by the verify commands and
    the monthly report) or a whole line of the anchor file."""
    text = text.strip()
    if text.startswith("{"):
        try:
            head = Head.from_json(text)
        except (ValueError, KeyError, TypeError) as error:
            raise AnchorError(f"the head {text[:40]}… is not an anchor file line ({error})") from error
        if head.chain != chain_name:
            raise AnchorError(f"the head is of the {head.chain} chain, not the {chain_name} chain")
        return head
    position, _, hash_ = text.partition(":")
    if not position.isdigit() or len(hash_) != 64 or any(c not in "0123456789abcdef" for c in hash_):
        raise AnchorError(f"the head “{text}” is not POSITION:HASH (a link number and a 64-digit SHA-256)")
    return Head(chain=chain_name, position=int(position), id=0, hash=hash_, link_time=timezone.now())


# Comparing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """How a chain stands against its anchors."""

    anchors: int
    links: int
    holding: Head | None  # the last anchor the chain still matches
    problem: str | None  # what is missing or different after it

    @property
    def ok(self) -> bool:
        return self.problem is None


def compare(chain_: Chain, anchors: list[Head]) -> Comparison:
    """Check that every anchored link is still in the chain, at its position, with its hash.

    The chain's own verification proves the links before each of them; so the first anchor that
    no longer holds says the chain was cut short or rewritten after the last anchor that does.
    """
    by_position: dict[int, list[Head]] = {}
    for head in anchors:
        by_position.setdefault(head.position, []).append(head)
    seen: dict[int, tuple[int, str, dt.datetime]] = {}
    count = 0
    last: tuple[int, str, dt.datetime] | None = None
    for position, link in enumerate(chain_.links(), start=1):
        count, last = position, link
        if position in by_position:
            seen[position] = link
    ordered = sorted(anchors, key=lambda head: head.position)
    holding: Head | None = None
    for head in ordered:
        anchored = seen.get(head.position)
        if anchored is not None and anchored[1] == head.hash:
            holding = head
            continue
        return Comparison(len(anchors), count, holding, _what_is_missing(chain_, head, holding, count, last))
    return Comparison(len(anchors), count, holding, None)


def _what_is_missing(
    chain_: Chain,
    head: Head,
    holding: Head | None,
    count: int,
    last: tuple[int, str, dt.datetime] | None,
) -> str:
    noun = chain_.noun
    nouns = f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s"
    since = (
        f"; the chain still matches the anchor of {_utc(holding.anchored_at)} at link {holding.position}"
        if holding is not None
        else ""
    )
    ids = f" up to id {head.id}" if head.id else ""
    if count < head.position:
        missing = head.position - count
        span = f"link {head.position}" if missing == 1 else f"links {count + 1}–{head.position}"
        after = (
            f"after link {count} (id {last[0]}, written {_utc(last[2])})"
            if last is not None
            else "from the very first link: the chain is empty"
        )
        anchored = f" at {_utc(head.anchored_at)}" if head.anchored_at else ""
        return (
            f"the {chain_.name} chain was cut short: it ends at link {count}, but link {head.position} "
            f"was anchored{anchored}. {missing} {noun + ' is' if missing == 1 else nouns + ' are'} missing "
            f"{after}: {span}{ids}{since}."
        )
    return (
        f"the {chain_.name} chain was rewritten: link {head.position} is not the anchored "
        f"{head.describe()}: links between {holding.position + 1 if holding else 1} and {head.position} "
        f"were replaced{since}."
    )


def _utc(moment: dt.datetime | None) -> str:
    return "-" if moment is None else f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"


def given(chain_: Chain, *, file: str | None = None, head: str | None = None) -> tuple[list[Head], str]:
    """The anchors a verify command checks against, and where they came from: the head given on
    the command line, the anchor file given, or else the configured anchor file if it exists."""
    if head:
        return [parse_head(head, chain_.name)], "the head given"
    path = Path(file) if file else anchor_file()
    if not file and not path.exists():
        return [], ""
    found = read(path, chain_.name)
    return found, f"{len(found)} anchor{'' if len(found) == 1 else 's'} in {path}"


def add_arguments(parser: Any) -> None:
    """The verify commands' options for anchors."""
    parser.add_argument(
        "--anchors",
        metavar="FILE",
        help="an anchor file (a copy shipped off the machine); default: ANCHOR_FILE if it exists",
    )
    parser.add_argument(
        "--head",
        metavar="POSITION:HASH",
        help="one anchored head (from the anchor file, the monthly report or the registrar's e-mail)",
    )


def summary(chain_: Chain, comparison: Comparison, source: str) -> str:
    """The verify commands' line on the anchors, when the chain holds against them."""
    if not source:
        return (
            f"No anchored head given and no anchor file: {chain_.noun} links cut off the end of the "
            f"{chain_.name} chain cannot be detected. Give --anchors FILE or --head POSITION:HASH."
        )
    if comparison.holding is None:
        return f"{source.capitalize()}: none to check against."
    return f"The {chain_.name} chain matches {source}, up to the head {comparison.holding.describe()}."
