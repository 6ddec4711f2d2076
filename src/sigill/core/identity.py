"""The municipality's name, for the pages and files of apps below the one that owns its identity.

Compliance owns the municipality's identity and registers how to read its name when it loads; the
ground floor and the apps below compliance (the public list in registry) ask here. Before set-up,
or before compliance has loaded, the name is the ``MUNICIPALITY_NAME`` setting.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

_reader: list[Callable[[], str]] = []


def register(reader: Callable[[], str]) -> None:
    """Called once by the app that owns the municipality's identity."""
    _reader[:] = [reader]


def municipality_name() -> str:
    return _reader[0]() if _reader else settings.MUNICIPALITY_NAME
