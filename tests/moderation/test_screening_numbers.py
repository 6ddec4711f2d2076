"""The detectors of numbers and contact details: what they find, and the hard negatives they leave."""

from __future__ import annotations

import pytest

from sigill.moderation.screening import screen


def found(text: str, prefix: str = "pii.") -> list[tuple[str, str]]:
    """(type, exact substring) of every finding whose type starts with ``prefix``."""
    return [(f.type.value, text[f.start : f.end]) for f in screen(text) if f.type.value.startswith(prefix)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Mitt pnr är 811228-9874.", "811228-9874", id="ten-digits-hyphen"),
        pytest.param("19811228-9874", "19811228-9874", id="twelve-digits-hyphen"),
        pytest.param("Skicka till 8112289874 tack", "8112289874", id="ten-digits-bare"),
        pytest.param("pnr 198112289874", "198112289874", id="twelve-digits-bare"),
        pytest.param("811228 - 9874", "811228 - 9874", id="spaced-hyphen"),
        pytest.param("19811228 9874", "19811228 9874", id="space-separator"),
        pytest.param("81 12 28-98 74", "81 12 28-98 74", id="spaces-inside"),
        pytest.param("811228+9874", "811228+9874", id="plus-for-a-centenarian"),
        pytest.param("19561111–8935", "19561111–8935", id="en-dash"),
        pytest.param("pnr:8112289874", "8112289874", id="after-a-colon"),
        pytest.param("född 680229-3180", "680229-3180", id="leap-day"),
    ],
)
def test_it_finds_identity_numbers_in_every_written_form(text: str, expected: str) -> None:
    assert found(text) == [("pii.personnummer", expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("850374-2341", "850374-2341", id="ten-digits"),
        pytest.param("Samordningsnummer 19921162-5174.", "19921162-5174", id="twelve-digits"),
        pytest.param("010888 4024", "010888 4024", id="space"),
    ],
)
def test_it_tells_coordination_numbers_from_identity_numbers(text: str, expected: str) -> None:
    assert found(text) == [("pii.samordningsnummer", expected)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Numret 811228-9875 finns inte.", id="wrong-check-digit"),
        pytest.param("811328-9872 är påhittat.", id="month-13"),
        pytest.param("810230-1234", id="february-30th"),
        pytest.param("Mötet hölls 2024-03-15.", id="date"),
        pytest.param("Diarienummer KS 2023/0451", id="diarienummer"),
        pytest.param("Fakturanummer 8112289874", id="invoice-number"),
        pytest.param("Ordernummer: 811228-9874", id="order-number"),
        pytest.param("OCR 4000913909960300", id="ocr-reference"),
        pytest.param("Referensnummer 900101-5552", id="reference"),
        pytest.param("5566778899 är vårt organisationsnummer", id="organisation-number"),
        pytest.param("Det kostar 12 500 000 kronor.", id="price"),
    ],
)
def test_it_leaves_numbers_that_are_not_identity_numbers_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Ring 070-123 45 67.", "070-123 45 67", id="mobile-grouped"),
        pytest.param("Ring 0701234567.", "0701234567", id="mobile-bare"),
        pytest.param("070 – 123 45 67", "070 – 123 45 67", id="en-dash-with-spaces"),
        pytest.param("Ring 070.123.45.67", "070.123.45.67", id="dots"),
        pytest.param("+46 70 555 12 34", "+46 70 555 12 34", id="country-code"),
        pytest.param("+46(0)70-555 12 34", "+46(0)70-555 12 34", id="country-code-with-trunk-zero"),
        pytest.param("0046 76 123 45 67", "0046 76 123 45 67", id="double-zero"),
        pytest.param("08-123 456 78", "08-123 456 78", id="stockholm"),
        pytest.param("Hem: (0512) 123 45", "(0512) 123 45", id="area-code-in-brackets"),
        pytest.param("+47 912 34 567", "+47 912 34 567", id="norway"),
        pytest.param("+44 20 7946 0958", "+44 20 7946 0958", id="united-kingdom"),
        pytest.param("Ring 070-123 45 67 2 gånger", "070-123 45 67", id="trailing-number-left-out"),
    ],
)
def test_it_finds_phone_numbers_with_any_spacing(text: str, expected: str) -> None:
    assert found(text) == [("pii.phone", expected)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Öppet 08.00–17.00 på vardagar.", id="opening-hours"),
        pytest.param("Öppet 08-17", id="short-opening-hours"),
        pytest.param("Vägen var stängd 2023-11-02.", id="date"),
        pytest.param("Det kostade 070 123 kr.", id="too-few-digits"),
        pytest.param("Ordernummer 0701234567", id="order-number"),
        pytest.param("12 500 kr", id="price"),
        pytest.param("Gamla bussnummer 070 och 073", id="bus-lines"),
    ],
)
def test_it_leaves_numbers_that_are_not_phone_numbers_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Mejla anna.karlsson@gmail.com.", "anna.karlsson@gmail.com", id="plain"),
        pytest.param("Svara Anna.K@Gmail.COM tack", "Anna.K@Gmail.COM", id="capitals"),
        pytest.param("maja.s@student.gu.se.", "maja.s@student.gu.se", id="subdomain"),
        pytest.param("lena (at) telia.se", "lena (at) telia.se", id="written-at"),
        pytest.param("per[at]hotmail.se", "per[at]hotmail.se", id="bracketed-at"),
    ],
)
def test_it_finds_email_addresses(text: str, expected: str) -> None:
    assert found(text) == [("pii.email", expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Jag bor på Storgatan 12B, 534 31 Vara.", "Storgatan 12B, 534 31 Vara", id="full"),
        pytest.param("Björkvägen 7 har inte plogats", "Björkvägen 7", id="street-and-number"),
        pytest.param("Parkgatan 22 A, 534 32 Vara", "Parkgatan 22 A, 534 32 Vara", id="spaced-letter"),
        pytest.param("Kyrkogatan 3, lgh 1102, 534 30 Vara", "Kyrkogatan 3, lgh 1102, 534 30 Vara", id="flat"),
        pytest.param("Gamla vägen 5", "Gamla vägen 5", id="two-word-name"),
        pytest.param("bor på storgatan 12", "storgatan 12", id="lower-case"),
    ],
)
def test_it_finds_street_addresses(text: str, expected: str) -> None:
    assert found(text) == [("pii.address", expected)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Storgatan är full av snö.", id="street-without-number"),
        pytest.param("Storgatan 2–8 är avstängd.", id="stretch-of-road-works"),
        pytest.param("Det tar 2 minuter, vägen 5 km.", id="bare-suffix"),
        pytest.param("Hela Storgatan 2 veckor till.", id="number-with-unit"),
        pytest.param("Riksväg 47 är avstängd.", id="national-road"),
    ],
)
def test_it_leaves_streets_that_are_not_addresses_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Kortet 4571 5260 1815 9082", "4571 5260 1815 9082", id="card-grouped"),
        pytest.param("kort 5412-3016-6131-8603", "5412-3016-6131-8603", id="card-hyphens"),
        pytest.param("Kort 5190824628194823", "5190824628194823", id="card-bare"),
        pytest.param("SE45 5000 0000 0583 9825 7466", "SE45 5000 0000 0583 9825 7466", id="iban-grouped"),
        pytest.param("IBAN NO9386011117947", "NO9386011117947", id="iban-norway"),
        pytest.param("bankgiro 567-8909", "567-8909", id="bankgiro"),
        pytest.param("Plusgiro 90184-3", "90184-3", id="plusgiro"),
        pytest.param("konto: 8327-9, 123 456 789-7", "8327-9, 123 456 789-7", id="swedbank-mod10"),
        pytest.param("kontonummer 6789 123 456 789", "6789 123 456 789", id="handelsbanken-mod11"),
        pytest.param("konto 5001-1234563", "5001-1234563", id="seb-mod11-with-clearing"),
    ],
)
def test_it_finds_bank_numbers_by_their_check_digits(text: str, expected: str) -> None:
    assert found(text) == [("pii.bank", expected)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Kortet 4571 5260 1815 9083", id="card-wrong-check-digit"),
        pytest.param("SE45 5000 0000 0583 9825 7467", id="iban-wrong-check-digits"),
        pytest.param("bankgiro 567-8908", id="bankgiro-wrong-check-digit"),
        pytest.param("Ärende 567-8909", id="bankgiro-shape-without-keyword"),
        pytest.param("Kundnummer 5412301661318603", id="customer-number"),
        pytest.param("Kortet slutar på 9082", id="last-four-digits"),
    ],
)
def test_it_leaves_numbers_that_are_not_bank_numbers_alone(text: str) -> None:
    assert found(text) == []


