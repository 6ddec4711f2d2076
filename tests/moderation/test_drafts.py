"""The pre-publication check's accessibility hints and the drafted reply, as an editor reads them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from sigill.moderation import drafts


@pytest.fixture(autouse=True)
def _swedish() -> Iterator[None]:
    with translation.override("sv"):
        yield


def hints(text: str, *, images: int = 0, alt_texts: list[str] | None = None) -> list[drafts.Hint]:
    return drafts.accessibility_hints(text, images=images, alt_texts=alt_texts or [])


def test_a_plain_post_gets_no_hints() -> None:
    assert hints("Välkommen till bibliotekets sagostund på lördag klockan 11! #VaraBibliotek 📚") == []


@pytest.mark.parametrize(
    ("images", "alt_texts", "missing"),
    [
        (1, [], "1 av 1 bilder"),
        (3, ["Barn läser i soffan", ""], "2 av 3 bilder"),
        (2, ["Barn läser", "   "], "1 av 2 bilder"),
    ],
)
def test_images_without_a_description_are_counted(images: int, alt_texts: list[str], missing: str) -> None:
    [hint] = hints("Sagostund", images=images, alt_texts=alt_texts)
    assert hint.text.startswith(missing)
    assert "skärmläsar" in hint.text


def test_every_image_described_gives_no_hint() -> None:
    assert hints("Sagostund", images=2, alt_texts=["Barn läser i soffan", "Bibliotekarien läser högt"]) == []


@pytest.mark.parametrize("tag", ["#varabibliotek", "#VARABIBLIOTEK", "#sommarlovsaktiviteter"])
def test_a_long_hashtag_in_one_case_is_asked_for_in_camel_case(tag: str) -> None:
    found = [hint for hint in hints(f"Kom och läs {tag}") if "versal i varje ord" in hint.text]
    assert [hint.excerpt for hint in found] == [tag]


@pytest.mark.parametrize("tag", ["#VaraBibliotek", "#vara", "#SommarlovsAktiviteter", "#2026"])
def test_short_or_camel_case_hashtags_are_fine(tag: str) -> None:
    assert not [hint for hint in hints(f"Kom och läs {tag}") if "versal i varje ord" in hint.text]


def test_text_in_capitals_is_pointed_out_with_the_shouted_words() -> None:
    [hint] = hints("VIKTIGT! SIMHALLEN STÄNGER i morgon")
    assert "versaler" in hint.text
    assert hint.excerpt == "VIKTIGT SIMHALLEN STÄNGER"


def test_capitals_with_letters_beyond_a_to_o_count_too() -> None:
    [hint] = hints("KAFÉET ÖPPNAR IGEN")
    assert hint.excerpt == "KAFÉET ÖPPNAR IGEN"


def test_one_or_two_abbreviations_are_not_shouting() -> None:
    assert hints("Information från SVT och SMHI om stormen") == []


@pytest.mark.parametrize("text", ["Välkomna! 🎉🎈🎊", "Välkomna! 🎉 🎈 🎊", "🌞🌞🌞🌞 sommarlov!"])
def test_many_emoji_in_a_row_are_pointed_out(text: str) -> None:
    [hint] = hints(text)
    assert "emoji" in hint.text
    assert hint.excerpt.strip() and hint.excerpt.replace(" ", "") in text.replace(" ", "")


@pytest.mark.parametrize(
    "text",
    [
        "Tack 👍🏽👍🏽",  # two thumbs with a skin tone are two emoji, not four
        "Hej från 🇸🇪",  # a flag is one emoji made of two characters
        "Familjedag 👨‍👩‍👧 i parken",  # one family, joined by zero-width joiners
        "Sol ☀️ och bad 🏊",  # emoji apart, with words between
    ],
)
def test_emoji_as_a_reader_sees_them_are_counted_once(text: str) -> None:
    assert hints(text) == []


def test_three_flags_in_a_row_are_three_emoji() -> None:
    [hint] = hints("Välkomna 🇸🇪🇳🇴🇩🇰")
    assert hint.excerpt == "🇸🇪🇳🇴🇩🇰"


def test_the_drafted_reply_greets_by_first_name_thanks_and_signs_with_the_account() -> None:
    draft = drafts.reply_draft(
        author="Greta Svensson", is_question=False, moderator="Erik", account="Vara stadsbibliotek"
    )
    assert draft == "Hej Greta!\n\nTack för din kommentar.\n\nVänliga hälsningar\nErik, Vara stadsbibliotek"


def test_the_drafted_reply_to_a_question_thanks_for_the_question() -> None:
    draft = drafts.reply_draft(author="@greta.s", is_question=True, moderator="", account="Vara bibliotek")
    assert draft.splitlines()[:3] == ["Hej greta.s!", "", "Tack för din fråga."]
    assert draft.endswith("Vänliga hälsningar\nVara bibliotek")


def test_the_drafted_reply_to_an_anonymous_author_just_says_hello() -> None:
    assert drafts.reply_draft(author=" ", is_question=False, moderator="", account="").startswith("Hej!\n\n")
