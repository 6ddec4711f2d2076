"""The pre-publication checks as pure functions: what an editor is told about a text."""

from __future__ import annotations

from sigill.publishing.checks import (
    capitals_runs,
    emoji_runs,
    hashtags_not_in_camel_case,
    lix,
    long_sentences,
    officialese,
    reads_hard,
)
from sigill.publishing.checks.post import Hit, Media, Post, Sender, can_be_overridden, check_post

ACTIVE = Sender(is_active=True, profile_passed=True)


def codes(post: Post, hits: list[Hit] | None = None, sender: Sender = ACTIVE) -> list[str]:
    return [finding.code for finding in check_post(post, hits=hits or [], sender=sender)]


def test_a_hashtag_of_several_words_in_small_letters_is_pointed_out() -> None:
    assert hashtags_not_in_camel_case("Läs mer #varabibliotek #VaraKommun #vara") == ["#varabibliotek"]


def test_one_abbreviation_in_capitals_is_fine_but_a_shouted_sentence_is_not() -> None:
    assert capitals_runs("SMHI varnar för storm i Vara.") == []
    assert capitals_runs("VIKTIGT: KOKA VATTNET INNAN du dricker det.") == ["VIKTIGT: KOKA VATTNET INNAN"]


def test_three_emoji_in_a_row_make_a_run_and_a_flag_counts_as_one() -> None:
    assert emoji_runs("God jul 🎄") == []
    assert emoji_runs("Sommar! 🌞🌞 🏖️ Ha det bra") == ["🌞🌞 🏖️"]
    assert emoji_runs("Heja 🇸🇪🇸🇪") == []


def test_lix_is_sentence_length_plus_the_share_of_long_words() -> None:
    # 4 words, 1 sentence, 1 long word (biblioteket): 4 + 25.
    assert lix("Biblioteket har öppet idag.") == 29


def test_a_sentence_of_more_than_25_words_is_long() -> None:
    long = " ".join(["ord"] * 26) + "."
    assert long_sentences(f"Kort mening. {long}") == [long]


def test_officialese_comes_with_the_everyday_word() -> None:
    assert officialese("Vi vill härmed erinra om avgiften avseende sophämtning.") == [
        ("härmed", "(stryk)"),
        ("erinra", "påminna"),
        ("avseende", "om"),
    ]


def test_a_short_plain_post_does_not_read_hard_but_officialese_at_length_does() -> None:
    assert not reads_hard("Nu börjar vi snöröja gång- och cykelvägar.")
    assert reads_hard(
        "Med anledning av den rådande situationen avseende vattenförsörjningen inom kommunens "
        "verksamhetsområde vill förvaltningen härmed informera om att avbrott kan förekomma."
    )


def test_personal_data_and_secrecy_block_and_may_be_overridden() -> None:
    findings = check_post(
        Post("Ring Kalle på 070-123 45 67"), hits=[Hit("pii.phone", "070-123 45 67")], sender=ACTIVE
    )
    assert [(finding.code, finding.blocks, can_be_overridden(finding)) for finding in findings] == [
        ("screening.personal_data", True, True)
    ]
    assert codes(Post("Eleven har diagnosen"), [Hit("sensitive.health", "diagnosen")]) == [
        "screening.secrecy"
    ]


def test_a_text_over_the_platforms_limit_blocks_and_cannot_be_overridden() -> None:
    [finding] = check_post(Post("a" * 501, limit=500), hits=[], sender=ACTIVE)
    assert (finding.code, finding.value, finding.limit, can_be_overridden(finding)) == (
        "length.over_limit",
        501,
        500,
        False,
    )


def test_a_video_without_captions_and_an_image_named_by_its_file_are_pointed_out() -> None:
    media = [
        Media("image", "IMG_1234.jpg"),
        Media("video", "Biblioteket visar nya läsesalen", False, "Ingen röst"),
    ]
    assert codes(Post("Hej", media=media)) == ["accessibility.weak_alt_text", "accessibility.no_captions"]


def test_a_paused_account_blocks_and_an_unchecked_profile_is_advised() -> None:
    assert codes(Post("Hej"), sender=Sender(is_active=False, profile_passed=None)) == [
        "sender.account_not_active",
        "sender.profile_unchecked",
    ]


def test_a_first_comment_where_the_platform_has_none_is_a_warning() -> None:
    assert codes(Post("Hej", first_comment="Mer info", has_first_comment=False)) == [
        "first_comment.unsupported"
    ]
