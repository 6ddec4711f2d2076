"""The published JSON Schema of /public/accounts.json, so other systems can rely on its shape."""

from __future__ import annotations

from typing import Any

PURPOSE_CODES = ["dialogue", "news", "crisis", "recruitment", "brand", "monitoring"]

ACCOUNT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "name",
        "platform",
        "platform_name",
        "handle",
        "url",
        "unit",
        "purpose",
        "purpose_categories",
        "status",
        "active_since",
        "last_changed",
    ],
    "properties": {
        "name": {"type": "string", "minLength": 1, "description": "The account's name on the platform."},
        "platform": {
            "type": "string",
            "pattern": "^[a-z0-9-]+$",
            "description": "The platform's short name.",
        },
        "platform_name": {"type": "string", "minLength": 1},
        "handle": {"type": "string", "minLength": 1},
        "url": {"type": "string", "format": "uri", "pattern": "^https://"},
        "unit": {
            "type": "string",
            "minLength": 1,
            "description": "The unit of the municipality that runs it.",
        },
        "purpose": {"type": "string", "minLength": 1},
        "purpose_categories": {"type": "array", "items": {"enum": PURPOSE_CODES}, "uniqueItems": True},
        "status": {"enum": ["active", "paused", "closing"]},
        "active_since": {"type": ["string", "null"], "format": "date"},
        "last_changed": {"type": "string", "format": "date-time"},
    },
}

PUBLIC_LIST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "The municipality's official social media accounts",
    "type": "object",
    "additionalProperties": False,
    "required": ["municipality", "last_changed", "count", "accounts"],
    "properties": {
        "municipality": {"type": "string", "minLength": 1},
        "last_changed": {"type": ["string", "null"], "format": "date-time"},
        "count": {"type": "integer", "minimum": 0},
        "accounts": {"type": "array", "items": ACCOUNT_SCHEMA},
    },
}
