"""Reading XML from outside: no entity expansion, no external entity, no document type.

An XML file from outside (a part of an uploaded spreadsheet) is read through :func:`check_xml`
before any library parses it. It streams the file through defusedxml's parser, which builds
nothing, and refuses, naming the problem: an entity definition (what a "billion laughs" expands
to fill the memory), an external entity or outside document (what reads a file on the server or
an address on the network), a document type (DTD) at all (a DTD is how both get in, and no
program that writes the files Sigill reads writes one), and XML that is not well-formed.
"""

from __future__ import annotations

from typing import IO, Any

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
# How much of an outside name or address (a part's name, an entity's target) a message repeats.
SHOWN = 100


class UnsafeXmlError(ValueError):
    """The XML was refused; the message (translated) names the part and the problem."""


class _Discard:
    """A parser target that keeps nothing: the check needs the parser's events, not a tree."""


def check_xml(stream: IO[bytes], *, part: str) -> None:
    """Read ``stream`` to its end; raise :class:`UnsafeXmlError` at the first thing refused."""
    parser = DefusedXMLParser(target=_Discard(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    # Entities are declared inside a DTD, so a DTD is refused at its end: an entity in it is
    # refused first, by name, which says more than "a DTD".
    doctype: dict[str, Any] = {}
    expat = parser.parser

    def start_doctype(name: str, sysid: str | None, pubid: str | None, _internal: int) -> None:
        doctype.update(name=name, sysid=sysid, pubid=pubid)

    def end_doctype() -> None:
        raise DTDForbidden(doctype.get("name"), doctype.get("sysid"), doctype.get("pubid"))

    expat.StartDoctypeDeclHandler = start_doctype
    expat.EndDoctypeDeclHandler = end_doctype
    try:
        while chunk := stream.read(CHUNK):
            parser.feed(chunk)
        parser.close()
    except DefusedXmlException as refused:
        raise UnsafeXmlError(_refusal(refused, _shown(part))) from refused
    except ParseError as broken:
        line, column = broken.position
        raise UnsafeXmlError(
            _("%(part)s is not well-formed XML (line %(line)s, column %(column)s).")
            % {"part": _shown(part), "line": line, "column": column + 1}
        ) from broken


def _refusal(refused: DefusedXmlException, part: str) -> str:
    outside = getattr(refused, "sysid", None) or getattr(refused, "pubid", None)
    if isinstance(refused, EntitiesForbidden) and outside:
        return _(
            "%(part)s defines the external entity “%(entity)s” (%(target)s), which would read a "
            "file on the server or an address on the network; the file is refused unread."
        ) % {"part": part, "entity": _shown(refused.name), "target": _shown(outside)}
    if isinstance(refused, EntitiesForbidden):
        return _(
            "%(part)s defines the entity “%(entity)s”: entity expansion (a “billion laughs”) can "
            "make a small file fill the server's memory; the file is refused unread."
        ) % {"part": part, "entity": _shown(refused.name)}
    if outside:
        return _(
            "%(part)s refers to an outside document (%(target)s), which Sigill never fetches; the "
            "file is refused unread."
        ) % {"part": part, "target": _shown(outside)}
    return _(
        "%(part)s declares a document type (DTD), which the programs that write such files never "
        "do (a DTD is how entity expansion and external entities get in); the file is refused unread."
    ) % {"part": part}


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"
