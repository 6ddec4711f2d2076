"""Attachments come from the platforms' content hosts, which never see an account's API token."""

from __future__ import annotations

from typing import Any

import pytest

from sigill.connectors import http
from tests.connectors.conftest import JPEG, TOKEN

IMAGE = "https://scontent.xx.fbcdn.net/v/t39.30808-6/473829104_n.jpg?oh=00_AYB&oe=6790A1B2&access_token=EAAG"


def test_a_file_named_by_a_webhook_is_downloaded_without_credentials_or_a_token_in_its_address(
    httpx2_mock: Any,
) -> None:
    route = httpx2_mock.get(url__regex=r"^https://scontent\.xx\.fbcdn\.net/").respond(content=JPEG)
    assert http.RemoteFile(IMAGE).read() == JPEG
    request = route.calls.last.request
    assert "authorization" not in request.headers
    assert "access_token" not in request.url.params
    assert request.url.params["oh"] == "00_AYB", "the host's own signature is kept"


def test_a_file_refuses_to_be_downloaded_with_the_api_client(httpx2_mock: Any) -> None:
    remote = http.RemoteFile(IMAGE)
    with http.client(headers=http.bearer(TOKEN)) as api:
        remote.client = api
        with pytest.raises(RuntimeError):
            remote.read()
    assert not httpx2_mock.calls
