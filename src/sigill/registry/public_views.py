"""The public list of every site where the municipality is active (G12): HTML, JSON, CSV, embed.

No log-in. Every response carries an ETag and Last-Modified from one cheap query, so a client
that has the current list gets 304 at once; the rendered bodies are cached by that version, so
the moment an account changes, the version and so the list change with it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.decorators import csp_replace
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from sigill.core.identity import municipality_name
from sigill.core.text import csv_safe
from sigill.registry import selectors
from sigill.registry.public_schema import ACCOUNT_SCHEMA, PUBLIC_LIST_SCHEMA

Renderer = Callable[[HttpRequest, selectors.PublicListVersion], tuple[bytes, str]]


def public_list_response(variant: str) -> Callable[[Renderer], Callable[..., HttpResponse]]:
    """Serve ``variant`` of the public list with validators and a body cached per version.

    A client that already has this version never gets here: PublicListNotModifiedMiddleware
    answers it with 304 first.
    """

    def decorate(render: Renderer) -> Callable[..., HttpResponse]:
        @wraps(render)
        @require_safe
        def view(request: HttpRequest) -> HttpResponse:
            version = selectors.public_list_version()
            etag = selectors.public_etag(version, get_language())
            key = f"sigill:public-list:{variant}:{etag}"
            cached: tuple[bytes, str] | None = cache.get(key)
            if cached is None:
                cached = render(request, version)
                cache.set(key, cached, timeout=3600)
            body, content_type = cached
            response = HttpResponse(body, content_type=content_type)
            response["ETag"] = etag
            if version.last_modified is not None:
                response["Last-Modified"] = http_date(version.last_modified.timestamp())
            response["Cache-Control"] = selectors.PUBLIC_CACHE_CONTROL
            return response

        return view

    return decorate


def _context(request: HttpRequest, version: selectors.PublicListVersion) -> dict[str, Any]:
    accounts = selectors.public_accounts()
    return {
        "groups": selectors.group_by_unit(accounts),
        "count": len(accounts),
        "last_changed": version.last_modified,
        "organization": _organization(request, accounts),
    }


def _organization(request: HttpRequest, accounts: list[Any]) -> dict[str, Any]:
    """schema.org Organization with sameAs: search engines learn which profiles are official."""
    return {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": municipality_name(),
        "url": request.build_absolute_uri(reverse("registry_public:list")),
        "sameAs": sorted({account.profile_url for account in accounts}),
    }


@public_list_response("html")
def public_list(request: HttpRequest, version: selectors.PublicListVersion) -> tuple[bytes, str]:
    html = render_to_string("registry/public/list.html", _context(request, version), request=request)
    return html.encode(), "text/html; charset=utf-8"


# The municipality's web CMS may show the list in a frame on its own site.
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@public_list_response("embed")
def public_embed(request: HttpRequest, version: selectors.PublicListVersion) -> tuple[bytes, str]:
    html = render_to_string("registry/public/embed.html", _context(request, version), request=request)
    return html.encode(), "text/html; charset=utf-8"


@public_list_response("json")
def public_json(request: HttpRequest, version: selectors.PublicListVersion) -> tuple[bytes, str]:
    accounts = selectors.public_accounts()
    payload = {
        "municipality": municipality_name(),
        "last_changed": timezone.localtime(version.last_modified).isoformat(timespec="seconds")
        if version.last_modified
        else None,
        "count": len(accounts),
        "accounts": [selectors.public_record(account) for account in accounts],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode(), "application/json"


# The CSV has the JSON feed's columns, in the order its schema lists them.
CSV_COLUMNS: list[str] = ACCOUNT_SCHEMA["required"]


@public_list_response("csv")
def public_csv(request: HttpRequest, version: selectors.PublicListVersion) -> tuple[bytes, str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for account in selectors.public_accounts():
        record = selectors.public_record(account)
        record["purpose_categories"] = " ".join(record["purpose_categories"])
        writer.writerow({key: csv_safe(value) for key, value in record.items()})
    # A byte order mark lets spreadsheet programs read å, ä and ö right.
    return ("\ufeff" + buffer.getvalue()).encode(), "text/csv; charset=utf-8"


@require_safe
def public_schema(request: HttpRequest) -> JsonResponse:
    return JsonResponse(PUBLIC_LIST_SCHEMA, json_dumps_params={"indent": 2, "ensure_ascii": False})
