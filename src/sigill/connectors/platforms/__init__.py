"""One module per platform that Sigill reaches through its API.

Each module registers its connector (``sigill.connectors.base.register``) for the platform's slug,
which is the module's name; a platform whose API can act for the moderation queue also declares
``ACTS`` and ``raise_for_error`` (``sigill.connectors.actors``). Nothing lists the modules by hand:
:func:`discover` imports every module in this package when the app loads, and a module that
registers no connector stops the start.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured

from sigill.connectors.base import connector_for


def discover(package: str = __name__) -> list[ModuleType]:
    """Import every platform module in ``package``; each must have registered its connector."""
    modules = []
    for found in pkgutil.iter_modules(import_module(package).__path__):
        module = import_module(f"{package}.{found.name}")
        if connector_for(found.name) is None:
            raise ImproperlyConfigured(
                f"The platform module {module.__name__} registers no connector for {found.name!r}: "
                "call sigill.connectors.base.register() with a connector whose slug is the module's name."
            )
        modules.append(module)
    return modules