def test_a_number_is_one_kind_of_personal_data_not_two() -> None:
    """A personal account at Nordea is numbered by the identity number: it is reported once."""
    assert found("Nordea personkonto 811228-9874") == [("pii.personnummer", "811228-9874")]


def test_the_allow_list_keeps_the_municipalitys_own_contact_details_quiet() -> None:
    text = "Ring 0512 31000, mejla Kontaktcenter@vara.se eller kom till Torggatan 19, 534 30 Vara. Min: 070-123 45 67"
    allow_list = ["0512-310 00", "kontaktcenter@vara.se", "Torggatan 19"]
    findings = screen(text, allow_list=allow_list)
    assert [(f.type.value, text[f.start : f.end]) for f in findings] == [("pii.phone", "070-123 45 67")]


def test_an_allowed_address_does_not_allow_a_neighbouring_house_number() -> None:
    findings = screen("Torggatan 191", allow_list=["Torggatan 19"])
    assert [f.type.value for f in findings] == ["pii.address"]


def test_a_number_finding_names_its_detector_and_explains_itself_in_swedish() -> None:
    (finding,) = screen("811228-9874")
    assert finding.detector == "identity_number"
    assert finding.lexicon is None
    assert finding.explanation == "Ser ut som ett personnummer (datumet och kontrollsiffran stämmer)."
    assert 0.9 <= finding.confidence <= 1.0
