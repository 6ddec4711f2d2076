"""The types other apps name people by.

``User`` is the signed-in person (a member of units with roles), ``Role`` the roles a person holds
in a unit; ``SignedInRequest`` is a request behind ``login_required``, whose ``user`` is one. Other apps import these names from here to type
the people their services act for and their policies judge; they reach the users' data through
this app's selectors and services.
"""

from __future__ import annotations

from django.http import HttpRequest

from sigill.organisation.models import Role, User

__all__ = ["Role", "SignedInRequest", "User"]


class SignedInRequest(HttpRequest):
    """A request from a signed-in person (what ``login_required`` lets through)."""

    user: User
