"""An e-archive package (FGS Paketstruktur 2.0 = E-ARK CSIP 2.1 + SIP 2.1) of one account's records
over a period, written as a folder, streaming: memory stays flat however many items there are.

Layout (CSIPSTR1–16)::

    <OBJID>/METS.xml
    <OBJID>/metadata/descriptive/account.json
    <OBJID>/metadata/preservation/premis.xml     capture, versions, removals, redactions, disposals
    <OBJID>/representations/rep1-json/METS.xml, data/records/<id>.json, data/files/<sha256>
    <OBJID>/representations/rep2-text/METS.xml, data/records/<id>.txt
    <OBJID>/schemas/*.xsd
    <OBJID>/documentation/format.txt

Each file's size and SHA-256 are computed as it is written and noted in a spool file on disk; the
METS files are written last from the spools, so no list of files is ever held in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files.storage import default_storage
from django.utils import timezone
from lxml import etree

from sigill.archive import selectors as archive
from sigill.archive.models import storage_name
from sigill.compliance.selectors import municipality_name
from sigill.records import selectors
from sigill.registry.models import Account

SCHEMAS = Path(__file__).parent / "schemas"
METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
PREMIS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"mets": METS, "xlink": XLINK, "csip": CSIP, "sip": SIP, "xsi": XSI}
REPRESENTATIONS = ("rep1-json", "rep2-text")
SOFTWARE_VERSION = "0.1.0"

DOCUMENTATION = """Sigill e-archive package: the records of one official social media account.

