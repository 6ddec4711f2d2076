"""Lifecycles (state machines) whose legal steps the database itself checks."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q


def legal_steps(transitions: Mapping[str, tuple[str, ...]], *, source: str, target: str) -> Q:
    """A condition for a CheckConstraint on a history row: (``source``, ``target``) is one of the
    steps ``transitions`` allows."""
    allowed = Q()
    for state, next_states in transitions.items():
        for next_state in next_states:
            allowed |= Q(**{source: state, target: next_state})
    return allowed
