"""Reading a profile address: which platform, which handle, and its one canonical form.

People paste addresses in every shape ("www.Instagram.com/VaraBibliotek/?hl=sv", "http://m.facebook.com/varakommun").
They are normalised to host and path before the platform's pattern is matched, so one account
has one address however it was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from sigill.registry.models import Platform

_DROPPED_HOST_PREFIXES = ("www.", "m.", "mobile.")


@dataclass(frozen=True)
class Profile:
    platform: Platform
    handle: str
    url: str


def host_and_path(url: str) -> str:
    """``"HTTPS://www.Instagram.com/Vara/?hl=sv#x"`` → ``"instagram.com/vara"``; "" if it is no web address."""
    text = url.strip()
    if not text:
        return ""
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, flags=re.IGNORECASE):
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    for prefix in _DROPPED_HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    path = parts.path.rstrip("/")
    return f"{host}{path}".lower()


def read_profile(platform: Platform, url: str) -> Profile | None:
    """The profile ``url`` names on ``platform``, or None if it is not a profile address there."""
    location = host_and_path(url)
    if not location:
        return None
    match = re.fullmatch(platform.profile_url_pattern, location, flags=re.IGNORECASE)
    if match is None:
        return None
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    handle = groups.get("handle") or "@".join(groups[name] for name in ("user", "instance") if name in groups)
    canonical = (
        platform.profile_url_template.format(**groups)
        if platform.profile_url_template
        else f"https://{location}"
    )
    return Profile(platform=platform, handle=handle.lower(), url=canonical)


def guess_profile(platforms: Iterable[Platform], url: str) -> Profile | None:
    """The first platform whose pattern ``url`` fits (the catch-all "other" is tried last)."""
    ordered = sorted(platforms, key=lambda platform: platform.slug == "other")
    for platform in ordered:
        profile = read_profile(platform, url)
        if profile is not None:
            return profile
    return None
