"""Acting on what the law requires: report and remove in one decision, secrets off the platform,
unlawful comments kept only with a reason, failed acts shown and tried again, and the platform's
limits said before the moderator chooses.

The platforms are pytest-httpx2's router answering their documented endpoints; Sigill's own code
(services, the connectors' actors, the vault, the task) runs whole.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from sigill.archive.models import ItemFact, ItemVersion
from sigill.core import append_only
from sigill.core.models import AuditEntry
from sigill.moderation import acting, selectors, services
from sigill.moderation.models import Case, Decision, PlatformAct
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.api.conftest import api_as
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.connectors.conftest import PAGE_ID, connect, payload
from tests.moderation.conftest import arrive, choose

pytestmark = pytest.mark.django_db

GRAPH = "https://graph.facebook.com/v21.0"
YOUTUBE_ACT = "https://www.googleapis.com/youtube/v3/comments/setModerationStatus"
THREAT = "Jag vet var du bor, akta dig"
NOTICE = "har tagits bort eftersom den bröt mot våra kommentarsregler"


@pytest.fixture
def vara_page(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    """Vara kommun's Facebook Page, connected, its token in the vault; Erik is its editor."""
    return connect(
        "facebook", "facebook.com/varakommun", PAGE_ID, alice=alice, erik=erik, bob=bob, units=units
    )


