"""Every URL of Sigill, for every role and for anonymous visitors, answers as this one table says.

A URL pattern without a row here fails the test: whoever adds a page declares who may see it.
The people are the named ones of conftest.py: Alice (comms), Bob (unit manager of
Bildningsförvaltningen), Erik (editor), Dana (registrar), Frida (contact center), Charlie
(employee).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sigill.archive import services as archive_services
from sigill.archive.capture import Capture, CapturedFile, Direction, Kind, Source
from sigill.archive.models import Attachment, Item
from sigill.core import heartbeat
from sigill.organisation.models import Membership, Role, Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.conftest import signed_in_client
from tests.registry.conftest import account_data, activate

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


def staff(status: int, *, anonymous: int | str = LOGIN, **by_role: int) -> dict[str, int | str]:
    """``status`` for every signed-in role unless named in ``by_role``; anonymous visitors separately."""
    return {"anonymous": anonymous, **{role: by_role.get(role, status) for role in STAFF}}


def bildning() -> dict[str, Any]:
    return {"slug": Unit.objects.get(slug="bildning").slug}


def a_membership() -> dict[str, Any]:
    return {"pk": Membership.objects.get(user__username="charlie", role=Role.EMPLOYEE).pk}


@pytest.fixture(autouse=True)
def _archive_files_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def library_account() -> Account:
    """Vara bibliotek on Facebook (a unit below Bob's), active, with Erik as its editor."""
    alice = User.objects.get(username="alice")
    account = Account.objects.filter(handle="varabibliotek").first()
    if account is None:
        data = account_data(
            Unit.objects.get(slug="bibliotek"),
            url="facebook.com/varabibliotek",
            platform="facebook",
            responsible=User.objects.get(username="erik"),
            deputy=User.objects.get(username="bob"),
        )
        account = activate(registry_services.create_account(data=data, by=alice), alice)
        registry_services.assign_editor(account=account, user=User.objects.get(username="erik"), by=alice)
    return account


def an_archived_post() -> Item:
    account = library_account()
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


def an_account_with_an_editor() -> dict[str, Any]:
    library_account()
    return {}


ARCHIVE_READERS = {"comms": 200, "registrar": 200, "unit_manager": 200, "editor": 200}

TABLE: dict[str, Row] = {
    "core:home": Row("get", staff(200)),
    "core:login": Row("get", staff(302, anonymous=200)),
    "core:logout": Row("post", staff(302, anonymous=302)),
    # Comms and the registrar have passed the second factor and are sent on; others may enrol.
    "core:two_factor": Row("get", staff(200, comms=302, registrar=302)),
    "core:audit_log": Row("get", staff(403, comms=200, registrar=200)),
    "core:healthz": Row("get", staff(200, anonymous=200)),
    "set_language": Row("post", staff(302, anonymous=302), data={"language": "en", "next": "/"}),
    "organisation:tree": Row("get", staff(403, comms=200, registrar=200, unit_manager=200)),
    "organisation:unit": Row("get", staff(404, comms=200, registrar=200, unit_manager=200), kwargs=bildning),
    "organisation:grant": Row("post", staff(403, comms=422), kwargs=bildning),
    "organisation:revoke": Row("post", staff(403, comms=302), kwargs=a_membership),
    "archive:search": Row("get", staff(403, **ARCHIVE_READERS)),
    "archive:item": Row("get", staff(404, **ARCHIVE_READERS), kwargs=an_item),
    "archive:attachment": Row("get", staff(404, **ARCHIVE_READERS), kwargs=an_attachment),
    "archive:mark_secret": Row(
        "post",
        staff(404, comms=302, registrar=302, unit_manager=403, editor=403),
        kwargs=an_item,
        data={"provision": "OSL 26 kap. 1 §"},
    ),
    "archive:manual_capture": Row("get", staff(403, comms=200, editor=200), kwargs=an_account_with_an_editor),
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
    heartbeat.beat()
    row = TABLE[url_name]
    client = (
        Client() if role == "anonymous" else signed_in_client(request.getfixturevalue(PERSON_FOR_ROLE[role]))
    )
    url = reverse(url_name, kwargs=row.kwargs())
    response = getattr(client, row.method)(url, row.data)
    expected = row.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} {row.method.upper()} {url}"
        assert response["Location"].startswith(reverse("core:login")), (
            f"{role} {url} -> {response['Location']}"
        )
    else:
        assert response.status_code == expected, f"{role} {row.method.upper()} {url}"
