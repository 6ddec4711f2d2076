"""Who holds which role, as the ground floor asks it.

Core knows no roles: the organisation app owns them and registers its directory when it loads
(``roles.register(directory)`` in its ``AppConfig.ready``). Core asks through these functions:
the second-factor rule (``settings.TWO_FACTOR_ROLES``) and the start page's "Your roles".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class HeldRole(Protocol):
    """One role held in one unit, as the start page lists it."""

    @property
    def unit(self) -> object: ...

    def get_role_display(self) -> str: ...


class RoleDirectory(Protocol):
    def roles_of(self, user: Any) -> frozenset[str]:
        """The role names ``user`` holds anywhere (none for an anonymous or inactive user)."""

    def held_roles(self, user: Any) -> Sequence[HeldRole]:
        """Each role ``user`` holds, with its unit, in the order the start page shows them."""


_directory: RoleDirectory | None = None


def register(directory: RoleDirectory) -> None:
    global _directory  # set once, when the organisation app loads
    _directory = directory


def directory() -> RoleDirectory:
    if _directory is None:
        raise RuntimeError("No role directory is registered: is sigill.organisation in INSTALLED_APPS?")
    return _directory


def has_role(user: Any, *roles: str) -> bool:
    return not directory().roles_of(user).isdisjoint(roles)


def held_roles(user: Any) -> Sequence[HeldRole]:
    return directory().held_roles(user)