@pytest.fixture
def vara_channel(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return connect(
        "youtube",
        "youtube.com/@varakommun",
        "UUq7v3Xk2bN9pLr4TzW8yH1a",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
    )


def decide_on_the_page(user: User, case: Case, **fields: str) -> Any:
    return signed_in_client(user).post(
        reverse("moderation:decide", kwargs={"pk": case.pk}), fields, follow=True
    )


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_one_decision_reports_a_threat_and_hides_it_once_the_saved_copy_is_verified(
    vara_page: Account, erik: User, httpx2_mock: Any
) -> None:
    hide = httpx2_mock.post(f"{GRAPH}/c-1").respond(json={"success": True})
    [case] = arrive(comment(vara_page, "c-1", THREAT))
    page = decide_on_the_page(
        erik, case, act="report_threat", removal="hide", reason="olaga_hot", note="Polisanmält, K-123"
    ).content.decode()
    assert hide.calls.last.request.content == b"is_hidden=true"
    decision = Decision.objects.get(case=case)
    assert (decision.act, decision.removal, decision.reason) == ("report_threat", "hide", "olaga_hot")
    [attempt] = decision.platform_acts.all()
    seal = ItemVersion.objects.get(item=case.item).seal
    assert attempt.outcome == PlatformAct.Outcome.DONE and attempt.verified_seal == seal
    assert list(
        AuditEntry.objects.filter(act__startswith="moderation.").order_by("id").values_list("act", flat=True)
    ) == ["moderation.case.decided", "moderation.platform_act"]
    assert "Utfört på plattformen." in page and NOTICE in page
    evidence_url = reverse("moderation:evidence", kwargs={"pk": decision.pk})
    assert evidence_url in page
    bundle = signed_in_client(erik).get(evidence_url)
    text = pdf_text(bundle.content)
    assert THREAT in text and "Bevisunderlag för polisanmälan" in text
    assert seal in text.replace(" ", ""), "the bundle holds the seal verified before the hide"
    assert "Det är kopian som verifierades före borttagningen" in text


@pytest.mark.httpx2(assert_all_called=False)
def test_a_tampered_saved_copy_stops_the_removal_of_a_reported_threat(
    vara_page: Account, erik: User, httpx2_mock: Any
) -> None:
    hide = httpx2_mock.post(f"{GRAPH}/c-1").respond(json={"success": True})
    [case] = arrive(comment(vara_page, "c-1", THREAT))
    append_only.unprotect(connection, "archive_itemversion")
    ItemVersion.objects.filter(item=case.item).update(text="Något annat")
    append_only.protect(connection, "archive_itemversion")
    page = decide_on_the_page(
        erik, case, act="report_threat", removal="hide", reason="olaga_hot"
    ).content.decode()
    assert not hide.called
    assert [a.outcome for a in PlatformAct.objects.all()] == [PlatformAct.Outcome.REFUSED_UNVERIFIED]
    assert "Inget gjordes på plattformen: den sparade kopian kunde inte verifieras." in page
    assert NOTICE not in page


def test_marking_a_secret_also_hides_the_comment_on_the_platform(
    vara_page: Account, erik: User, dana: User, httpx2_mock: Any
) -> None:
    hide = httpx2_mock.post(f"{GRAPH}/c-1").respond(json={"success": True})
    [case] = arrive(comment(vara_page, "c-1", "Min dotter har fått avslag på sin ansökan om särskilt stöd"))
    page = decide_on_the_page(erik, case, act="secret", provision="OSL 26 kap. 1 §", removal="hide")
    # The case is now restricted to comms and the registrar: Erik is back at the queue, told it is done.
    assert page.redirect_chain[-1][0] == reverse("moderation:queue")
    assert "Utfört på plattformen, efter att den sparade kopian verifierats" in page.content.decode()
    decision = Decision.objects.get(case=case)
    [attempt] = decision.platform_acts.all()
    assert attempt.outcome == PlatformAct.Outcome.DONE and attempt.by == erik
    assert hide.calls.last.request.content == b"is_hidden=true"
    assert decision.reason == "secrecy", "the author is told the rule: secret information"
    assert ItemFact.objects.filter(item=case.item, fact=ItemFact.Fact.MARKED_SECRET).exists()
    assert list(selectors.awaiting_registration(dana)) == [decision]


def test_a_secret_cannot_be_left_on_the_platform(vara_page: Account, erik: User) -> None:
    [case] = arrive(comment(vara_page, "c-1", "Min dotter har fått avslag på sin ansökan om särskilt stöd"))
    page = decide_on_the_page(erik, case, act="secret", provision="OSL 26 kap. 1 §", removal="")
    assert page.status_code == 422
    assert "Hemliga uppgifter måste bort från plattformen" in page.content.decode()
    assert not Decision.objects.exists()


def test_keeping_a_threat_needs_a_written_reason_and_the_case_page_says_why(
    vara_page: Account, erik: User
) -> None:
    [case] = arrive(comment(vara_page, "c-1", THREAT))
    before = signed_in_client(erik).get(case.get_absolute_url()).content.decode()
    assert "Kommentaren kan vara olaglig: Olaga hot." in before
    assert "lag 1998:112 5 §" in before
    refused = decide_on_the_page(erik, case, act="keep")
    assert refused.status_code == 422
    assert "skriv varför i anteckningen" in refused.content.decode()
    api = api_as(erik).post(
        reverse("api:moderation_decide", kwargs={"pk": case.pk}), {"act": "reply", "reply_text": "Hej"}
    )
    assert api.status_code == 422
    assert not Decision.objects.exists()
    decide_on_the_page(erik, case, act="keep", note="Citat ur en bok, inget hot mot någon.")
    assert Decision.objects.get(case=case).note == "Citat ur en bok, inget hot mot någon."


def test_a_clean_comment_is_kept_without_a_reason(vara_page: Account, erik: User) -> None:
    [case] = arrive(comment(vara_page, "c-1", "Tack för en härlig sagostund!"))
    assert selectors.unlawful_rules_of(case) == []
    services.decide(case=case, choice=choose("keep"), by=erik)
    assert Decision.objects.get(case=case).act == "keep"


def test_a_failed_hide_is_shown_the_worker_tries_again_and_the_author_notice_waits_for_success(
    vara_page: Account, erik: User, httpx2_mock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    rate_limited = payload("facebook/graph-api/error_32_page_rate_limit.json")
    hide = httpx2_mock.post(f"{GRAPH}/c-1")
    hide.side_effect = [
        httpx.Response(400, json=rate_limited),
        httpx.Response(200, json={"success": True}),
    ]
    [case] = arrive(comment(vara_page, "c-1", "Köp billiga klockor på www.example.com nu"))
    with django_capture_on_commit_callbacks(execute=True):
        page = decide_on_the_page(erik, case, act="hide", reason="spam").content.decode()
    [failed] = PlatformAct.objects.all()
    assert failed.outcome == PlatformAct.Outcome.FAILED and failed.retryable
    assert "Misslyckades på plattformen: kommentaren finns kvar där." in page
    assert "Sigill försöker igen av sig själv" in page
    assert NOTICE not in page, "not removed: the author is not told it was"
    queued = DBTaskResult.objects.get(task_path="sigill.moderation.acting.retry_platform_act")
    assert queued.args_kwargs["args"] == [failed.decision_id, failed.pk]
    assert queued.run_after > timezone.now() + dt.timedelta(minutes=1)

    # The worker runs the task when it is due.
    assert acting.retry_platform_act.call(failed.decision_id, failed.pk) == PlatformAct.Outcome.DONE
    retried = PlatformAct.objects.order_by("id").last()
    assert retried is not None and retried.by is None and retried.verified_seal
    page = signed_in_client(erik).get(case.get_absolute_url()).content.decode()
    assert "Utfört på plattformen." in page and NOTICE in page
    assert "(Sigill försökte igen)" in page


def test_a_failure_that_will_not_pass_is_left_to_the_moderator_who_tries_again(
    vara_page: Account, erik: User, httpx2_mock: Any
) -> None:
    denied = {"error": {"message": "(#200) Requires pages_manage_engagement permission", "code": 200}}
    hide = httpx2_mock.post(f"{GRAPH}/c-1")
    hide.side_effect = [
        httpx.Response(403, json=denied),
        httpx.Response(200, json={"success": True}),
    ]
    [case] = arrive(comment(vara_page, "c-1", "Köp billiga klockor på www.example.com nu"))
    page = decide_on_the_page(erik, case, act="hide", reason="spam").content.decode()
    assert "pages_manage_engagement" in page and "Sigill försöker igen av sig själv" not in page
    assert not DBTaskResult.objects.exists()
    decision = Decision.objects.get(case=case)
    retry_url = reverse("moderation:platform_act", kwargs={"pk": decision.pk})
    assert retry_url in page and "Försök igen via API:t" in page
    page = signed_in_client(erik).post(retry_url, follow=True).content.decode()
    assert [a.outcome for a in decision.platform_acts.all()] == ["failed", "done"]
    assert NOTICE in page


def test_a_retry_planned_before_someone_acted_does_nothing(
    vara_page: Account, erik: User, httpx2_mock: Any
) -> None:
    hide = httpx2_mock.post(f"{GRAPH}/c-1").respond(
        400, json=payload("facebook/graph-api/error_32_page_rate_limit.json")
    )
    [case] = arrive(comment(vara_page, "c-1", "Köp billiga klockor på www.example.com nu"))
    decision = services.decide(case=case, choice=choose("hide", reason="spam"), by=erik)
    failed = services.carry_out(decision=decision, by=erik)
    assert failed is not None
    services.carry_out(decision=decision, by=erik, by_hand=True)
    assert acting.retry_platform_act.call(decision.pk, failed.pk) == "superseded"
    assert hide.call_count == 1


def test_youtube_says_before_the_choice_that_its_hide_cannot_be_undone(
    vara_channel: Account, erik: User, httpx2_mock: Any
) -> None:
    reject = httpx2_mock.post(YOUTUBE_ACT).respond(204)
    [case] = arrive(comment(vara_channel, "yt-1", "Köp billiga klockor på www.example.com nu"))
    before = signed_in_client(erik).get(case.get_absolute_url()).content.decode()
    assert "Kan inte ångras: YouTube visar aldrig en dold kommentar igen." in before
    assert "Det här kan Sigill inte göra via API:t hos YouTube" in before, (
        "YouTube deletes only the author's own"
    )
    decide_on_the_page(erik, case, act="hide", reason="spam")
    assert reject.calls.last.request.url.params["moderationStatus"] == "rejected"
    after = signed_in_client(erik).get(case.get_absolute_url()).content.decode()
    assert reverse("moderation:unhide", kwargs={"pk": case.pk}) not in after
    assert "<bdi>YouTube</bdi> visar aldrig en dold kommentar igen." in after
    with pytest.raises(ValidationError):
        services.unhide(case=case, by=erik)


def test_facebook_says_before_the_choice_that_blocking_is_done_by_hand(
    vara_page: Account, erik: User
) -> None:
    [case] = arrive(comment(vara_page, "c-1", "Hej"))
    page = signed_in_client(erik).get(case.get_absolute_url()).content.decode()
    assert (
        "Det här kan Sigill inte göra via API:t hos Facebook: du gör det på plattformen och bekräftar det sedan här."
        in page
    ), "blocking (a Page cannot block by API)"
    assert "Sigill gör det via API:t hos Facebook när den sparade kopian har verifierats." in page


def test_every_removed_comment_has_an_evidence_bundle_and_a_kept_one_none(
    vara_page: Account, erik: User, httpx2_mock: Any
) -> None:
    httpx2_mock.delete(f"{GRAPH}/c-1").respond(json={"success": True})
    [spam, thanks] = arrive(
        comment(vara_page, "c-1", "Köp billiga klockor på www.example.com nu"),
        comment(vara_page, "c-2", "Tack!"),
    )
    decide_on_the_page(erik, spam, act="delete", reason="spam")
    deleted = Decision.objects.get(case=spam)
    bundle = signed_in_client(erik).get(reverse("moderation:evidence", kwargs={"pk": deleted.pk}))
    text = pdf_text(bundle.content)
    assert "Bevisunderlag om en kommentar som tagits bort från plattformen" in text
    assert "Det är kopian som verifierades före borttagningen" in text
    kept = services.decide(case=thanks, choice=choose("keep"), by=erik)
    assert (
        signed_in_client(erik).get(reverse("moderation:evidence", kwargs={"pk": kept.pk})).status_code == 404
    )


def test_a_hidden_threat_is_shown_again_only_with_a_written_reason(
    vara_page: Account, erik: User, httpx2_mock: Any
) -> None:
    route = httpx2_mock.post(f"{GRAPH}/c-1").respond(json={"success": True})
    [case] = arrive(comment(vara_page, "c-1", THREAT))
    decide_on_the_page(erik, case, act="report_threat", removal="hide", reason="olaga_hot")
    unhide_url = reverse("moderation:unhide", kwargs={"pk": case.pk})
    page = signed_in_client(erik).post(unhide_url, follow=True).content.decode()
    assert "skriv varför den får visas igen" in page
    assert Decision.objects.filter(case=case).count() == 1
    signed_in_client(erik).post(unhide_url, {"note": "Polisen bad oss visa den igen."})
    assert [d.act for d in Decision.objects.filter(case=case).order_by("round")] == [
        "report_threat",
        "unhide",
    ]
    assert [call.request.content for call in route.calls] == [b"is_hidden=true", b"is_hidden=false"]


def test_keeping_many_at_once_leaves_a_threat_for_a_decision_with_a_reason(
    vara_page: Account, erik: User
) -> None:
    [threat, thanks] = arrive(comment(vara_page, "c-1", THREAT), comment(vara_page, "c-2", "Tack!"))
    page = signed_in_client(erik).post(
        reverse("moderation:bulk"), {"cases": [threat.pk, thanks.pk], "act": "keep"}, follow=True
    )
    assert [d.case_id for d in Decision.objects.all()] == [thanks.pk]
    assert "1 beslutades inte: den kan bryta mot lag 1998:112" in page.content.decode()