representations/rep1-json/data/records/<id>.json: one file per archived item (post, comment,
reply, message, profile snapshot): its account, platform id, kind, direction (received = inkommen,
drawn_up = upprättad), author as shown, publication and receipt times (UTC), every captured
version (text, platform metadata, capture time, seal), later facts (removed on the platform,
marked secret) and its files, by SHA-256, in data/files/.
representations/rep2-text/data/records/<id>.txt: the same item as plain text.
metadata/preservation/premis.xml: PREMIS 3 events: capture, versions, removal on the platform,
redaction of disclosed copies, disposal under a retention rule.
Each "seal" is the SHA-256 of the row's canonical JSON in Sigill's archive hash chain.
"""


@dataclass(frozen=True)
class Written:
    path: str
    size: int
    sha256: str
    mimetype: str
    created: str


@dataclass(frozen=True)
class PackageSummary:
    objid: str
    path: Path
    items: int


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


class _Spool:
    """File entries of one file group, kept in a temporary file as JSON lines."""

    def __init__(self) -> None:
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")

    def add(self, entry: Written) -> None:
        self.file.write(json.dumps(entry.__dict__) + "\n")

    def __iter__(self) -> Iterator[Written]:
        self.file.seek(0)
        for line in self.file:
            yield Written(**json.loads(line))


class SipWriter:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.spools: dict[str, _Spool] = {}
        self.files_seen: set[str] = set()
        self.folders: set[str] = set()
        self.period: tuple[dt.datetime | None, dt.datetime | None] = (None, None)
        self.created = _iso(timezone.now())

    def write(self, group: str, path: str, chunks: Iterable[bytes], mimetype: str, base: str = "") -> Written:
        """Write ``chunks`` to ``path`` (below ``base``), hashing as it goes; note it in ``group``."""
        # Plain strings, not pathlib: pathlib interns every path part, which would keep one string
        # per written file alive for the whole export.
        target = os.path.join(str(self.root), base, path) if base else os.path.join(str(self.root), path)
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        digest, size = hashlib.sha256(), 0
        with open(target, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        entry = Written(path, size, digest.hexdigest(), mimetype, self.created)
        if group not in self.spools:
            self.spools[group] = _Spool()
        self.spools[group].add(entry)
        return entry

    def entries(self, group: str) -> Iterator[Written]:
        spool = self.spools.get(group)
        return iter(spool) if spool is not None else iter(())

    def close(self) -> None:
        for spool in self.spools.values():
            spool.file.close()


def write_package(*, account: Account, since: dt.datetime | None, until: dt.datetime | None, target: Path,
                  municipality: str = "", only_kept: bool = False) -> PackageSummary:  # fmt: skip
    """Write the package of ``account``'s items published in [since, until) into ``target``.

    ``only_kept``: only the records to keep (governed by a permanent rule, or by no rule)."""
    objid = f"sigill-{account.slug}-{uuid.uuid4().hex[:12]}"
    root = target / objid
    root.mkdir(parents=True)
    items = archive.items_of_account(account.pk, since=since, until=until)
    if only_kept:
        items = items.filter(selectors.kept_condition())  # a filter, not a list of ids
    writer = SipWriter(root)
    writer.period = (since, until)
    try:
        count = _write_contents(writer, items, account)
        label = f"{account.platform.name}, {account.display_name}"
        for rep in REPRESENTATIONS:
            mets = _mets(writer, f"{objid}-{rep}", label, representation=rep)
            writer.write(f"Representations/{rep}", f"representations/{rep}/METS.xml", mets, "application/xml")
        (root / "METS.xml").write_bytes(b"".join(_mets(writer, objid, label, municipality=municipality)))
    finally:
        writer.close()
    return PackageSummary(objid=objid, path=root, items=count)


def _write_contents(writer: SipWriter, items: Any, account: Account) -> int:
    """The records, their files, the metadata, schemas and documentation; returns the item count."""
    since, until = writer.period
    count = 0
    for record in archive.records_for_export(items):
        count += 1
        base = "representations/rep1-json"
        writer.write("rep1-json", f"data/records/{record['id']}.json",
                     [json.dumps(record, ensure_ascii=False, indent=1).encode()], "application/json", base)  # fmt: skip
        for file in record["files"]:
            if file["sha256"] not in writer.files_seen:
                writer.files_seen.add(file["sha256"])
                writer.write("rep1-json", f"data/files/{file['sha256']}", _stored(file["sha256"]),
                             file["content_type"] or "application/octet-stream", base)  # fmt: skip
        writer.write("rep2-text", f"data/records/{record['id']}.txt", [_as_text(record).encode()],
                     "text/plain", "representations/rep2-text")  # fmt: skip
    descriptive = {
        "account": account.display_name, "platform": account.platform.name, "handle": account.handle,
        "profile_url": account.profile_url, "unit": account.unit.name, "purpose": account.purpose_statement,
        "since": _iso(since) if since else None, "until": _iso(until) if until else None, "items": count,
    }  # fmt: skip
    writer.write("metadata", "metadata/descriptive/account.json",
                 [json.dumps(descriptive, ensure_ascii=False, indent=1).encode()], "application/json")  # fmt: skip
    writer.write("metadata", "metadata/preservation/premis.xml", _premis(items, account), "application/xml")
    for schema in sorted(SCHEMAS.glob("*.xsd")):
        writer.write("Schemas", f"schemas/{schema.name}", [schema.read_bytes()], "application/xml")
    writer.write("Documentation", "documentation/format.txt", [DOCUMENTATION.encode()], "text/plain")
    return count


def _stored(sha256: str) -> Iterator[bytes]:
    with default_storage.open(storage_name(sha256), "rb") as stored:
        yield from iter(lambda: stored.read(1 << 20), b"")


def _as_text(record: dict[str, Any]) -> str:
    lines = [f"{record['kind']} {record['platform_id']} ({record['direction']})",
             f"Author: {record['author']['name']} {record['author']['handle']}".rstrip(),
             f"Published: {record['published_at']}", f"Received: {record['received_at']}", ""]  # fmt: skip
    for version in record["versions"]:
        lines += [f"Version {version['number']} (captured {version['captured_at']}):", version["text"], ""]
    return "\n".join(lines)


class _Chunks:
    """A file-like sink for lxml's incremental writer that hands its bytes on as chunks."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.chunks.append(data)

    def take(self) -> list[bytes]:
        taken, self.chunks = self.chunks, []
        return taken


def _el(name: str, text: str = "", ns: str = PREMIS, **attrs: str) -> Any:
    element = etree.Element(f"{{{ns}}}{name}", dict(attrs), nsmap={"premis": PREMIS, "xsi": XSI})
    element.text = text or None
    return element


def _premis_identifier(parent: Any, prefix: str, value: str, element: str = "") -> None:
    tag = element or f"{prefix}Identifier"
    holder = etree.SubElement(parent, f"{{{PREMIS}}}{tag}")
    etree.SubElement(holder, f"{{{PREMIS}}}{prefix}IdentifierType").text = "local"
    etree.SubElement(holder, f"{{{PREMIS}}}{prefix}IdentifierValue").text = value


