from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sigill.core.navigation import navigation_for


def sigill(request: HttpRequest) -> dict[str, Any]:
    return {
        "product_name": settings.SITE_NAME,
        "municipality_name": settings.MUNICIPALITY_NAME,
        "navigation": navigation_for(request),
    }
