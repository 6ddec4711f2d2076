"""The platform catalogue and the demo claim only what Sigill's code does (issue 18, item 3).

Every capture path and act the catalogue claims for a platform is held against the connectors that
are registered, the acts their actors carry out and the export readers that exist; every demo item
and capture run against the paths its platform has. A claim without the code behind it fails here.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from sigill.archive.capture import Kind, Source
from sigill.archive.models import Item, ItemVersion
from sigill.connectors import selectors as connectors
from sigill.connectors.base import connector_for
from sigill.connectors.exports import formats
from sigill.connectors.models import CaptureRun
from sigill.registry.models import Platform
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

SLUGS = "facebook instagram x linkedin youtube snapchat tiktok threads mastodon bluesky".split()


def _reads_direct_messages_by_api(slug: str) -> bool:
    """Whether the platform's connector walks the account's inbox: a request of its walk is about
    direct messages (the connector's read turns them into ``Kind.MESSAGE`` captures)."""
    connector = connector_for(slug)
    if connector is None:
        return False
    walk = connector.first(remote_id="1", api_base="https://social.example", since=None)
    return any(fetch.context.get("messages") for fetch in walk)


MESSAGES_BY_API = {"facebook", "instagram", "x", "mastodon", "bluesky"}


def _export_reads_direct_messages(slug: str) -> bool:
    """Whether an export reader's module makes direct messages (with ``formats.common.message``)."""
    modules = {inspect.getmodule(parser) for _pattern, parser in formats.FORMATS.get(slug, [])}
    return any(re.search(r"\bmessage\(", inspect.getsource(module)) for module in modules if module)


def test_the_catalogue_lists_every_platform_these_checks_hold_to_account() -> None:
    assert set(Platform.objects.exclude(slug="other").values_list("slug", flat=True)) == set(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_platform_says_it_is_captured_by_api_exactly_when_a_connector_syncs_it(slug: str) -> None:
    platform = Platform.objects.get(slug=slug)
    assert platform.captures_comments_by_api == (Source.API in connectors.capture_paths(slug))


@pytest.mark.parametrize("slug", SLUGS)
def test_a_platform_says_its_direct_messages_are_captured_by_api_exactly_when_its_connector_reads_them(
    slug: str,
) -> None:
    platform = Platform.objects.get(slug=slug)
    assert (
        platform.captures_messages_by_api == _reads_direct_messages_by_api(slug) == (slug in MESSAGES_BY_API)
    )
    if not platform.captures_messages_by_api:
        assert "direktmeddelanden" in platform.notes, "a platform without message access says so"


@pytest.mark.parametrize("slug", SLUGS)
def test_a_platform_says_the_messages_in_its_export_are_read_exactly_when_a_reader_reads_them(
    slug: str,
) -> None:
    notes = Platform.objects.get(slug=slug).notes
    assert ("Direktmeddelandena i kontots export läses in" in notes) == _export_reads_direct_messages(slug)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_platform_claims_exactly_the_acts_its_actor_carries_out_through_the_api(slug: str) -> None:
    platform = Platform.objects.get(slug=slug)
    assert platform.moderation_acts == connectors.api_acts(slug)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_platforms_note_mentions_an_export_only_where_sigill_reads_that_export(slug: str) -> None:
    notes = Platform.objects.get(slug=slug).notes.lower()
    if Source.EXPORT not in connectors.capture_paths(slug):
        assert "export" not in notes or "läser inte" in notes


def test_threads_and_tiktok_say_they_are_captured_and_hidden_by_api_and_snapchat_says_why_it_is_not() -> None:
    for slug, said in {"threads": "genom Threads API", "tiktok": "genom TikToks API för företag"}.items():
        platform = Platform.objects.get(slug=slug)
        assert said in platform.notes and "för hand" not in platform.notes.split(".")[0]
        assert Source.API in connectors.capture_paths(slug)
        assert platform.moderation_acts == connectors.api_acts(slug) == ["hide"]
    snapchat = Platform.objects.get(slug="snapchat")
    assert "inget publikt API" in snapchat.notes and "för hand" in snapchat.notes
    assert connectors.capture_paths("snapchat") == [Source.MANUAL] and snapchat.moderation_acts == []


def test_the_platform_list_tells_comms_plainly_whose_direct_messages_sigill_captures(alice: Any) -> None:
    response = signed_in_client(alice).get(reverse("registry:platforms"))
    page = response.content.decode()
    facebook = page[
        page.index("<bdi>Facebook</bdi></a>") : page.index("</tr>", page.index("<bdi>Facebook</bdi></a>"))
    ]
    assert "meddelanden" in facebook.split("<td>")[2]
    assert "pages_messaging" in facebook and "Sigill fångar inga direktmeddelanden" not in facebook
    linkedin = page[
        page.index("<bdi>LinkedIn</bdi></a>") : page.index("</tr>", page.index("<bdi>LinkedIn</bdi></a>"))
    ]
    assert "meddelanden" not in linkedin.split("<td>")[2]
    assert "ingen åtkomst till en organisations direktmeddelanden" in linkedin
    assert "Direktmeddelandena i kontots export läses in" in facebook
    threads = page[
        page.index("<bdi>Threads</bdi></a>") : page.index("</tr>", page.index("<bdi>Threads</bdi></a>"))
    ]
    assert "genom Threads API" in threads and "kontots export från Meta" in threads


def test_every_demo_item_and_capture_run_came_by_a_path_its_platform_has() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    paths = {
        slug: set(connectors.capture_paths(slug)) for slug in Platform.objects.values_list("slug", flat=True)
    }
    items = Item.objects.values_list("platform__slug", "source", "kind").distinct()
    claimed = {(slug, source, kind) for slug, source, kind in items if source not in paths[slug]}
    assert claimed == set()
    versions = ItemVersion.objects.values_list("item__platform__slug", "source").distinct()
    assert {(slug, source) for slug, source in versions if source not in paths[slug]} == set()
    runs = CaptureRun.objects.values_list("account__platform__slug", "path").distinct()
    assert {(slug, path) for slug, path in runs if path not in paths[slug]} == set()
    by_api = Item.objects.filter(kind=Kind.MESSAGE, source__in=[Source.API, Source.WEBHOOK])
    assert set(by_api.values_list("platform__slug", flat=True)) <= MESSAGES_BY_API
    threads = Item.objects.filter(platform__slug="threads")
    assert threads.exists() and not threads.exclude(source__in=[Source.API, Source.EXPORT]).exists()
