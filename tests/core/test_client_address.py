"""The client's address: X-Forwarded-For is believed only from trusted proxies, read from the right."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from sigill.core.client_address import client_address


def address_of(remote: str, forwarded: str = "") -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert address_of("127.0.0.1", "203.0.113.5") == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=["127.0.0.1", "::1"])
def test_behind_a_trusted_nginx_the_resident_s_own_address_is_used() -> None:
    assert address_of("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    assert address_of("::1", "2001:db8::7") == "2001:db8::7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_an_address_a_client_wrote_into_the_header_itself_is_ignored() -> None:
    # The client sent "X-Forwarded-For: 10.9.9.9"; nginx appended the address it saw.
    assert address_of("127.0.0.1", "10.9.9.9, 203.0.113.5") == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_header_from_an_untrusted_machine_is_ignored() -> None:
    assert address_of("198.51.100.20", "203.0.113.5") == "198.51.100.20"


@override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/24"])
def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop() -> None:
    assert address_of("127.0.0.1", "10.9.9.9, 203.0.113.5, 10.0.0.4") == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_hop_that_is_not_an_address_stops_the_walk_at_the_trusted_proxy() -> None:
    assert address_of("127.0.0.1", "unknown") == "127.0.0.1"
    assert address_of("127.0.0.1", "203.0.113.5:5123") == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["nginx.local"])
def test_a_trusted_proxy_that_is_not_an_address_is_a_clear_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES holds 'nginx\.local'"):
        address_of("127.0.0.1", "203.0.113.5")
