"""Long texts show as a preview with the whole text a click away; nothing with personal data is
kept in a browser's or proxy's cache."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sigill.organisation.models import User
from tests.conftest import signed_in_client
from tests.inquiries.fixtures import forward

pytestmark = pytest.mark.django_db


def test_a_100000_character_question_shows_as_a_preview_with_the_whole_text_behind_a_click(
    charlie: User,
) -> None:
    question = " ".join(["Hur går det med snöröjningen?"] * 3400)  # 101,999 characters
    inquiry = forward(charlie, question=question)
    page = signed_in_client(charlie).get(reverse("inquiries:detail", kwargs={"pk": inquiry.pk}))
    text = page.content.decode()
    preview = text.split('class="platform-text long-text__preview">')[1].split("</p>")[0]
    assert len(preview) <= 1500
    assert "Visa hela texten (101999 tecken)</summary>" in text
    assert question in text  # the whole text is there, one click away


def test_a_short_question_shows_whole_without_a_preview(charlie: User) -> None:
    inquiry = forward(charlie, question="När plogas Storgatan?")
    text = (
        signed_in_client(charlie).get(reverse("inquiries:detail", kwargs={"pk": inquiry.pk})).content.decode()
    )
    assert "När plogas Storgatan?" in text
    assert "Visa hela texten" not in text


def test_pages_and_downloads_for_a_signed_in_person_are_never_stored(charlie: User, alice: User) -> None:
    inquiry = forward(charlie)
    page = signed_in_client(charlie).get(reverse("inquiries:detail", kwargs={"pk": inquiry.pk}))
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    download = signed_in_client(alice).get(reverse("reports:csv", kwargs={"year": 2026, "month": 11}))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
