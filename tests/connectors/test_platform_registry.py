"""The platforms Sigill reaches through their API are found, not listed: every module in
``sigill.connectors.platforms`` is a connector, and a gap between the modules and the catalogue
stops the start instead of leaving accounts that silently never sync."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from sigill.connectors.base import has_connector
from sigill.connectors.checks import check_catalogue_has_connectors
from sigill.connectors.platforms import discover
from sigill.moderation import platform_acts
from sigill.registry.models import Platform

API_PLATFORMS = [
    "bluesky",
    "facebook",
    "instagram",
    "linkedin",
    "mastodon",
    "threads",
    "tiktok",
    "x",
    "youtube",
]


def test_every_platform_module_is_found_and_registers_its_connector() -> None:
    assert sorted(module.__name__.rsplit(".", 1)[-1] for module in discover()) == API_PLATFORMS
    assert all(has_connector(slug) for slug in API_PLATFORMS)
    assert not has_connector("snapchat")


def test_a_platform_that_can_act_has_its_actor_for_the_moderation_queue() -> None:
    facebook = platform_acts.actor_for("facebook")
    assert facebook is not None and facebook.can(platform_acts.HIDE)
    assert platform_acts.actor_for("snapchat") is None


def test_a_platform_module_that_registers_no_connector_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "more_platforms"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tumblr.py").write_text('"""A connector someone began and never registered."""\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        with pytest.raises(ImproperlyConfigured, match=r"more_platforms\.tumblr registers no connector"):
            discover("more_platforms")
    finally:
        for name in ("more_platforms.tumblr", "more_platforms"):
            sys.modules.pop(name, None)


@pytest.mark.django_db
def test_the_shipped_catalogue_has_a_connector_for_every_platform_it_reaches_by_api() -> None:
    assert check_catalogue_has_connectors(databases=["default"]) == []


@pytest.mark.django_db
def test_a_catalogue_platform_reached_by_api_without_a_connector_fails_the_start_up_check() -> None:
    Platform.objects.filter(slug="snapchat").update(captures_comments_by_api=True)
    errors = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    assert [(error.id, "Snapchat (snapchat)" in error.msg) for error in errors] == [
        ("sigill.connectors.E001", True)
    ]
