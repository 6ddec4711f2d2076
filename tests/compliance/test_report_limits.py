"""The residents' report form behind nginx: limited per resident's address and per comment, never
for everyone at once; a wave of reports alerts comms instead."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from sigill.compliance.models import CommentReport
from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.registry.models import Account

pytestmark = pytest.mark.django_db
NGINX = "127.0.0.1"
COMMENT = "https://www.linkedin.com/feed/update/urn:li:activity:{}/"


@pytest.fixture
def policy_page(library_on_linkedin: Account) -> str:
    return reverse("compliance_public:policy", kwargs={"slug": library_on_linkedin.slug})


def report_from(resident: str, url: str, comment: int = 1, *, via: str = NGINX):
    return Client().post(
        url,
        {"comment_url": COMMENT.format(comment), "reason": "personal_data"},
        REMOTE_ADDR=via,
        HTTP_X_FORWARDED_FOR=resident,
    )


@override_settings(TRUSTED_PROXIES=[NGINX])
def test_behind_nginx_one_busy_resident_does_not_block_the_others(policy_page: str) -> None:
    for comment in range(5):
        assert report_from("203.0.113.1", policy_page, comment).status_code == 302
    assert report_from("203.0.113.1", policy_page, 9).status_code == 429
    for resident in range(2, 18):
        assert report_from(f"203.0.113.{resident}", policy_page, 9).status_code == 302
    assert CommentReport.objects.count() == 5 + 16


def test_without_a_trusted_proxy_a_forged_header_does_not_dodge_the_limit(policy_page: str) -> None:
    for comment in range(5):
        assert report_from(f"10.0.0.{comment}", policy_page, comment, via="198.51.100.4").status_code == 302
    assert report_from("10.0.0.99", policy_page, 9, via="198.51.100.4").status_code == 429


@override_settings(TRUSTED_PROXIES=[NGINX])
def test_a_resident_reports_a_comment_once(policy_page: str) -> None:
    assert report_from("203.0.113.1", policy_page, 1).status_code == 302
    again = report_from("203.0.113.1", policy_page, 1)
    assert again.status_code == 429
    assert "redan anmäld" in again.content.decode()
    assert CommentReport.objects.count() == 1


@override_settings(TRUSTED_PROXIES=[NGINX], COMMENT_REPORTS_PER_COMMENT=3)
def test_one_comment_takes_a_limited_number_of_reports(policy_page: str) -> None:
    for resident in range(3):
        assert report_from(f"203.0.113.{resident}", policy_page, 1).status_code == 302
    assert report_from("203.0.113.50", policy_page, 1).status_code == 429
    assert report_from("203.0.113.50", policy_page, 2).status_code == 302


@override_settings(TRUSTED_PROXIES=[NGINX], COMMENT_REPORTS_ALERT_AT=4)
def test_a_wave_of_reports_alerts_comms_once_and_refuses_no_one(
    policy_page: str, alice: User, django_capture_on_commit_callbacks
) -> None:
    alice.email = "alice@vara-kommun.example"
    alice.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        for resident in range(8):
            assert report_from(f"203.0.113.{resident}", policy_page, resident).status_code == 302
    assert CommentReport.objects.count() == 8
    wave = AuditEntry.objects.get(act="compliance.comment_reports.wave")
    assert wave.details["reports"] == 4
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert "anmälningar" in mail.outbox[0].subject


def test_a_resident_s_sent_report_is_not_stored_but_the_public_list_may_be_cached(
    policy_page: str,
) -> None:
    policy = policy_page
    sent = Client().post(
        policy,
        {"comment_url": "https://www.linkedin.com/feed/update/urn:li:activity:1/", "reason": "personal_data"},
    )
    assert "no-store" in sent["Cache-Control"]
    public_list = Client().get(reverse("registry_public:list"))
    assert "no-store" not in public_list.get("Cache-Control", "")
