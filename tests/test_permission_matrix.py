"""Every URL of Sigill, for every role and for anonymous visitors, answers as this one table says.

A URL pattern without a row here fails the test: whoever adds a page declares who may see it.
The people are the named ones of conftest.py: Alice (comms), Bob (unit manager of
Bildningsförvaltningen), Erik (editor), Dana (registrar), Frida (contact center), Charlie
(employee).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sigill.applications.models import Application
from sigill.archive import services as archive_services
from sigill.archive.capture import Capture, CapturedFile, Direction, Kind, Source
from sigill.archive.models import Attachment, Item
from sigill.compliance import services as compliance_services
from sigill.core import heartbeat
from sigill.core.models import SignInLock
from sigill.moderation import services as moderation_services
from sigill.moderation.models import Case
from sigill.organisation.models import GroupMapping, Membership, Role, Unit, User
from sigill.registry import services
from sigill.registry.models import Account, EditorAssignment
from sigill.reports.periods import Month
from tests.conftest import signed_in_client
from tests.registry.fixtures import activate
from tests.vault.conftest import credential_for_matrix, deputy_for_matrix

ROLES = ("anonymous", "comms", "unit_manager", "editor", "registrar", "contact_center", "employee")
STAFF = ROLES[1:]
PERSON_FOR_ROLE = {
    "comms": "alice",
    "unit_manager": "bob",
    "editor": "erik",
    "registrar": "dana",
    "contact_center": "frida",
    "employee": "charlie",
}
LOGIN = "login"  # shorthand: the visitor is sent to the log-in page


@dataclass(frozen=True)
class Row:
    method: str
    expect: dict[str, int | str]
    kwargs: Callable[[], dict[str, Any]] = dict
    data: dict[str, Any] = field(default_factory=dict)
    # The REST API: the person sends a personal token (read and write) instead of a session, and
    # the body as JSON.
    api: bool = False


def staff(status: int, *, anonymous: int | str = LOGIN, **by_role: int) -> dict[str, int | str]:
    """``status`` for every signed-in role unless named in ``by_role``; anonymous visitors separately."""
    return {"anonymous": anonymous, **{role: by_role.get(role, status) for role in STAFF}}


def erik_user() -> User:
    return User.objects.get(username="erik")


def comms_user() -> User:
    return User.objects.get(username="alice")


def bildning() -> dict[str, Any]:
    return {"slug": Unit.objects.get(slug="bildning").slug}


def a_membership() -> dict[str, Any]:
    return {"pk": Membership.objects.get(user__username="charlie", role=Role.EMPLOYEE).pk}


def a_group_mapping() -> dict[str, Any]:
    mapping, _created = GroupMapping.objects.get_or_create(
        group_id="6f1c2d3e-0000-4000-8000-000000000001",
        unit=Unit.objects.get(slug="bildning"),
        role=Role.EDITOR,
    )
    return {"pk": mapping.pk}


def library_account() -> dict[str, Any]:
    return {"slug": Account.objects.get(handle="varabibliotek").slug}


def eriks_assignment() -> dict[str, Any]:
    return {"pk": EditorAssignment.objects.get(user__username="erik").pk}


def instagram() -> dict[str, Any]:
    return {"slug": "instagram"}


def charlies_application() -> dict[str, Any]:
    return {"pk": Application.objects.get(applicant__username="charlie").pk}


def charlies_checklist_item() -> dict[str, Any]:
    return {**charlies_application(), "item": "profile"}


def charlies_inquiry() -> dict[str, Any]:
    """An open question Charlie forwarded through the e-service."""
    from sigill.inquiries import services as inquiries
    from sigill.inquiries.models import Inquiry

    inquiry = Inquiry.objects.filter(forwarded_by__username="charlie").first() or inquiries.create_inquiry(
        question="När öppnar simhallen igen?",
        asked_where="Kommentar på min privata Instagram",
        asked_at=timezone.now(),
        source=Inquiry.Source.ESERVICE,
        by=User.objects.get(username="charlie"),
    )
    return {"pk": inquiry.pk}


# Who reads an inquiry: the queue's workers, the registrar, and Charlie who forwarded it.
SEES_INQUIRY = {"employee": 200, "comms": 200, "contact_center": 200, "registrar": 200}
# The queue's steps: Charlie and the registrar see the inquiry but may not work it; an empty
# form is answered 422.
WORKS_INQUIRY = {"employee": 403, "registrar": 403, "comms": 422, "contact_center": 422}


# Charlie's submitted application is seen by Charlie, Bob (his unit's manager) and comms.
SEES_APPLICATION = {"employee": 200, "unit_manager": 200, "comms": 200}


def library_account_being_set_up() -> dict[str, Any]:
    """The library account with a policy page: moved to "being set up" (planned ones have none)."""
    account = Account.objects.get(handle="varabibliotek")
    if account.status == Account.Status.PLANNED:
        services.change_status(
            account=account, to=Account.Status.SETTING_UP, reason="Godkänd.", by=comms_user()
        )
    return {"slug": account.slug}


def guideline_version() -> dict[str, Any]:
    """Version 1 of the guideline, in force since yesterday (Erik has not acknowledged it)."""
    from sigill.guidelines.models import GuidelineVersion

    version = GuidelineVersion.objects.first() or GuidelineVersion.objects.create(
        number=1,
        title="Riktlinje",
        body="Text.",
        change_summary="Första versionen.",
        in_force_from=dt.date(2024, 2, 21),
    )
    return {"number": version.number}


def guideline_in_force() -> dict[str, Any]:
    guideline_version()
    return {}


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    """Uploaded evidence (the profile check's screenshot) never lands in the repository."""
    settings.MEDIA_ROOT = tmp_path


def a_profile_check() -> dict[str, Any]:
    from sigill.compliance.models import ProfileCheck

    account = Account.objects.get(handle="varabibliotek")
    check = ProfileCheck.objects.create(
        account=account, score=100, passed=True, screenshot=ContentFile(b"\x89PNG", name="profil.png")
    )
    return {"pk": check.pk}


def about_full() -> dict[str, Any]:
    return {"code": "about_full"}


# Who sees an account: comms and the registrar all, Bob (its unit's manager), Erik (its editor).
SEES_ACCOUNT = {"comms": 200, "registrar": 200, "unit_manager": 200, "editor": 200}
# Who may act on it: comms; the others who see it are refused (403), the rest never find it (404).
ACTS_ON_ACCOUNT = {"registrar": 403, "unit_manager": 403, "editor": 403}


def a_credential() -> dict[str, Any]:
    return {"pk": credential_for_matrix().pk}


def an_account() -> dict[str, Any]:
    return {"slug": credential_for_matrix().account.slug}


def a_vault_deputy() -> dict[str, Any]:
    return {"pk": deputy_for_matrix().pk}


def archived_account() -> Account:
    """The library account the matrix test made, with Erik as its editor."""
    return Account.objects.get(handle="varabibliotek")


def an_archived_post() -> Item:
    account = archived_account()
    image = CapturedFile(name="affisch.png", content_type="image/png", content=b"\x89PNG")
    capture = Capture(
        account_id=account.pk,
        platform_id="post-1",
        kind=Kind.POST,
        source=Source.API,
        direction=Direction.DRAWN_UP,
        published_at=timezone.now(),
        text="Sommarläsningen börjar!",
        attachments=(image,),
    )
    archive_services.capture([capture])
    return Item.objects.get(object_id="post-1")


def an_item() -> dict[str, Any]:
    return {"pk": an_archived_post().pk}


def an_attachment() -> dict[str, Any]:
    return {"pk": Attachment.objects.get(version__item=an_archived_post()).pk}


def a_case() -> dict[str, Any]:
    """A resident's comment on the library account, screened into the moderation queue."""
    return {"pk": a_screened_case().pk}


def a_screened_case() -> Case:
    capture = Capture(
        account_id=archived_account().pk,
        platform_id="comment-1",
        kind=Kind.COMMENT,
        source=Source.API,
        direction=Direction.RECEIVED,
        published_at=timezone.now(),
        text="Ring mig på 070-123 45 67 om boken",
        parent_platform_id="post-1",
        url="https://www.facebook.com/varabibliotek/posts/1?comment_id=comment-1",
    )
    moderation_services.screen_items(archive_services.capture([capture]).item_ids)
    return Case.objects.get(item__object_id="comment-1")


def a_finding() -> dict[str, Any]:
    return {"pk": a_screened_case().findings.get().pk}


def a_hide_decision() -> dict[str, Any]:
    choice = moderation_services.Choice(act="hide", reason="sensitive_data")
    return {"pk": moderation_services.decide(case=a_screened_case(), choice=choice, by=comms_user()).pk}


def a_hidden_case() -> dict[str, Any]:
    """A resident's comment hidden on the platform (by hand, after the saved copy verified)."""
    decision = moderation_services.decide(
        case=a_screened_case(),
        choice=moderation_services.Choice(act="hide", reason="sensitive_data"),
        by=comms_user(),
    )
    moderation_services.carry_out(decision=decision, by=comms_user(), by_hand=True)
    return {"pk": decision.case_id}


def a_threat_decision() -> dict[str, Any]:
    choice = moderation_services.Choice(act="report_threat", note="Polisanmält")
    return {"pk": moderation_services.decide(case=a_screened_case(), choice=choice, by=comms_user()).pk}


def a_secret_decision() -> dict[str, Any]:
    choice = moderation_services.Choice(act="secret", provision="OSL 26 kap. 1 §", removal="hide")
    return {"pk": moderation_services.decide(case=a_screened_case(), choice=choice, by=comms_user()).pk}


def a_residents_report() -> dict[str, Any]:
    report = compliance_services.report_comment(
        account=archived_account(),
        comment_url="https://www.facebook.com/varabibliotek/posts/1?comment_id=not-captured",
        reason="harassment",
        contact="",
        sender_address="192.0.2.1",
    )
    return {"pk": report.pk}


def last_month() -> dict[str, Any]:
    last = Month.current().previous()
    return {"year": last.year, "month": last.month}


def a_live_account_last_month() -> dict[str, Any]:
    """The library account, live (reports leave out accounts that are only planned)."""
    account = archived_account()
    if account.status == Account.Status.PLANNED:
        activate(account, comms_user())
    return {**last_month(), "slug": account.slug}


# Who reads reports: comms (every account) and unit managers (their units' accounts).
READS_REPORTS = {"comms": 200, "unit_manager": 200}


# Who sees the moderation queue: comms and the registrar all of it, Bob his units', Erik his accounts'.
SEES_CASES = {"comms": 200, "registrar": 200, "unit_manager": 200, "editor": 200}


# Who reads the archive: comms and the registrar all of it, Bob his units', Erik his accounts'.
ARCHIVE_READERS = {"comms": 200, "registrar": 200, "unit_manager": 200, "editor": 200}


def connected_library_account() -> dict[str, Any]:
    """The library account, connected to its platform's API (as comms would connect it)."""
    from sigill.connectors.models import Connection

    account = Account.objects.get(handle="varabibliotek")
    Connection.objects.get_or_create(account=account, defaults={"remote_id": "17841400000000001"})
    return {"slug": account.slug}


def an_import_run() -> dict[str, Any]:
    """An export import into the library account (refused: the file was not an export)."""
    from sigill.connectors.models import CaptureRun

    account = Account.objects.get(handle="varabibliotek")
    run = CaptureRun.objects.filter(account=account).first() or CaptureRun.objects.create(
        account=account,
        path="export",
        outcome="refused",
        error="x.zip: not an export",
        details={"file": "x.zip"},
    )
    return {"pk": run.pk}


def a_disclosure_request() -> dict[str, Any]:
    """Dana's open request with the library's post selected (not yet reviewed)."""
    from sigill.records.models import DisclosureRequest
    from sigill.records.services import disclosure

    found = DisclosureRequest.objects.first()
    if found is None:
        dana = User.objects.get(username="dana")
        found = disclosure.register_request(
            by=dana, received_at=timezone.now(), channel="email", description="Bibliotekets inlägg."
        )
        disclosure.add_records(request=found, items=[an_archived_post()], by=dana)
    return {"pk": found.pk}


def a_requested_record() -> dict[str, Any]:
    from sigill.records.models import RequestedRecord

    kwargs = a_disclosure_request()
    return {**kwargs, "record": RequestedRecord.objects.get(request_id=kwargs["pk"]).pk}


def a_package() -> dict[str, Any]:
    return {**a_disclosure_request(), "fmt": "json"}


def a_retention_rule() -> dict[str, Any]:
    from sigill.records.models import RetentionRule
    from sigill.records.services import retention

    rule = RetentionRule.objects.first() or retention.create_rule(
        by=comms_user(), name="Kommentarer", decision="DHP § 4.3", keep_months=24
    )
    return {"pk": rule.pk}


def a_legal_hold() -> dict[str, Any]:
    from sigill.records.models import LegalHold
    from sigill.records.services import retention

    hold = LegalHold.objects.first() or retention.place_hold(
        by=comms_user(), scope=LegalHold.Scope.ACCOUNT, account=archived_account(), reason="Tvist"
    )
    return {"pk": hold.pk}


def a_closure() -> dict[str, Any]:
    from sigill.records.models import AccountClosure
    from sigill.records.services import closure

    found = AccountClosure.objects.first() or closure.start(
        account=archived_account(), reason="Kontot behövs inte längre.", by=comms_user()
    )
    return {"pk": found.pk}


def a_closure_step() -> dict[str, Any]:
    return {**a_closure(), "action": "capture"}


# Retention and holds are kept by the registrar and comms; the registrar alone disposes.
KEEPS_RECORDS = {"registrar": 200, "comms": 200}


# Disclosure requests are the registrar's; nobody else finds one (404).
REGISTRAR_ONLY = {"registrar": 200}


def a_new_account() -> dict[str, Any]:
    return {
        "platform": "instagram",
        "profile_url": "https://www.instagram.com/varasimhall/",
        "display_name": "Vara simhall",
        "unit": "kultur-fritid",
        "purpose_statement": "Öppettider och simskola.",
        "purposes": ["news"],
    }


def the_library_as_registered() -> dict[str, Any]:
    return {
        **a_new_account(),
        "platform": "instagram",
        "profile_url": "https://www.instagram.com/varabibliotek/",
    }


def charlies_token() -> dict[str, Any]:
    from sigill.api import services as api_services

    created = api_services.create_token(
        user=User.objects.get(username="charlie"),
        name="Webbplatsen",
        scope="read",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return {"pk": created.token.pk}


def api_token_for(person: User) -> str:
    from sigill.api import services as api_services

    created = api_services.create_token(
        user=person, name="Matrix", scope="write", expires_at=timezone.now() + dt.timedelta(days=1)
    )
    return created.secret


def api(status: int, **by_role: int) -> dict[str, int | str]:
    """An API operation: anonymous callers have no token (401)."""
    return staff(status, anonymous=401, **by_role)


def a_sign_in_lock() -> dict[str, Any]:
    now = timezone.now()
    lock, _created = SignInLock.objects.get_or_create(
        stage="password",
        scope="username",
        key="mallory",
        defaults={"failures": 5, "locked_at": now, "until": now + dt.timedelta(minutes=1)},
    )
    return {"pk": lock.pk}


def everyone(status: int) -> dict[str, int | str]:
    return staff(status, anonymous=status)


def a_draft() -> dict[str, Any]:
    """Alice's draft of a post for the library: Erik edits the account, Bob manages its unit."""
    from sigill.publishing import services as publishing_services

    draft = publishing_services.create_draft(
        title="Sagostund",
        accounts=[Account.objects.get(handle="varabibliotek")],
        text="Välkommen på sagostund!",
        by=comms_user(),
    )
    return {"pk": draft.pk}


def a_draft_and_no_media() -> dict[str, Any]:
    return {**a_draft(), "media_pk": 999999}


TABLE: dict[str, Row] = {
    "core:home": Row("get", staff(200)),
    "core:login": Row("get", staff(302, anonymous=200)),
    "core:logout": Row("post", staff(302, anonymous=302)),
    # Comms and the registrar have passed the second factor and are sent on; others may enrol.
    "core:two_factor": Row("get", staff(200, comms=302, registrar=302)),
    # A one-time link that is not (or no longer) valid says so to anyone.
    "core:first_sign_in": Row("get", everyone(200), kwargs=lambda: {"uidb64": "MQ", "token": "not-a-token"}),
    "core:audit_log": Row("get", staff(403, comms=200, registrar=200)),
    "core:sign_in_locks": Row("get", staff(403, comms=200)),
    "core:lift_sign_in_lock": Row("post", staff(404, comms=302), kwargs=a_sign_in_lock),
    "core:healthz": Row("get", staff(200, anonymous=200)),
    "set_language": Row("post", staff(302, anonymous=302), data={"language": "en", "next": "/"}),
    "organisation:tree": Row("get", staff(403, comms=200, registrar=200, unit_manager=200)),
    "organisation:unit": Row("get", staff(404, comms=200, registrar=200, unit_manager=200), kwargs=bildning),
    "organisation:grant": Row("post", staff(403, comms=422), kwargs=bildning),
    "organisation:revoke": Row("post", staff(403, comms=302), kwargs=a_membership),
    "organisation:create": Row("post", staff(403, comms=422)),
    "organisation:import": Row("get", staff(403, comms=200)),
    "organisation:rename": Row("post", staff(403, comms=422), kwargs=bildning),
    "organisation:move": Row("post", staff(403, comms=302), kwargs=bildning),
    "organisation:close": Row("post", staff(403, comms=302), kwargs=bildning),
    "organisation:group_mappings": Row("get", staff(403, comms=200)),
    "organisation:remove_group_mapping": Row("post", staff(403, comms=302), kwargs=a_group_mapping),
    "registry:accounts": Row("get", staff(403, **SEES_ACCOUNT)),
    "registry:account": Row("get", staff(404, **SEES_ACCOUNT), kwargs=library_account),
    "registry:account_create": Row("get", staff(403, comms=200)),
    "registry:import": Row("get", staff(403, comms=200)),
    "registry:account_edit": Row("get", staff(404, comms=200, **ACTS_ON_ACCOUNT), kwargs=library_account),
    "registry:account_status": Row("post", staff(404, comms=422, **ACTS_ON_ACCOUNT), kwargs=library_account),
    "registry:editor_assign": Row("post", staff(404, comms=422, **ACTS_ON_ACCOUNT), kwargs=library_account),
    "registry:account_review": Row("get", staff(404, comms=200, **ACTS_ON_ACCOUNT), kwargs=library_account),
    "registry:editor_revoke": Row("post", staff(403, comms=302), kwargs=eriks_assignment),
    "registry:access_review": Row("get", staff(403, comms=200)),
    "registry:reviews_due": Row("get", staff(403, **SEES_ACCOUNT)),
    "registry:platforms": Row("get", staff(403, comms=200)),
    "registry:platform_edit": Row("get", staff(403, comms=200), kwargs=instagram),
    "registry_public:list": Row("get", staff(200, anonymous=200)),
    "registry_public:json": Row("get", staff(200, anonymous=200)),
    "registry_public:csv": Row("get", staff(200, anonymous=200)),
    "registry_public:schema": Row("get", staff(200, anonymous=200)),
    "registry_public:embed": Row("get", staff(200, anonymous=200)),
    "core:accessibility": Row("get", staff(200, anonymous=200)),
    "applications:list": Row("get", staff(200)),
    "applications:create": Row("get", staff(200)),
    "applications:overview": Row("get", staff(403, comms=200)),
    "applications:detail": Row("get", staff(404, **SEES_APPLICATION), kwargs=charlies_application),
    # Only the applicant edits; a submitted application sends them back to its page.
    "applications:edit": Row(
        "get", staff(404, employee=302, unit_manager=403, comms=403), kwargs=charlies_application
    ),
    "applications:decide": Row(
        "post", staff(404, employee=422, unit_manager=422, comms=422), kwargs=charlies_application
    ),
    "applications:tick": Row(
        "post", staff(404, employee=403, unit_manager=403, comms=302), kwargs=charlies_checklist_item
    ),
    # The vault: comms only (deputies are tested in tests/vault). Reveals and the export first send
    # comms to a fresh two-factor check (302), since signing in was not within the last minutes.
    "vault:index": Row("get", staff(403, comms=200)),
    "vault:rotation_due": Row("get", staff(403, comms=200)),
    "vault:deputies": Row("get", staff(403, comms=200)),
    "vault:name_deputy": Row("post", staff(403, comms=422)),
    "vault:revoke_deputy": Row("post", staff(403, comms=302), kwargs=a_vault_deputy),
    "vault:export": Row("get", staff(403, comms=302)),
    "vault:generate_password": Row("get", staff(403, comms=200)),
    "vault:account": Row("get", staff(403, comms=200), kwargs=an_account),
    "vault:deposit": Row("get", staff(403, comms=200), kwargs=an_account),
    "vault:edit": Row("get", staff(403, comms=200), kwargs=a_credential),
    "vault:reveal": Row("get", staff(403, comms=302), kwargs=a_credential),
    "vault:totp_code": Row("post", staff(403, comms=302), kwargs=a_credential, data={"reason": "Test"}),
    "vault:copied": Row("post", staff(403, comms=400), kwargs=a_credential),
    # The guideline is public inside Sigill; comms publishes and follows up.
    "guidelines:current": Row("get", staff(200)),
    "guidelines:version": Row("get", staff(200), kwargs=guideline_version),
    "guidelines:acknowledge": Row("post", staff(302), kwargs=guideline_version),
    "guidelines:publish": Row("get", staff(403, comms=200)),
    "guidelines:report": Row("get", staff(403, comms=200), kwargs=guideline_in_force),
    # Compliance follows the account: whoever sees it sees its checks; its editors and comms check.
    "compliance:overview": Row("get", staff(403, **SEES_ACCOUNT)),
    "compliance:account": Row("get", staff(404, **SEES_ACCOUNT), kwargs=library_account_being_set_up),
    "compliance:check": Row(
        "get",
        staff(404, comms=200, editor=200, registrar=403, unit_manager=403),
        kwargs=library_account_being_set_up,
    ),
    "compliance:text_applied": Row(
        "post",
        staff(404, comms=302, editor=302, registrar=403, unit_manager=403),
        kwargs=library_account_being_set_up,
    ),
    "compliance:evidence": Row("get", staff(404, **SEES_ACCOUNT), kwargs=a_profile_check),
    "compliance:templates": Row("get", staff(403, comms=200)),
    "compliance:template_edit": Row("get", staff(403, comms=200), kwargs=about_full),
    "compliance:municipality": Row("get", staff(403, comms=200)),
    # The comment-policy page and its report form are public; an empty report is answered 422.
    "compliance_public:policy": Row("get", staff(200, anonymous=200), kwargs=library_account_being_set_up),
    "archive:search": Row("get", staff(403, **ARCHIVE_READERS)),
    "archive:item": Row("get", staff(404, **ARCHIVE_READERS), kwargs=an_item),
    "archive:attachment": Row("get", staff(404, **ARCHIVE_READERS), kwargs=an_attachment),
    "archive:mark_secret": Row(
        "post",
        staff(404, comms=302, registrar=302, unit_manager=403, editor=302),
        kwargs=an_item,
        data={"provision": "OSL 26 kap. 1 §"},
    ),
    "archive:manual_capture": Row("get", staff(403, comms=200, editor=200)),
    # Capture state follows the account: whoever sees it sees its coverage; comms connects and syncs.
    "connectors:overview": Row("get", staff(403, **SEES_ACCOUNT)),
    "connectors:account": Row("get", staff(404, **SEES_ACCOUNT), kwargs=library_account),
    "connectors:connect": Row("post", staff(404, comms=422, **ACTS_ON_ACCOUNT), kwargs=library_account),
    "connectors:reconnect": Row(
        "post", staff(404, comms=302, **ACTS_ON_ACCOUNT), kwargs=connected_library_account
    ),
    "connectors:sync_now": Row(
        "post", staff(404, comms=302, **ACTS_ON_ACCOUNT), kwargs=connected_library_account
    ),
    # Comms and the account's editors import export files; whoever sees the account sees the run.
    "connectors:import": Row("get", staff(403, comms=200, editor=200)),
    "connectors:import_run": Row("get", staff(404, **SEES_ACCOUNT), kwargs=an_import_run),
    # Trying a failed import again or discarding its kept file: whoever may import into the
    # account (this run was refused, so they are sent back to it with the reason); the rest 403.
    "connectors:import_retry": Row(
        "post", staff(404, comms=302, editor=302, registrar=403, unit_manager=403), kwargs=an_import_run
    ),
    "connectors:import_discard": Row(
        "post", staff(404, comms=302, editor=302, registrar=403, unit_manager=403), kwargs=an_import_run
    ),
    # Meta's webhook: the handshake without the verify token is refused for everyone.
    "connectors:meta_webhook": Row("get", staff(403, anonymous=403)),
    # A platform fetches a post's file by its signed address (no sign-in); a wrong one is not found.
    "connectors:outgoing_media": Row(
        "get", staff(404, anonymous=404), kwargs=lambda: {"token": "not-a-token"}
    ),
    # Logging an account in with its platform is comms' work; nobody else sees the log-ins. The
    # library's platform app (Instagram) is not set up here, so comms' start is refused with 422; an
    # answer from a platform without a log-in started in this session is refused with 400.
    "oauth:setup": Row("get", staff(403, comms=200)),
    "oauth:account": Row("get", staff(403, comms=200), kwargs=library_account),
    "oauth:start": Row("post", staff(403, comms=422), kwargs=library_account),
    # An app password is only for Bluesky; given none, comms' form is refused with 422.
    "oauth:app_password": Row("post", staff(403, comms=422), kwargs=library_account),
    "oauth:callback": Row("get", staff(403, comms=400), kwargs=lambda: {"platform": "facebook"}),
    # Publishing: whoever sees an account sees its posts (not the contact center or an employee);
    # its editors and comms write them; the approver must be named by a rule and the draft sent
    # (this one is not, so everyone is refused); only comms overrides a check or sets the rules.
    "publishing:index": Row("get", staff(200, contact_center=403, employee=403)),
    "publishing:month": Row("get", staff(200, contact_center=403, employee=403)),
    "publishing:week": Row("get", staff(200, contact_center=403, employee=403)),
    "publishing:new": Row("get", staff(403, comms=200, editor=200)),
    "publishing:rules": Row("get", staff(403, comms=200)),
    "publishing:feed": Row("get", staff(200, contact_center=403, employee=403)),
    "publishing:ical": Row("get", staff(404, anonymous=404), kwargs=lambda: {"token": "not-a-token"}),
    "publishing:draft": Row("get", staff(200, contact_center=404, employee=404), kwargs=a_draft),
    "publishing:history": Row("get", staff(200, contact_center=404, employee=404), kwargs=a_draft),
    "publishing:checks": Row(
        "post", staff(403, comms=200, editor=200, contact_center=404, employee=404), kwargs=a_draft
    ),
    "publishing:add_media": Row(
        "post", staff(403, comms=422, editor=422, contact_center=404, employee=404), kwargs=a_draft
    ),
    "publishing:remove_media": Row(
        "post",
        staff(403, comms=404, editor=404, contact_center=404, employee=404),
        kwargs=a_draft_and_no_media,
    ),
    "publishing:submit": Row(
        "post", staff(403, comms=302, editor=302, contact_center=404, employee=404), kwargs=a_draft
    ),
    "publishing:publish_now": Row(
        "post", staff(403, comms=302, editor=302, contact_center=404, employee=404), kwargs=a_draft
    ),
    "publishing:approve": Row("post", staff(403, contact_center=404, employee=404), kwargs=a_draft),
    "publishing:send_back": Row("post", staff(403, contact_center=404, employee=404), kwargs=a_draft),
    "publishing:comment": Row("post", staff(302, contact_center=404, employee=404), kwargs=a_draft),
    "publishing:override": Row(
        "post", staff(403, comms=302, contact_center=404, employee=404), kwargs=a_draft
    ),
    "publishing:reschedule": Row(
        "post", staff(403, comms=302, editor=302, contact_center=404, employee=404), kwargs=a_draft
    ),
    # Anyone may verify a disclosed copy; the page shows the form.
    "records_public:verify": Row("get", staff(200, anonymous=200)),
    "records:index": Row("get", staff(403, registrar=302, comms=302)),
    "records:rules": Row("get", staff(403, **KEEPS_RECORDS)),
    "records:rule": Row("get", staff(404, **KEEPS_RECORDS), kwargs=a_retention_rule),
    # Nothing is due under the rule: the registrar's confirmation is refused with 422.
    "records:rule_dispose": Row("post", staff(404, registrar=422, comms=403), kwargs=a_retention_rule),
    "records:rule_retire": Row("post", staff(404, registrar=302, comms=302), kwargs=a_retention_rule),
    "records:holds": Row("get", staff(403, **KEEPS_RECORDS)),
    # A release without a reason is refused with a message on the list.
    "records:hold_release": Row("post", staff(404, registrar=302, comms=302), kwargs=a_legal_hold),
    "records:disposals": Row("get", staff(403, **KEEPS_RECORDS)),
    "records:earchive": Row("get", staff(403, **KEEPS_RECORDS)),
    # Closing an account is comms' work; the registrar follows it. An empty step form: 422.
    "records:closures": Row("get", staff(403, **KEEPS_RECORDS)),
    "records:closure": Row("get", staff(404, **KEEPS_RECORDS), kwargs=a_closure),
    "records:closure_act": Row("post", staff(404, comms=422, registrar=403), kwargs=a_closure_step),
    "records:requests": Row("get", staff(403, **REGISTRAR_ONLY)),
    "records:request_create": Row("get", staff(403, **REGISTRAR_ONLY)),
    "records:request": Row("get", staff(404, **REGISTRAR_ONLY), kwargs=a_disclosure_request),
    "records:request_add": Row("post", staff(404, registrar=302), kwargs=a_disclosure_request),
    "records:record_review": Row(
        "post", staff(404, registrar=302), kwargs=a_requested_record, data={"action": "disclose"}
    ),
    # An empty decision on a request with an unreviewed record, and an empty withdrawal: 422.
    "records:request_decide": Row("post", staff(404, registrar=422), kwargs=a_disclosure_request),
    "records:request_withdraw": Row("post", staff(404, registrar=422), kwargs=a_disclosure_request),
    # The package of a request still being prepared cannot be downloaded yet.
    "records:package": Row("get", staff(404, registrar=403), kwargs=a_package),
    "inquiries:list": Row("get", staff(200)),
    "inquiries:create": Row("get", staff(200)),
    "inquiries:queue": Row("get", staff(403, comms=200, contact_center=200)),
    "inquiries:detail": Row("get", staff(404, **SEES_INQUIRY), kwargs=charlies_inquiry),
    "inquiries:assign": Row("post", staff(404, **WORKS_INQUIRY), kwargs=charlies_inquiry),
    "inquiries:answer": Row("post", staff(404, **WORKS_INQUIRY), kwargs=charlies_inquiry),
    "inquiries:close": Row("post", staff(404, **WORKS_INQUIRY), kwargs=charlies_inquiry),
    "inquiries:send": Row(
        "post",
        staff(404, employee=403, comms=403, registrar=302, contact_center=302),
        kwargs=charlies_inquiry,
    ),
    "moderation:queue": Row("get", staff(403, **SEES_CASES)),
    "moderation:bulk": Row("post", staff(403, comms=302, editor=302)),
    "moderation:case": Row("get", staff(404, **SEES_CASES), kwargs=a_case),
    "moderation:decide": Row(
        "post",
        staff(404, comms=302, editor=302, unit_manager=403, registrar=403),
        kwargs=a_case,
        data={"act": "keep"},
    ),
    "moderation:unhide": Row(
        "post", staff(404, comms=302, editor=302, unit_manager=403, registrar=403), kwargs=a_hidden_case
    ),
    "moderation:platform_act": Row(
        "post", staff(404, comms=302, editor=302, unit_manager=403, registrar=403), kwargs=a_hide_decision
    ),
    "moderation:evidence": Row(
        "get", staff(404, comms=200, editor=200, unit_manager=403, registrar=403), kwargs=a_threat_decision
    ),
    "moderation:finding_wrong": Row(
        "post", staff(404, comms=302, editor=302, unit_manager=403, registrar=403), kwargs=a_finding
    ),
    "moderation:report_handled": Row("post", staff(404, comms=302, editor=302), kwargs=a_residents_report),
    "moderation:registrations": Row("get", staff(403, comms=200, registrar=200)),
    "moderation:register": Row(
        "post",
        staff(404, comms=403, registrar=302),
        kwargs=a_secret_decision,
        data={"reference": "KS 2026/0412"},
    ),
    "moderation:supervision": Row("get", staff(403, **SEES_CASES)),
    "moderation:account": Row("get", staff(403, **SEES_CASES), kwargs=library_account),
    "moderation:check": Row("get", staff(403, comms=200, editor=200)),
    "moderation:word_lists": Row("get", staff(403, comms=200)),
    "moderation:word_list": Row("get", staff(403, comms=200), kwargs=lambda: {"name": "spam"}),
    # Alerts: everyone chooses their own; comms and editors see the rota, comms keeps it and sees
    # the alerts sent (an empty form is refused with 422, after the permission check).
    "alerts:preferences": Row("get", staff(200)),
    "alerts:rota": Row("get", staff(403, comms=200, editor=200)),
    "alerts:assign_week": Row("post", staff(403, comms=422)),
    "alerts:assign_day": Row("post", staff(403, comms=422)),
    "alerts:list": Row("get", staff(403, comms=200)),
    "reports:index": Row("get", staff(403, comms=302, unit_manager=302)),
    "reports:month": Row("get", staff(403, **READS_REPORTS), kwargs=last_month),
    "reports:csv": Row("get", staff(403, **READS_REPORTS), kwargs=last_month),
    "reports:pdf": Row("get", staff(403, **READS_REPORTS), kwargs=last_month),
    "reports:account": Row("get", staff(403, **READS_REPORTS), kwargs=a_live_account_last_month),
    # Personal API tokens: everyone manages their own; someone else's token is not found.
    "api_tokens:list": Row("get", staff(200)),
    "api_tokens:revoke": Row("post", staff(404, employee=302), kwargs=charlies_token),
    # The REST API answers as the pages do, with a token instead of a session (tests/api has more).
    "api:api-root": Row("get", everyone(200), api=True),
    "api:index": Row("get", everyone(200), api=True),
    "api:openapi-json": Row("get", everyone(200), api=True),
    "api:problem_type": Row("get", everyone(200), kwargs=lambda: {"slug": "not-found"}, api=True),
    "api:public_accounts": Row("get", everyone(200), api=True),
    "api:accounts": Row("get", api(403, **SEES_ACCOUNT), api=True),
    "api:account": Row("get", api(404, **SEES_ACCOUNT), kwargs=library_account, api=True),
    "api:accounts_create": Row("post", api(403, comms=201), data=a_new_account(), api=True),
    "api:account_update": Row(
        "put",
        api(404, comms=200, **ACTS_ON_ACCOUNT),
        kwargs=library_account,
        data=the_library_as_registered(),
        api=True,
    ),
    "api:archive_search": Row("get", api(403, **ARCHIVE_READERS), api=True),
    "api:archive_item": Row("get", api(404, **ARCHIVE_READERS), kwargs=an_item, api=True),
    "api:moderation_cases": Row("get", api(403, **SEES_CASES), api=True),
    "api:moderation_case": Row("get", api(404, **SEES_CASES), kwargs=a_case, api=True),
    "api:moderation_decide": Row(
        "post",
        api(404, comms=201, editor=201, unit_manager=403, registrar=403),
        kwargs=a_case,
        data={"act": "keep"},
        api=True,
    ),
    "api:reports_month": Row("get", api(403, **READS_REPORTS), kwargs=last_month, api=True),
    "api:reports_account": Row("get", api(403, **READS_REPORTS), kwargs=a_live_account_last_month, api=True),
    "api:inquiries": Row("get", api(200), api=True),
    "api:inquiry": Row("get", api(404, **SEES_INQUIRY), kwargs=charlies_inquiry, api=True),
    "api:inquiries_create": Row(
        "post",
        api(201),
        data={
            "question": "När öppnar simhallen?",
            "asked_where": "Facebook",
            "asked_at": "2026-01-05T10:00:00+01:00",
        },
        api=True,
    ),
}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    """The full name (``namespace:name``) of every URL pattern the project serves."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"


def test_every_url_pattern_has_a_row_in_the_table() -> None:
    served = set(url_names())
    assert served - TABLE.keys() == set(), "add these URLs to the permission matrix"
    assert TABLE.keys() - served == set(), "these rows name URLs that no longer exist"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(TABLE))
def test_the_url_answers_each_role_as_declared(
    url_name: str, role: str, request: pytest.FixtureRequest, units: dict[str, Unit]
) -> None:
    for person in PERSON_FOR_ROLE.values():
        request.getfixturevalue(person)
    services.assign_editor(
        account=request.getfixturevalue("library_account"), user=erik_user(), by=comms_user()
    )
    request.getfixturevalue("submitted")
    heartbeat.beat()
    row = TABLE[url_name]
    client = (
        Client() if role == "anonymous" else signed_in_client(request.getfixturevalue(PERSON_FOR_ROLE[role]))
    )
    url = reverse(url_name, kwargs=row.kwargs())
    if row.api:
        token_holder: User | None = (
            None if role == "anonymous" else request.getfixturevalue(PERSON_FOR_ROLE[role])
        )
        headers: dict[str, Any] = (
            {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(token_holder)}"} if token_holder else {}
        )
        body: Any = row.data if row.method != "get" else {}
        kind: dict[str, Any] = {"content_type": "application/json"} if row.method != "get" else {}
        response = getattr(Client(), row.method)(url, body, **kind, **headers)
    else:
        response = getattr(client, row.method)(url, row.data)
    expected = row.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} {row.method.upper()} {url}"
        assert response["Location"].startswith(reverse("core:login")), (
            f"{role} {url} -> {response['Location']}"
        )
    else:
        assert response.status_code == expected, f"{role} {row.method.upper()} {url}"
