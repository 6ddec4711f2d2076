"""The server-error page: Sigill's look, in the visitor's language, without the database.

Django's own handler renders ``500.html`` with an empty context. This one adds the names the base
template shows, read from the settings, never from the database: the database may be why the
request failed. No request goes to the template, so no context processor runs.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    context = {"product_name": settings.SITE_NAME, "municipality_name": settings.MUNICIPALITY_NAME}
    return HttpResponseServerError(loader.get_template("500.html").render(context))