def _premis_event(kind: str, identifier: str, at: str, detail: str, objects: Iterable[str]) -> Any:
    event = _el("event")
    _premis_identifier(event, "event", identifier)
    etree.SubElement(event, f"{{{PREMIS}}}eventType").text = kind
    etree.SubElement(event, f"{{{PREMIS}}}eventDateTime").text = at
    info = etree.SubElement(event, f"{{{PREMIS}}}eventDetailInformation")
    etree.SubElement(info, f"{{{PREMIS}}}eventDetail").text = detail
    agent = etree.SubElement(event, f"{{{PREMIS}}}linkingAgentIdentifier")
    etree.SubElement(agent, f"{{{PREMIS}}}linkingAgentIdentifierType").text = "local"
    etree.SubElement(agent, f"{{{PREMIS}}}linkingAgentIdentifierValue").text = "sigill"
    for value in objects:
        _premis_identifier(event, "linkingObject", value, "linkingObjectIdentifier")
    return event


def _premis(items: Any, account: Account) -> Iterator[bytes]:
    """PREMIS 3: an intellectual entity per item, then its events, then the software agent."""
    sink = _Chunks()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{PREMIS}}}premis", {"version": "3.0"}, nsmap={"premis": PREMIS, "xsi": XSI}):
            for item_id in items.values_list("pk", flat=True).iterator(chunk_size=2000):
                entity = _el("object", **{f"{{{XSI}}}type": "premis:intellectualEntity"})
                _premis_identifier(entity, "object", f"item-{item_id}")
                xf.write(entity)
                yield from sink.take()
            for kind, identifier, at, detail, objects in archive.preservation_events(items):
                xf.write(_premis_event(kind, identifier, _iso(at), detail, objects))
                yield from sink.take()
            for identifier, at, detail, objects in selectors.redactions_of(items):
                xf.write(_premis_event("redaction", identifier, _iso(at), detail, objects))
            for identifier, at, detail in selectors.disposals_of(account):
                xf.write(_premis_event("deletion", identifier, _iso(at), detail, []))
            agent = _el("agent")
            _premis_identifier(agent, "agent", "sigill")
            etree.SubElement(agent, f"{{{PREMIS}}}agentName").text = "Sigill"
            etree.SubElement(agent, f"{{{PREMIS}}}agentType").text = "software"
            etree.SubElement(agent, f"{{{PREMIS}}}agentVersion").text = SOFTWARE_VERSION
            xf.write(agent)
    yield from sink.take()


def _file_attrs(entry: Written, identifier: str) -> dict[str, str]:
    return {"ID": identifier, "MIMETYPE": entry.mimetype, "SIZE": str(entry.size), "CREATED": entry.created,
            "CHECKSUM": entry.sha256, "CHECKSUMTYPE": "SHA-256"}  # fmt: skip


