"""Which tables a backup holds, and how one column's value is written to JSON and read back.

Every model of every installed app is backed up, found through the app registry, so an app added
later is in the next backup without a change here. Values are written so that they come back
exactly (microseconds, bytes, decimals), because seals and hash chains are computed over them.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.duration import duration_string

# Models whose rows are state of the running processes, not data; a restore leaves them as the
# new installation has them.
NOT_BACKED_UP = frozenset(
    {
        # Sign-ins do not survive a restore: everyone signs in again.
        "sessions.session",
        # The heartbeat and the scheduler's lease belong to the processes of the old installation.
        "core.workerheartbeat",
        "core.schedulerlease",
    }
)


class UnsupportedValueError(TypeError):
    """A column holds a value the backup format has no faithful JSON form for."""


@dataclass(frozen=True)
class Table:
    """One model's own table: the columns it stores itself (not a parent's, not generated ones)."""

    model: type[models.Model]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table

    @property
    def fields(self) -> list[models.Field[Any, Any]]:
        return [field for field in self.model._meta.local_concrete_fields if not field.generated]

    @property
    def columns(self) -> list[str]:
        return [field.column for field in self.fields]


def backed_up_tables() -> list[Table]:
    """Every table Sigill's models keep data in, in a stable order (by app label and model)."""
    found = [
        Table(model)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in NOT_BACKED_UP
    ]
    return sorted(found, key=lambda table: table.label)


def encode(field: models.Field[Any, Any], value: Any) -> Any:
    """``value`` as read from ``field`` by the ORM, as JSON that :func:`decode` turns back into it."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # all digits: the seals cover microseconds
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise UnsupportedValueError(
        f"{field.model._meta.label}.{field.name} holds a {type(value).__name__}, which the backup "
        "format cannot write; teach sigill.core.backup.tables.encode about it."
    )


def decode(field: models.Field[Any, Any], value: Any) -> Any:
    """The Python value :func:`encode` wrote for ``field``."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    return field.to_python(value)
