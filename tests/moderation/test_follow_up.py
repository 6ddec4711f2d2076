"""What follows a decision: bulk decisions from the queue, registering an individual case, a reply
drafted for the platform, the message telling the author which rule applied, and comms' word-list
page with the moderators' feedback."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from sigill.compliance.selectors import policy_url
from sigill.core.models import AuditEntry
from sigill.moderation import engine, platform_acts, selectors, services
from sigill.moderation.models import Case, CaseFinding, Decision, PlatformAct, Registration
from sigill.moderation.templatetags.moderation import WORD_LIST_LABELS, detector_label, word_list_label
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.moderation.conftest import PERSONNUMMER, PlatformRecorder, arrive, choose

pytestmark = pytest.mark.django_db


def told(response: object) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def bulk(client: Client, cases: list[Case], **fields: str) -> object:
    return client.post(
        reverse("moderation:bulk"), {"cases": [case.pk for case in cases], **fields}, follow=True
    )


# Bulk decisions ----------------------------------------------------------------------------------


def test_an_editor_keeps_many_comments_with_one_decision(library: Account, erik: User) -> None:
    cases = arrive(*(comment(library, f"c-{n}", f"Tack för tipset nummer {n}!") for n in range(3)))
    response = bulk(signed_in_client(erik), cases, act="keep")
    assert told(response) == ["3 kommentarer beslutade."]
    assert list(Decision.objects.values_list("act", "decided_by", "round")) == [("keep", erik.pk, 1)] * 3
    assert not Case.objects.filter(state=Case.State.OPEN).exists()
    assert AuditEntry.objects.filter(act="moderation.case.decided", actor=erik).count() == 3


def test_hiding_in_bulk_without_a_reason_decides_nothing(library: Account, erik: User) -> None:
    cases = arrive(comment(library, "c-1", "Köp klockor!"), comment(library, "c-2", "Köp skor!"))
    response = bulk(signed_in_client(erik), cases, act="hide", reason="")
    assert told(response) == ["Välj kommentarer och ett beslut (med skäl för att dölja eller radera)."]
    assert not Decision.objects.exists()


def test_hiding_in_bulk_runs_on_the_platform_after_each_saved_copy_verifies(
    library: Account, erik: User, facebook_platform: PlatformRecorder
) -> None:
    cases = arrive(comment(library, "c-1", "Köp klockor!"), comment(library, "c-2", "Köp skor!"))
    response = bulk(signed_in_client(erik), cases, act="hide", reason="spam")
    assert told(response) == ["2 kommentarer beslutade."]
    assert sorted((act, target.object_id, verified) for act, target, verified in facebook_platform.calls) == [
        ("hide", "c-1", True),
        ("hide", "c-2", True),
    ]
    assert PlatformAct.objects.filter(outcome=PlatformAct.Outcome.DONE).count() == 2


def test_bulk_tells_which_acts_still_need_doing_on_the_platform(
    library: Account, erik: User, facebook_platform: PlatformRecorder
) -> None:
    facebook_platform.fail = platform_acts.ActFailed("Tillfälligt fel", retryable=True)
    cases = arrive(comment(library, "c-1", "Köp klockor!"))
    response = bulk(signed_in_client(erik), cases, act="delete", reason="spam")
    assert told(response) == [
        "1 kommentar beslutad.",
        "1 är inte gjord på plattformen än: öppna den för att göra det för hand eller försöka igen.",
    ]


def test_comments_someone_else_decided_meanwhile_are_counted_and_their_decisions_stand(
    library: Account, erik: User, alice: User, facebook_platform: PlatformRecorder
) -> None:
    cases = arrive(*(comment(library, f"c-{n}", f"Kommentar {n}") for n in range(3)))
    # Erik's queue shows three open comments; Alice decides one of them before Erik sends his choice.
    services.decide(case=cases[1], choice=choose("keep"), by=alice)
    response = bulk(signed_in_client(erik), cases, act="delete", reason="off_topic")
    assert told(response) == [
        "2 kommentarer beslutade.",
        "1 var redan beslutad av någon annan; det beslutet står fast.",
    ]
    decided = {
        case_id: (act, by) for case_id, act, by in Decision.objects.values_list("case", "act", "decided_by")
    }
    assert decided == {
        cases[0].pk: ("delete", erik.pk),
        cases[1].pk: ("keep", alice.pk),
        cases[2].pk: ("delete", erik.pk),
    }


def test_sending_the_same_bulk_choice_twice_is_no_news(library: Account, erik: User) -> None:
    cases = arrive(comment(library, "c-1", "Tack!"))
    client = signed_in_client(erik)
    bulk(client, cases, act="keep")
    assert told(bulk(client, cases, act="keep")) == ["0 kommentarer beslutade."]
    assert Decision.objects.count() == 1


def test_a_unit_manager_cannot_decide_in_bulk(library: Account, bob: User) -> None:
    cases = arrive(comment(library, "c-1", "Tack!"))
    response = signed_in_client(bob).post(reverse("moderation:bulk"), {"cases": [cases[0].pk], "act": "keep"})
    assert response.status_code == 403
    assert not Decision.objects.exists()


# An individual case must be registered ---------------------------------------------------------------


def test_an_individual_case_waits_for_the_registrar_who_registers_it(
    library: Account, erik: User, dana: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Min mamma fick avslag på hemtjänst, handläggaren heter Lisa"))
    decision = services.decide(case=case, choice=choose("individual_case"), by=erik)
    case_page = signed_in_client(erik).get(case.get_absolute_url()).content.decode()
    assert "Väntar på registrator" in case_page

    registrar = signed_in_client(dana)
    waiting = registrar.get(reverse("moderation:registrations")).content.decode()
    assert f'action="{reverse("moderation:register", kwargs={"pk": decision.pk})}"' in waiting
    response = registrar.post(
        reverse("moderation:register", kwargs={"pk": decision.pk}), {"reference": "SN 2026/0123"}, follow=True
    )
    assert "Registrerad under SN 2026/0123." in told(response)
    assert Registration.objects.get(decision=decision).registered_by == dana
    assert not selectors.awaiting_registration(dana).exists()
    assert AuditEntry.objects.filter(act="moderation.registered", actor=dana).count() == 1
    assert "SN 2026/0123" in signed_in_client(erik).get(case.get_absolute_url()).content.decode()


def test_an_editor_cannot_register_and_a_record_is_registered_once(
    library: Account, erik: User, dana: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Min son fick inte plats i förskolan"))
    decision = services.decide(case=case, choice=choose("individual_case"), by=erik)
    url = reverse("moderation:register", kwargs={"pk": decision.pk})
    assert signed_in_client(erik).post(url, {"reference": "SN 2026/1"}).status_code == 404
    registrar = signed_in_client(dana)
    registrar.post(url, {"reference": "SN 2026/1"})
    assert registrar.post(url, {"reference": "SN 2026/2"}).status_code == 404  # no longer waiting
    assert list(Registration.objects.values_list("reference", flat=True)) == ["SN 2026/1"]


def test_a_kept_comment_needs_no_registration(library: Account, erik: User, dana: User) -> None:
    [case] = arrive(comment(library, "c-1", "Tack!"))
    decision = services.decide(case=case, choice=choose("keep"), by=erik)
    with pytest.raises(services.ValidationError):
        services.register(decision=decision, reference="KS 1", by=dana)


# A reply ---------------------------------------------------------------------------------------------


def test_the_reply_box_starts_with_a_useful_swedish_draft(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "När öppnar biblioteket i jul?"))
    page = signed_in_client(erik).get(case.get_absolute_url()).content.decode()
    assert "Hej Greta!\n\nTack för din fråga.\n\nVänliga hälsningar\nErik, Vara bibliotek" in page


def test_a_reply_is_stored_and_the_page_links_to_the_comment_on_the_platform(
    library: Account, erik: User
) -> None:
    [case] = arrive(
        comment(
            library, "c-1", "När öppnar biblioteket i jul?", url="https://www.facebook.com/vara/posts/1?c=1"
        )
    )
    reply = "Hej Greta!\n\nVi har öppet 10–14 den 23 december.\n\nVänliga hälsningar\nErik"
    response = signed_in_client(erik).post(
        reverse("moderation:decide", kwargs={"pk": case.pk}),
        {"act": "reply", "reply_text": reply},
        follow=True,
    )
    assert Decision.objects.get().reply_text == reply
    page = response.content.decode()
    assert "Vi har öppet 10–14 den 23 december." in page
    assert 'href="https://www.facebook.com/vara/posts/1?c=1" rel="noopener noreferrer nofollow"' in page
    assert "Öppna kommentaren på plattformen för att svara" in page


def test_a_reply_without_text_is_refused(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "Hej"))
    response = signed_in_client(erik).post(
        reverse("moderation:decide", kwargs={"pk": case.pk}), {"act": "reply", "reply_text": "  "}
    )
    assert response.status_code == 422
    assert not Decision.objects.exists()


# The message telling the author why ----------------------------------------------------------------


def test_the_author_message_names_the_rule_and_links_the_accounts_comment_policy(
    library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    decision = services.decide(case=case, choice=choose("hide", reason="spam"), by=erik)
    services.carry_out(decision=decision, by=erik, by_hand=True)
    page = signed_in_client(erik).get(case.get_absolute_url()).content.decode()
    expected = (
        "Din kommentar på Vara bibliotek har tagits bort eftersom den bröt mot våra "
        f"kommentarsregler: Spam eller reklam. Läs reglerna: {policy_url(library)}"
    )
    assert expected in page
    assert policy_url(library).endswith(reverse("compliance_public:policy", kwargs={"slug": library.slug}))


def test_a_blocked_author_gets_no_message(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    services.decide(case=case, choice=choose("block", reason="spam"), by=erik)
    page = signed_in_client(erik).get(case.get_absolute_url()).content.decode()
    assert "har tagits bort eftersom" not in page


# Word lists ------------------------------------------------------------------------------------------


def test_the_word_list_page_shows_the_findings_marked_wrong_per_detector_and_list(
    library: Account, erik: User, alice: User
) -> None:
    first, _second = arrive(
        comment(library, "c-1", "Jag vet var du bor, akta dig"),
        comment(library, "c-2", "Jag vet var du bor, akta dig nu"),
    )
    wrong = CaseFinding.objects.filter(case=first).first()
    assert wrong is not None
    services.mark_finding_wrong(finding=wrong, by=erik)
    same = CaseFinding.objects.filter(detector=wrong.detector, lexicon=wrong.lexicon).count()
    assert same >= 2
    page = signed_in_client(alice).get(reverse("moderation:word_lists")).content.decode()
    row = page.split(f"<td>{detector_label(wrong.detector)}</td>", 1)[1].split("</tr>", 1)[0]
    assert f"<td>{same}</td><td>1</td><td>{round(100 / same)} %</td>" in row
    assert str(word_list_label(wrong.lexicon)) in row


def test_word_lists_and_detectors_are_named_in_swedish_not_by_their_code_names(alice: User) -> None:
    page = signed_in_client(alice).get(reverse("moderation:word_lists")).content.decode()
    for name in (*engine.list_names(), engine.ALLOW_LIST):
        assert name in WORD_LIST_LABELS, f"the word list {name} needs a label"
        assert f">{name}<" not in page
    assert "Våldsverb" in page and "Tillåtna uppgifter (flaggas aldrig)" in page


def test_only_comms_sees_the_word_list_page(library: Account, erik: User) -> None:
    assert signed_in_client(erik).get(reverse("moderation:word_lists")).status_code == 403


@pytest.mark.parametrize("terms", ["0512-310 00, bibliotek@vara.se", "0512-310 00\nbibliotek@vara.se"])
def test_allow_list_entries_may_be_separated_by_commas_or_line_breaks(
    terms: str, library: Account, alice: User
) -> None:
    services.change_word_list(name=engine.ALLOW_LIST, terms=terms, note="Bibliotekets kontakt", by=alice)
    [case] = arrive(comment(library, "c-1", "Ring 0512-31000 eller skriv till bibliotek@vara.se"))
    assert [f.type for f in selectors.findings_of(case) if f.type.startswith("pii.")] == []


def test_an_allowed_address_written_with_a_comma_still_allows_itself(library: Account, alice: User) -> None:
    services.change_word_list(
        name=engine.ALLOW_LIST, terms="Torggatan 19, 534 30 Vara", note="Biblioteket", by=alice
    )
    [case] = arrive(comment(library, "c-1", "Biblioteket ligger på Torggatan 19, 534 30 Vara"))
    assert "pii.address" not in [f.type for f in selectors.findings_of(case)]
    [other] = arrive(comment(library, "c-2", f"Jag bor på Storgatan 4, 534 31 Vara, pnr {PERSONNUMMER}"))
    assert "pii.address" in [f.type for f in selectors.findings_of(other)]
