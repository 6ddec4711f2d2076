"""The screens, through the real stack: forwarding, the queue's forms, what each person sees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sigill.inquiries import services
from sigill.inquiries.models import Inquiry
from sigill.organisation.models import User
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_an_employee_forwards_a_question_and_sees_it(charlie: User) -> None:
    client = signed_in_client(charlie)
    response = client.post(
        reverse("inquiries:create"),
        {
            "asked_where": "Fråga på föräldramöte",
            "question": "Vad blir det för skollunch på fredag?",
            "asker_contact": "",
            "asked_at": "2026-11-20T18:30",
        },
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == inquiry.get_absolute_url()
    assert inquiry.forwarded_by == charlie
    assert list(client.get(reverse("inquiries:list")).context["own"]) == [inquiry]


def test_a_question_without_text_is_answered_422_with_the_field_named(charlie: User) -> None:
    response = signed_in_client(charlie).post(
        reverse("inquiries:create"), {"asked_where": "Mejl", "question": "", "asked_at": "2026-11-20T18:30"}
    )
    assert response.status_code == 422
    assert "question" in response.context["form"].errors
    assert not Inquiry.objects.exists()


def test_the_queue_shows_open_inquiries_with_time_left(charlies_question: Inquiry, frida: User) -> None:
    response = signed_in_client(frida).get(reverse("inquiries:queue"))
    assert list(response.context["page"]) == [charlies_question]
    assert "kvar" in response.content.decode() or "left" in response.content.decode()


def test_answering_without_text_is_refused_on_the_form(charlies_question: Inquiry, frida: User) -> None:
    response = signed_in_client(frida).post(
        reverse("inquiries:answer", kwargs={"pk": charlies_question.pk}), {"answer-text": ""}
    )
    assert response.status_code == 422
    charlies_question.refresh_from_db()
    assert charlies_question.state == Inquiry.State.OPEN


def test_the_contact_center_answers_and_closes_through_the_forms(
    charlies_question: Inquiry, frida: User
) -> None:
    client = signed_in_client(frida)
    kwargs = {"pk": charlies_question.pk}
    assigned = client.post(reverse("inquiries:assign", kwargs=kwargs), {"assign-assignee": frida.pk})
    assert assigned.status_code == 302
    client.post(reverse("inquiries:answer", kwargs=kwargs), {"answer-text": "Plogas i dag."})
    response = client.post(reverse("inquiries:close", kwargs=kwargs), {"close-text": ""})
    assert response.status_code == 302
    charlies_question.refresh_from_db()
    assert (charlies_question.state, charlies_question.assigned_to) == (Inquiry.State.CLOSED, frida)


def test_the_queue_and_the_search_read_the_same_number_of_rows_for_many_inquiries(
    charlie: User, frida: User, dana: User, django_assert_max_num_queries
) -> None:
    from tests.inquiries.fixtures import forward

    for number in range(3):
        forward(charlie, f"Fråga {number}?")
    queries = {}
    for name, person in (("inquiries:queue", frida), ("inquiries:list", dana)):
        client = signed_in_client(person)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse(name))
        queries[name] = len(few)
    for number in range(10):
        forward(charlie, f"Mer {number}?")
    for name, person in (("inquiries:queue", frida), ("inquiries:list", dana)):
        client = signed_in_client(person)
        with django_assert_max_num_queries(queries[name]):
            client.get(reverse(name))


def forward_many(charlie: User, count: int) -> None:
    for number in range(count):
        services.create_inquiry(
            question=f"Fråga nummer {number}: när töms soporna?",
            asked_where="Min privata Facebook",
            asked_at=timezone.now(),
            source=Inquiry.Source.ESERVICE,
            by=charlie,
        )


def test_a_long_list_of_forwarded_questions_is_paged_with_the_total_shown(charlie: User) -> None:
    forward_many(charlie, 30)
    client = signed_in_client(charlie)
    first = client.get(reverse("inquiries:list")).content.decode()
    assert first.count("Fråga nummer") == 25
    assert "Sida 1 av 2 (30 totalt)" in first
    second = client.get(reverse("inquiries:list"), {"mine": 2}).content.decode()
    assert second.count("Fråga nummer") == 5


def test_the_search_keeps_its_filters_from_page_to_page(charlie: User, frida: User) -> None:
    forward_many(charlie, 60)
    page = signed_in_client(frida).get(reverse("inquiries:list"), {"q": "soporna"}).content.decode()
    assert "Sida 1 av 2 (60 totalt)" in page
    assert 'href="?q=soporna&amp;page=2"' in page


def test_the_contact_centers_queue_is_paged(charlie: User, frida: User) -> None:
    forward_many(charlie, 55)
    page = signed_in_client(frida).get(reverse("inquiries:queue")).content.decode()
    assert page.count("Fråga nummer") == 50
    assert "Sida 1 av 2 (55 totalt)" in page


def test_two_paged_lists_on_one_page_name_their_pagers_apart(charlie: User, frida: User) -> None:
    for number in range(60):
        services.create_inquiry(
            question=f"Fråga nummer {number}",
            asked_where="Min privata Facebook",
            asked_at=timezone.now(),
            source=Inquiry.Source.ESERVICE,
            by=frida,
        )
    page = signed_in_client(frida).get(reverse("inquiries:list")).content.decode()
    assert 'aria-label="Sidor med dina frågor"' in page and 'aria-label="Sidor"' in page
