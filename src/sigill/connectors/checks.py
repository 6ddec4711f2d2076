"""A start-up check: every platform the catalogue says Sigill reaches through its API has a connector.

Without one, its accounts would silently never sync, and the moderation queue would offer acts
that nothing carries out. The catalogue lives in the database, so this is a database check: it runs
with ``migrate`` and ``manage.py check --database default``.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import connections

from sigill.connectors.base import has_connector
from sigill.registry import selectors as registry


@checks.register(checks.Tags.database)
def check_catalogue_has_connectors(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not databases or "default" not in databases:
        return []
    table = registry.platforms_reached_by_api().model._meta.db_table
    if table not in connections["default"].introspection.table_names():
        return []  # a database not migrated yet: no catalogue to hold the connectors against
    return [
        checks.Error(
            f"The platform catalogue says Sigill reaches {platform.name} ({platform.slug}) through its "
            "API, but no connector module registers that platform.",
            hint=f"Add sigill/connectors/platforms/{platform.slug}.py, or clear the API flags of "
            f"{platform.name} in the catalogue (capture it by export files or by hand).",
            id="sigill.connectors.E001",
        )
        for platform in registry.platforms_reached_by_api()
        if not has_connector(platform.slug)
    ]
