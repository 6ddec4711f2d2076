"""Answer a conditional request for the public list before the rest of the middleware runs.

Most requests for the list come from clients and caches that already have it (the municipality's
web CMS polls it). Sessions, authentication, CSRF and messages have nothing to add to a 304, so
this middleware sits high in the stack and answers those requests from one index look-up.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import parse_etags
from django.utils.translation import get_language_from_request

from sigill.registry import selectors

PUBLIC_LIST_URLS = (
    "registry_public:list",
    "registry_public:json",
    "registry_public:csv",
    "registry_public:embed",
)


class PublicListNotModifiedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def paths(self) -> frozenset[str]:
        return frozenset(reverse(name) for name in PUBLIC_LIST_URLS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match and request.method in {"GET", "HEAD"} and request.path_info in self.paths:
            etag = selectors.public_etag(selectors.public_list_version(), get_language_from_request(request))
            if etag in parse_etags(if_none_match):
                response = HttpResponseNotModified()
                response["ETag"] = etag
                response["Cache-Control"] = selectors.PUBLIC_CACHE_CONTROL
                response["Vary"] = "Accept-Language, Cookie"
                return response
        return self.get_response(request)
