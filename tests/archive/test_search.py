"""Searching the archive in Swedish finds every inflected form, combines filters and pages stably."""

from __future__ import annotations

import datetime as dt

import pytest

from sigill.archive import services
from sigill.archive.capture import Author, Direction, Kind
from sigill.archive.models import Item
from sigill.archive.search import Filters, search, text
from sigill.archive.search.text import LEMMA_CACHE, Query, snippet
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import T0, comment, post

TEXTS = {
    "c-bibliotek": "Vilken bra bibliotek ni har.",
    "c-biblioteket": "Är biblioteket öppet i påsk?",
    "c-biblioteken": "Alla biblioteken i kommunen borde ha söndagsöppet.",
    "c-gata": "Det är en gata utan belysning.",
    "c-gatan": "Gatan är inte plogad!",
    "c-gator": "Varför plogas inga gator i Tråvad?",
    "c-badhuset": "Badhuset har stängt bastun igen.",
    "c-forskolan": "Förskolan behöver fler platser.",
    "c-skolmaten": "Skolmaten var god i dag.",
}


def found(filters: Filters) -> set[str]:
    return {hit.item.object_id for hit in search(filters, limit=100).hits}


@pytest.fixture
def archive(library: Account) -> Account:
    services.capture(
        [
            comment(library, key, text, published_at=T0 + dt.timedelta(minutes=i))
            for i, (key, text) in enumerate(TEXTS.items())
        ]
    )
    return library


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bibliotek", {"c-bibliotek", "c-biblioteket", "c-biblioteken"}),
        ("biblioteket", {"c-bibliotek", "c-biblioteket", "c-biblioteken"}),
        ("biblioteken", {"c-bibliotek", "c-biblioteket", "c-biblioteken"}),
        ("gata", {"c-gata", "c-gatan", "c-gator"}),
        ("gatan", {"c-gata", "c-gatan", "c-gator"}),
        ("badhus", {"c-badhuset"}),
        ("förskola", {"c-forskolan"}),
        ("skolmat", {"c-skolmaten"}),
        ("GATOR", {"c-gata", "c-gatan", "c-gator"}),
        ("gata plogad", {"c-gatan", "c-gator"}),  # "plogas" and "plogad" share the lemma "ploga"
        ("simhall", set()),
    ],
)
def test_inflected_forms_match_both_ways(archive: Account, query: str, expected: set[str]) -> None:
    assert found(Filters(text=query)) == expected


def test_a_number_is_found_as_written_and_lemmas_are_not_pushed_out_by_many_numbers(archive: Account) -> None:
    """Numbers (ids, phone numbers, dates) are their own lemma and kept out of the lemma cache, so
    an export of many distinct numbers neither fills memory nor changes what a word finds."""
    services.capture([comment(archive, "c-number", "Ring 0701234567 om bastun, ärende 2025-314.")])
    assert found(Filters(text="0701234567")) == {"c-number"}
    assert found(Filters(text="314")) == {"c-number"}
    cached = text._dictionary_lemma.cache_info().currsize
    for number in range(LEMMA_CACHE + 1):
        assert text.lemma(str(number)) == str(number)
    assert text._dictionary_lemma.cache_info().currsize == cached, "no number took a word's place"
    assert found(Filters(text="biblioteken")) == {"c-bibliotek", "c-biblioteket", "c-biblioteken"}


def test_query_syntax_is_only_words(archive: Account) -> None:
    """Operators and quotes in a query are words to look for, never syntax."""
    assert found(Filters(text='gata" OR "bibliotek* NEAR( -')) == set()
    assert found(Filters(text="'gatan' | !")) == {"c-gata", "c-gatan", "c-gator"}


def test_filters_combine(library: Account, streets: Account) -> None:
    services.capture(
        [
            comment(library, "lib-comment", "Snöröjningen vid biblioteket är dålig.", published_at=T0),
            post(library, "lib-post", "Vi har skottat snö vid biblioteket.", published_at=T0),
            comment(streets, "street-comment", "Snöröjningen på gatan är dålig.", published_at=T0),
            comment(
                streets,
                "street-late",
                "Snöröjning igen!",
                published_at=T0 + dt.timedelta(days=30),
                author=Author(display_name="Olle Berg", handle="olle"),
            ),
        ]
    )
    services.capture([comment(streets, "street-comment", "", seen_gone=True)])
    assert found(Filters(text="snöröjning")) == {"lib-comment", "street-comment", "street-late"}
    assert found(Filters(text="snöröjning", accounts=[library.pk])) == {"lib-comment"}
    assert found(Filters(text="biblioteket", direction=Direction.DRAWN_UP)) == {"lib-post"}
    assert found(Filters(kind=Kind.POST)) == {"lib-post"}
    assert found(Filters(text="snöröjning", removed=True)) == {"street-comment"}
    assert found(Filters(text="snöröjning", removed=False, accounts=[streets.pk])) == {"street-late"}
    assert found(Filters(author="OLLE")) == {"street-late"}
    assert found(Filters(author="greta", since=T0 + dt.timedelta(days=1))) == set()
    assert found(Filters(until=T0 + dt.timedelta(days=1), accounts=[streets.pk])) == {"street-comment"}
    assert found(Filters(platform=library.platform_id, text="dålig")) == {"lib-comment", "street-comment"}


def test_keyset_pages_are_stable_while_new_items_arrive(library: Account) -> None:
    services.capture(
        [
            comment(
                library, f"c-{i:02}", f"Tack för boken nummer {i}", published_at=T0 + dt.timedelta(hours=i)
            )
            for i in range(25)
        ]
    )
    first = search(Filters(text="boken"), limit=10)
    assert [h.item.object_id for h in first.hits] == [f"c-{i:02}" for i in range(24, 14, -1)]
    services.capture([comment(library, "c-new", "Ännu en bok", published_at=T0 + dt.timedelta(days=9))])
    second = search(Filters(text="boken"), after=first.next_cursor, limit=10)
    assert [h.item.object_id for h in second.hits] == [f"c-{i:02}" for i in range(14, 4, -1)]
    third = search(Filters(text="boken"), after=second.next_cursor, limit=10)
    assert [h.item.object_id for h in third.hits] == [f"c-{i:02}" for i in range(4, -1, -1)]
    assert third.next_cursor is None


def test_secret_items_are_left_out_unless_asked_for(archive: Account, alice: User) -> None:
    services.mark_secret(item=Item.objects.get(object_id="c-gatan"), provision="OSL 26 kap. 1 §", by=alice)
    assert found(Filters(text="gata")) == {"c-gata", "c-gator"}
    assert found(Filters(text="gata", include_secret=True)) == {"c-gata", "c-gatan", "c-gator"}


def test_a_snippet_marks_every_inflected_hit() -> None:
    segments = snippet("Gatan vid biblioteket och andra gator.", Query.parse("gata"))
    assert [s.text for s in segments if s.hit] == ["Gatan", "gator"]
    assert "".join(s.text for s in segments) == "Gatan vid biblioteket och andra gator."
