"""The platform catalogue and the API connectors agree on which platforms are captured by API.

Each connector's own sync tests are in test_<platform>_sync.py (Facebook's in test_facebook_sync.py):
parent, author, text, time and attachments of every post, comment and reply on the platforms'
payloads, paging, rate limits and expired tokens.
"""

from __future__ import annotations

from typing import Any

import pytest

from sigill.connectors.base import has_connector
from sigill.registry.models import Platform


@pytest.mark.parametrize("slug", ["tiktok", "threads", "snapchat"])
def test_the_catalogue_says_which_platforms_are_captured_only_by_export_or_by_hand(
    slug: str, db: Any
) -> None:
    platform = Platform.objects.get(slug=slug)
    assert not platform.captures_comments_by_api and not has_connector(slug)
    assert "hand" in platform.notes


@pytest.mark.parametrize("slug", ["facebook", "instagram", "youtube", "linkedin", "x", "mastodon", "bluesky"])
def test_every_platform_the_catalogue_captures_by_api_has_a_connector(slug: str, db: Any) -> None:
    platform = Platform.objects.get(slug=slug)
    assert platform.captures_comments_by_api and has_connector(slug)
