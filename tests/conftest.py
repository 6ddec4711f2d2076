"""Shared fixtures: Vara kommun's units and the named people who work there.

* Alice works in communications (comms), with two-factor.
* Bob manages Bildningsförvaltningen (unit manager) and so every unit below it.
* Charlie is an employee at Nästegårdsskolan, below Bob's administration.
* Dana is the registrar, with two-factor.
* Erik is an editor at Vara bibliotek.
* Frida works at the contact center.
* Gustav manages Samhällsbyggnadsförvaltningen, outside Bob's administration.
"""

from __future__ import annotations

import binascii
import functools
import os
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client, override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigill.core import append_only
from sigill.organisation import services
from sigill.organisation.models import Role, Unit, User

# The browser tests drive Playwright's sync API beside pytest-django's live server. (Settings
# load with DEBUG=true, set by scripts/test.sh, and pytest-django turns DEBUG off while tests run.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-test-password-1"
APPEND_ONLY_TABLES = [
    "core_auditentry",
    "archive_archiveevent",
    "archive_item",
    "archive_itemversion",
    "archive_attachment",
    "archive_itemfact",
    "archive_disposedrow",
    "records_disposalrecord",
    "inquiries_inquiryevent",
    "moderation_decision",
    "moderation_platformact",
    "moderation_registration",
    "moderation_supervisionvisit",
    "moderation_findingfeedback",
    "moderation_wordlist",
    "reports_monthlyreport",
]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language (Swedish), whatever ran before it on this worker:
    a request in English leaves English active in the thread after its response."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _anchor_file(tmp_path: Path) -> Iterator[Path]:
    """Anchored heads go to a file of the test's own, never to var/ (which `make run` fills)."""
    path = tmp_path / "anchors" / "heads.jsonl"
    with override_settings(ANCHOR_FILE=path):
        yield path


@pytest.fixture(autouse=True)
def _append_only_triggers(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep the append-only triggers in place, except while a transactional test empties the tables.

    Django empties the database after a transactional test (live server, browser) with DELETE or
    TRUNCATE, which the triggers rightly refuse; they are lifted for that flush only and put back
    before the next test.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )
    if not transactional and "db" not in request.fixturenames and marker is None:
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    for table in APPEND_ONLY_TABLES:
        append_only.protect(connection, table)
    if transactional:
        restore_data_migrations()
    yield
    if transactional:
        for table in APPEND_ONLY_TABLES:
            append_only.unprotect(connection, table)


def restore_data_migrations() -> None:
    """Put back what data migrations load (the platform catalogue), which the flush after a
    transactional test removed."""
    from django.apps import apps

    if not apps.get_model("registry", "Platform").objects.exists():
        import_module("sigill.registry.migrations.0002_platform_catalogue").load(apps, None)
        import_module("sigill.connectors.migrations.0002_export_only_platforms").export_only(apps, None)
        import_module("sigill.registry.migrations.0003_platform_hide_is_final").mark_final(apps, None)


@pytest.fixture
def units(db: Any) -> dict[str, Unit]:
    """A small tree: two administrations, departments and sections below them."""
    tree: dict[str, Unit] = {}
    for slug, name, kind, parent in [
        ("kommunledning", "Kommunledningsförvaltningen", Unit.Kind.ADMINISTRATION, None),
        ("kommunikation", "Kommunikationsavdelningen", Unit.Kind.DEPARTMENT, "kommunledning"),
        ("kansli", "Kansliavdelningen", Unit.Kind.DEPARTMENT, "kommunledning"),
        ("bildning", "Bildningsförvaltningen", Unit.Kind.ADMINISTRATION, None),
        ("grundskola", "Grundskoleavdelningen", Unit.Kind.DEPARTMENT, "bildning"),
        ("nastegardsskolan", "Nästegårdsskolan", Unit.Kind.SECTION, "grundskola"),
        ("kultur-fritid", "Kultur och fritid", Unit.Kind.DEPARTMENT, "bildning"),
        ("bibliotek", "Vara bibliotek", Unit.Kind.SECTION, "kultur-fritid"),
        ("samhallsbyggnad", "Samhällsbyggnadsförvaltningen", Unit.Kind.ADMINISTRATION, None),
        ("gata-park", "Gata och park", Unit.Kind.DEPARTMENT, "samhallsbyggnad"),
    ]:
        tree[slug] = services.create_unit(
            name=name, slug=slug, kind=kind, parent=tree[parent] if parent else None
        )
    return tree


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once with the real hasher; hashing it for every person would take seconds."""
    return make_password(PASSWORD)


def make_person(username: str, first_name: str, last_name: str, roles: list[tuple[Unit, str]]) -> User:
    user = User.objects.create(
        username=username, password=password_hash(), first_name=first_name, last_name=last_name
    )
    for unit, role in roles:
        services.grant_membership(user=user, unit=unit, role=role)
    return user


def add_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(binascii.unhexlify(device.key), step=device.step, digits=device.digits):06d}"


@pytest.fixture
def alice(units: dict[str, Unit]) -> User:
    user = make_person("alice", "Alice", "Andersson", [(units["kommunikation"], Role.COMMS)])
    add_totp_device(user)
    return user


@pytest.fixture
def bob(units: dict[str, Unit]) -> User:
    return make_person("bob", "Bob", "Berglund", [(units["bildning"], Role.UNIT_MANAGER)])


@pytest.fixture
def charlie(units: dict[str, Unit]) -> User:
    return make_person("charlie", "Charlie", "Carlsson", [(units["nastegardsskolan"], Role.EMPLOYEE)])


@pytest.fixture
def dana(units: dict[str, Unit]) -> User:
    user = make_person("dana", "Dana", "Dahl", [(units["kansli"], Role.REGISTRAR)])
    add_totp_device(user)
    return user


@pytest.fixture
def erik(units: dict[str, Unit]) -> User:
    return make_person("erik", "Erik", "Ek", [(units["bibliotek"], Role.EDITOR)])


@pytest.fixture
def frida(units: dict[str, Unit]) -> User:
    return make_person("frida", "Frida", "Fors", [(units["kansli"], Role.CONTACT_CENTER)])


@pytest.fixture
def gustav(units: dict[str, Unit]) -> User:
    return make_person("gustav", "Gustav", "Gran", [(units["samhallsbyggnad"], Role.UNIT_MANAGER)])


def signed_in_client(user: User) -> Client:
    """A client signed in as ``user``, past the two-factor step if they have a device."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


pytest_plugins = ["tests.registry.fixtures", "tests.applications.fixtures"]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache, as a fresh process would."""
    from django.core.cache import cache

    cache.clear()
    yield
