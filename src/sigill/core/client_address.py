"""The address of the person at the other end of a request, as far as Sigill can trust it.

Behind a reverse proxy (nginx, a load balancer) every request comes from the proxy's own address;
the proxy names the real client in ``X-Forwarded-For``. That header is only as good as whoever
wrote it: anyone can send one. So it is read only when the request came from a proxy named in
``settings.TRUSTED_PROXIES``, and only from the right: each proxy appends the address it received
the request from, so the first address from the right that is not a trusted proxy is the client.
Everything to the left of it was written by the client and is ignored.

Every limit (sign-in throttles, the residents' report form) and every audit entry reads the
address through ``client_address()``.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES holds {proxy!r}, which is not an IP address or network: {exc}"
            ) from exc
    return tuple(networks)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket shows as ::ffff:192.0.2.1; it is the same client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: str) -> bool:
    parsed = _parse(address)
    if parsed is None:
        return False
    return any(parsed in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or behind trusted proxies the one they forwarded.

    Returns "" when the request carries no usable address at all (a test client without one).
    """
    remote = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return ""
    if not is_trusted_proxy(str(remote)):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in (part.strip() for part in forwarded.split(",")) if hop]
    client = remote
    for hop in reversed(hops):
        parsed = _parse(hop)
        if parsed is None:
            # A hop that is not an address was not written by a proxy we trust: stop at the last
            # address we could vouch for.
            break
        client = parsed
        if not is_trusted_proxy(str(parsed)):
            break
    return str(client)
