"""Depositing, changing, rotation, activation, API tokens and the break-glass export."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pytest
import qrcode
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sigill.core.models import AuditEntry
from sigill.organisation import services as organisation_services
from sigill.organisation.models import Membership, Role, Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from sigill.vault import selectors, services
from sigill.vault.models import Credential
from sigill.vault.totp import parse_totp
from tests.conftest import signed_in_client
from tests.vault.conftest import API_TOKEN, SECRETS, deposit, fresh_two_factor

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(text).save(buffer)
    return buffer.getvalue()


def test_comms_deposits_a_login_with_the_two_factor_secret_from_a_qr_image(
    alice: User, account: Account
) -> None:
    uri = f"otpauth://totp/Instagram:varabibliotek?secret={SECRETS['totp_secret']}&issuer=Instagram&digits=6"
    response = signed_in_client(alice).post(
        reverse("vault:deposit", kwargs={"slug": account.slug}),
        {
            "label": "Sidan",
            "kind": "login",
            "login_name": "bibliotek@vara.example",
            "password": SECRETS["password"],
            "totp_qr": SimpleUploadedFile("qr.png", qr_png(uri), content_type="image/png"),
            "rotation_days": 180,
        },
    )
    assert response.status_code == 302
    credential = Credential.objects.get(account=account)
    assert services.open_field(credential, "totp_secret") == SECRETS["totp_secret"]
    assert credential.rotation_days == 180
    entry = AuditEntry.objects.get(act="vault.credential.deposited")
    assert entry.details["fields"] == ["password", "totp_secret"]


def test_an_image_without_a_qr_code_is_refused_clearly(alice: User, account: Account) -> None:
    response = signed_in_client(alice).post(
        reverse("vault:deposit", kwargs={"slug": account.slug}),
        {
            "label": "Sidan",
            "kind": "login",
            "password": "x" * 12,
            "rotation_days": 30,
            "totp_qr": SimpleUploadedFile("a.txt", b"not an image"),
        },
    )
    assert response.status_code == 422
    assert "inte en bild" in response.content.decode()


@pytest.mark.parametrize(
    "text",
    ["jbsw y3dp ehpk 3pxp jbsw y3dp", "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXPJBSWY3DP&period=30"],
)
def test_a_two_factor_secret_may_be_base32_or_an_otpauth_address(text: str) -> None:
    assert parse_totp(text).secret == "JBSWY3DPEHPK3PXPJBSWY3DP"


@pytest.mark.parametrize(
    "text",
    [
        "not-base32!!",
        "otpauth://hotp/X?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/X?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256",
    ],
)
def test_a_wrong_two_factor_secret_is_refused_without_repeating_it(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_totp(text)
    assert text not in str(error.value)


def test_an_edit_form_never_shows_a_secret_and_empty_fields_keep_them(
    alice: User, credential: Credential
) -> None:
    client = signed_in_client(alice)
    url = reverse("vault:edit", kwargs={"pk": credential.pk})
    page = client.get(url).content.decode()
    for value in SECRETS.values():
        assert value not in page
    response = client.post(
        url,
        {
            "label": "Sidan",
            "kind": "login",
            "login_name": "ny@vara.example",
            "rotation_days": 365,
            "notes": "",
            "password": "",
            "reason": "Byter e-post",
        },
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.login_name == "ny@vara.example"
    assert services.open_field(credential, "password") == SECRETS["password"]
    assert services.open_field(credential, "notes") == SECRETS["notes"]
    entry = AuditEntry.objects.get(act="vault.credential.changed")
    assert entry.details == {
        "account": credential.account.slug,
        "changed": ["login_name"],
        "reason": "Byter e-post",
    }


def test_a_new_password_counts_as_a_rotation(alice: User, credential: Credential) -> None:
    before = credential.rotated_at
    services.change_credential(
        credential=credential,
        by=alice,
        reason="Rutinbyte",
        secrets_given=services.Secrets(password="Nytt-losen-2027!"),
    )
    credential.refresh_from_db()
    assert credential.rotated_at > before
    assert services.open_field(credential, "password") == "Nytt-losen-2027!"


def test_rotation_is_due_when_comms_loses_someone_an_editor_goes_or_time_passes(
    alice: User, bob: User, erik: User, units: dict[str, Unit], account: Account, credential: Credential
) -> None:
    assert selectors.rotation_due(alice) == []
    assignment = registry_services.assign_editor(account=account, user=erik, by=alice)
    registry_services.revoke_editors(assignments=[assignment], by=alice)
    [due] = selectors.rotation_due(alice)
    assert [str(reason) for reason in due.reasons] == ["en redaktör för kontot har tagits bort"]

    colleague = User.objects.create(username="clara")
    organisation_services.grant_membership(user=colleague, unit=units["kommunikation"], role=Role.COMMS)
    organisation_services.revoke_membership(membership=Membership.objects.get(user=colleague), by=alice)
    [due] = selectors.rotation_due(alice)
    assert len(due.reasons) == 2

    services.change_credential(
        credential=credential,
        by=alice,
        reason="Bytt efter avgång",
        secrets_given=services.Secrets(password="Ny-1234-abcd"),
    )
    assert selectors.rotation_due(alice) == []
    later = timezone.now() + dt.timedelta(days=credential.rotation_days + 1)
    [due] = selectors.rotation_due(alice, now=later)
    assert [str(reason) for reason in due.reasons] == ["den är äldre än sin bytesperiod"]
    assert signed_in_client(alice).get(reverse("vault:rotation_due")).status_code == 200


def test_a_revoked_vault_deputy_makes_every_credential_due(
    alice: User, frida: User, credential: Credential
) -> None:
    deputy = services.name_deputy(user=frida, by=alice)
    services.revoke_deputy(deputy=deputy, by=alice)
    assert [due.credential for due in selectors.rotation_due(alice)] == [credential]


def test_an_account_cannot_be_activated_without_a_deposited_login(alice: User, account: Account) -> None:
    account = registry_services.change_status(
        account=account, to=Account.Status.SETTING_UP, reason="Ok.", by=alice
    )
    with pytest.raises(ValidationError, match="valvet"):
        registry_services.change_status(account=account, to=Account.Status.ACTIVE, reason="Klar.", by=alice)
    deposit(account, alice)
    account = registry_services.change_status(
        account=account, to=Account.Status.ACTIVE, reason="Klar.", by=alice
    )
    assert account.status == Account.Status.ACTIVE


def test_a_sync_opens_the_api_token_and_each_use_is_counted_per_run(alice: User, account: Account) -> None:
    services.deposit_credential(
        account=account,
        by=alice,
        label="API",
        kind=Credential.Kind.API_TOKEN,
        secrets_given=services.Secrets(api_token=API_TOKEN),
    )
    for _ in range(3):
        assert services.open_api_token(account=account, purpose="sync", sync_run_id="run-1") == API_TOKEN
    services.open_api_token(account=account, purpose="sync", sync_run_id="run-2")
    uses = AuditEntry.objects.filter(act="vault.api_token.opened").order_by("id")
    assert [(e.details["sync_run"], e.details["use"]) for e in uses] == [
        ("run-1", 1),
        ("run-1", 2),
        ("run-1", 3),
        ("run-2", 1),
    ]
    assert all(e.actor is None and API_TOKEN not in json.dumps(e.details) for e in uses)


def test_the_api_token_cannot_be_revealed_by_a_person(alice: User, account: Account) -> None:
    credential = services.deposit_credential(
        account=account,
        by=alice,
        label="API",
        kind=Credential.Kind.API_TOKEN,
        secrets_given=services.Secrets(api_token=API_TOKEN),
    )
    with pytest.raises(ValidationError):
        services.reveal(
            credential=credential, field_name="api_token", by=alice, reason="Vill se", recently_verified=True
        )


def test_the_password_generator_makes_strong_distinct_passwords(alice: User) -> None:
    passwords = {services.generate_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(len(p) == 24 for p in passwords)
    response = signed_in_client(alice).get(reverse("vault:generate_password"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def open_breakglass_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("open_breakglass", ROOT / "scripts" / "open_breakglass.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_break_glass_file_opens_with_the_standalone_script_and_the_export_is_audited(
    alice: User, credential: Credential
) -> None:
    client = fresh_two_factor(signed_in_client(alice))
    passphrase = "korrekt häst batteri häftstift"
    response = client.post(
        reverse("vault:export"), {"passphrase": passphrase, "passphrase_again": passphrase}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    blob = response.content
    for value in SECRETS.values():
        assert value.encode() not in blob
    bundle = open_breakglass_script().open_bundle(blob, passphrase)
    [entry] = bundle["credentials"]
    assert entry["password"] == SECRETS["password"]
    assert entry["totp_secret"] == SECRETS["totp_secret"]
    with pytest.raises(ValueError, match="Wrong passphrase"):
        open_breakglass_script().open_bundle(blob, "fel lösenfras helt och hållet")
    assert AuditEntry.objects.get(act="vault.exported").details == {"credentials": 1}


def test_a_deputy_cannot_export(alice: User, frida: User, credential: Credential) -> None:
    services.name_deputy(user=frida, by=alice)
    client = fresh_two_factor(signed_in_client(User.objects.get(pk=frida.pk)))
    assert client.get(reverse("vault:export")).status_code == 403