def _flocat(parent: Any, href: str) -> None:
    etree.SubElement(
        parent,
        f"{{{METS}}}FLocat",
        {"LOCTYPE": "URL", f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": href},
    )


def _mets(writer: SipWriter, objid: str, label: str, *, representation: str = "",
          municipality: str = "") -> Iterator[bytes]:  # fmt: skip
    """The package's METS.xml (or a representation's), with every file's size and checksum."""
    sink = _Chunks()
    groups = (
        [representation]
        if representation
        else ["Documentation", "Schemas", *[f"Representations/{r}" for r in REPRESENTATIONS]]
    )
    root_attrs = {"OBJID": objid, "LABEL": label, "TYPE": "OTHER", f"{{{CSIP}}}OTHERTYPE": "Social media",
                  f"{{{CSIP}}}CONTENTINFORMATIONTYPE": "OTHER", f"{{{CSIP}}}OTHERCONTENTINFORMATIONTYPE": "sigill.record/1",
                  "PROFILE": "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"}  # fmt: skip
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{METS}}}mets", root_attrs, nsmap=NSMAP):
            header = etree.Element(
                f"{{{METS}}}metsHdr", {"CREATEDATE": writer.created, f"{{{CSIP}}}OAISPACKAGETYPE": "SIP"}
            )
            software = etree.SubElement(
                header, f"{{{METS}}}agent", {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"}
            )
            etree.SubElement(software, f"{{{METS}}}name").text = "Sigill"
            etree.SubElement(
                software, f"{{{METS}}}note", {f"{{{CSIP}}}NOTETYPE": "SOFTWARE VERSION"}
            ).text = SOFTWARE_VERSION
            submitter = etree.SubElement(
                header, f"{{{METS}}}agent", {"ROLE": "ARCHIVIST", "TYPE": "ORGANIZATION"}
            )
            etree.SubElement(submitter, f"{{{METS}}}name").text = municipality or municipality_name()
            xf.write(header)
            metadata = {} if representation else {e.path: e for e in writer.entries("metadata")}
            if metadata:
                for mdtype, path in (("OTHER", "metadata/descriptive/account.json"),
                                     ("PREMIS", "metadata/preservation/premis.xml")):  # fmt: skip
                    entry = metadata[path]
                    attrs = {"LOCTYPE": "URL", f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": path, "MDTYPE": mdtype,
                             "MIMETYPE": entry.mimetype, "SIZE": str(entry.size), "CREATED": entry.created,
                             "CHECKSUM": entry.sha256, "CHECKSUMTYPE": "SHA-256"}  # fmt: skip
                    if mdtype == "OTHER":
                        attrs["OTHERMDTYPE"] = "SIGILL-ACCOUNT"
                        sec = etree.Element(
                            f"{{{METS}}}dmdSec",
                            {"ID": "dmd-account", "CREATED": entry.created, "STATUS": "CURRENT"},
                        )
                        etree.SubElement(sec, f"{{{METS}}}mdRef", attrs)
                    else:
                        sec = etree.Element(f"{{{METS}}}amdSec")
                        digiprov = etree.SubElement(
                            sec, f"{{{METS}}}digiprovMD", {"ID": "digiprov-premis", "STATUS": "CURRENT"}
                        )
                        etree.SubElement(digiprov, f"{{{METS}}}mdRef", attrs)
                    xf.write(sec)
            with xf.element(f"{{{METS}}}fileSec", {"ID": "filesec"}):
                number = 0
                for group in groups:
                    with xf.element(
                        f"{{{METS}}}fileGrp",
                        {
                            "ID": f"grp-{group.replace('/', '-')}",
                            "USE": group if not representation else f"Representations/{group}",
                        },
                    ):
                        for entry in writer.entries(group):
                            number += 1
                            element = etree.Element(f"{{{METS}}}file", _file_attrs(entry, f"file-{number}"))
                            _flocat(element, entry.path)
                            xf.write(element)
                            yield from sink.take()
            struct = etree.Element(
                f"{{{METS}}}structMap", {"ID": "structmap", "TYPE": "PHYSICAL", "LABEL": "CSIP"}
            )
            top = etree.SubElement(struct, f"{{{METS}}}div", {"ID": "div-root", "LABEL": objid})
            if metadata:
                etree.SubElement(
                    top,
                    f"{{{METS}}}div",
                    {
                        "ID": "div-metadata",
                        "LABEL": "Metadata",
                        "DMDID": "dmd-account",
                        "ADMID": "digiprov-premis",
                    },
                )
            for group in groups:
                div = etree.SubElement(
                    top, f"{{{METS}}}div", {"ID": f"div-{group.replace('/', '-')}", "LABEL": group}
                )
                if group.startswith("Representations/"):
                    rep = group.split("/", 1)[1]
                    etree.SubElement(
                        div,
                        f"{{{METS}}}mptr",
                        {
                            "LOCTYPE": "URL",
                            f"{{{XLINK}}}type": "simple",
                            f"{{{XLINK}}}href": f"representations/{rep}/METS.xml",
                        },
                    )
                else:
                    etree.SubElement(div, f"{{{METS}}}fptr", {"FILEID": f"grp-{group.replace('/', '-')}"})
            xf.write(struct)
    yield from sink.take()


def tar_stream(root: Path) -> Iterator[bytes]:
    """The package folder as an uncompressed tar, produced a block at a time (nothing is kept)."""
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        info = tarfile.TarInfo(str(Path(root.name) / path.relative_to(root)))
        info.size, info.mtime, info.mode = path.stat().st_size, int(path.stat().st_mtime), 0o644
        yield info.tobuf(format=tarfile.PAX_FORMAT)
        with path.open("rb") as stored:
            yield from iter(lambda: stored.read(1 << 20), b"")
        if remainder := info.size % tarfile.BLOCKSIZE:
            yield b"\0" * (tarfile.BLOCKSIZE - remainder)
    yield b"\0" * (tarfile.BLOCKSIZE * 2)


def remove(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
