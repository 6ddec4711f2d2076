from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sigill.core.identity import municipality_name
from sigill.core.navigation import navigation_for


def sigill(request: HttpRequest) -> dict[str, Any]:
    return {
        "product_name": settings.SITE_NAME,
        # Read only on a page that shows it (most do).
        "municipality_name": SimpleLazyObject(municipality_name),
        "navigation": navigation_for(request),
        # Off on a server that must not talk to the platforms (the demo): pages that sync or
        # publish say so.
        "platform_sync": settings.PLATFORM_SYNC,
    }
