"""XML from outside is read with entities, external references and document types refused."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from sigill.core.safe_xml import UnsafeXmlError, check_xml

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%s;" % (b"" if n == 1 else b"%d" % (n - 1)) * 10)
        for n in range(1, 10)
    )
    + b"]><a>&lol9;</a>"
)


@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        (LAUGHS, "a.xml defines the entity “lol”: entity expansion (a “billion laughs”)"),
        (
            b'<!DOCTYPE a [<!ENTITY s SYSTEM "file:///etc/passwd">]><a>&s;</a>',
            "a.xml defines the external entity “s” (file:///etc/passwd)",
        ),
        (
            b'<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p">%p;]><a/>',
            "a.xml defines the external entity “p” (http://127.0.0.1:9/p)",
        ),
        (
            b'<!DOCTYPE a PUBLIC "-//A//EN" "http://127.0.0.1:9/a.dtd"><a/>',
            "a.xml refers to an outside document (http://127.0.0.1:9/a.dtd)",
        ),
        (b"<!DOCTYPE a [<!ELEMENT a ANY>]><a/>", "a.xml declares a document type (DTD)"),
        ("<!DOCTYPE a [<!ENTITY lol 'lol'>]><a>&lol;</a>".encode("utf-16"), "a.xml defines the entity “lol”"),
        (b"<a><b></a>", "a.xml is not well-formed XML (line 1, column 9)."),
        (b"", "a.xml is not well-formed XML (line 1, column 1)."),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "parameter-entity",
        "outside-dtd",
        "dtd",
        "utf-16",
        "broken",
        "empty",
    ],
)
def test_xml_with_entities_a_dtd_or_broken_is_refused_naming_the_part_and_the_problem(
    xml: bytes, problem: str
) -> None:
    with translation.override("en"), pytest.raises(UnsafeXmlError) as refused:
        check_xml(io.BytesIO(xml), part="a.xml")
    assert str(refused.value).startswith(problem)


def test_ordinary_xml_with_character_references_passes_in_any_encoding() -> None:
    check_xml(io.BytesIO(b'<?xml version="1.0"?><a x="1">Sk&#246;vde &amp; Vara</a>'), part="a.xml")
    check_xml(
        io.BytesIO('<?xml version="1.0" encoding="UTF-16"?><a>Skövde</a>'.encode("utf-16")), part="a.xml"
    )


def test_a_long_value_is_shown_cut_short() -> None:
    target = "http://127.0.0.1:9/" + "x" * 500
    with pytest.raises(UnsafeXmlError) as refused:
        check_xml(io.BytesIO(f'<!DOCTYPE a SYSTEM "{target}"><a/>'.encode()), part="a.xml")
    assert target[:100] + "…" in str(refused.value) and target not in str(refused.value)


def test_no_code_but_safe_xml_parses_xml_itself() -> None:
    """Every other reader of XML goes through check_xml first: openpyxl is given a spreadsheet
    only by the account import, after every part passed it. A new parser call must do the same."""
    parsers = re.compile(
        r"\b(fromstring|iterparse|XMLParser|XMLPullParser|parseString|ParserCreate|make_parser)\("
        r"|\b(etree|ET|ElementTree|minidom|pulldom|sax|expatbuilder)\.parse\("
        r"|\bload_workbook\("
    )
    calls = {
        path.relative_to(settings.BASE_DIR).as_posix()
        for path in Path(settings.BASE_DIR, "src").rglob("*.py")
        if path.name != "safe_xml.py" and parsers.search(path.read_text())
    }
    assert calls == {"src/sigill/registry/importing.py"}
