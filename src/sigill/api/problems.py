"""Errors as problem details (RFC 9457): ``application/problem+json`` with type, title, status,
detail and instance, and ``errors`` (field and message) when the input did not validate.

Titles and details are in Swedish, or in English for ``Accept-Language: en`` (LocaleMiddleware
picks the language before the API runs). ``type`` is the address of the problem type's own
description in the API, so a client can look it up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sigill.api.services import TokenRefused
from sigill.moderation.services import AlreadyDecided, GuidelineNotAcknowledged

logger = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    status: int
    title: str | Promise
    description: str | Promise


PROBLEM_TYPES: dict[str, ProblemType] = {
    "bad-request": ProblemType(
        400, gettext_lazy("Bad request"), gettext_lazy("The request body is not valid JSON.")
    ),
    "unauthenticated": ProblemType(
        401,
        gettext_lazy("Authentication required"),
        gettext_lazy(
            "Send a valid personal API token in the Authorization header: Bearer followed by the token. "
            "Revoked and expired tokens are refused."
        ),
    ),
    "insufficient-scope": ProblemType(
        403,
        gettext_lazy("The token may only read"),
        gettext_lazy("Changes need a token with the scope read and write."),
    ),
    "forbidden": ProblemType(
        403, gettext_lazy("Not allowed"), gettext_lazy("Your roles in Sigill do not allow this.")
    ),
    "guideline-not-acknowledged": ProblemType(
        403,
        gettext_lazy("Acknowledge the guideline first"),
        gettext_lazy("Editors acknowledge the guideline in force in Sigill before they moderate."),
    ),
    "not-found": ProblemType(
        404,
        gettext_lazy("Not found"),
        gettext_lazy("There is nothing here, or nothing you may see."),
    ),
    "already-decided": ProblemType(
        409,
        gettext_lazy("Already decided"),
        gettext_lazy("Someone else decided this round of the case first; their decision stands."),
    ),
    "validation": ProblemType(
        422,
        gettext_lazy("The input is not valid"),
        gettext_lazy("One or more fields are wrong; errors lists each with what is wrong."),
    ),
    "too-many-requests": ProblemType(
        429, gettext_lazy("Too many requests"), gettext_lazy("Wait a moment and try again.")
    ),
    "server-error": ProblemType(
        500,
        gettext_lazy("Something went wrong in Sigill"),
        gettext_lazy("The error is logged. Try again later, or tell the IT department."),
    ),
}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None


def type_url(request: HttpRequest, slug: str) -> str:
    return request.build_absolute_uri(reverse("api:problem_type", kwargs={"slug": slug}))


def problem(
    request: HttpRequest,
    slug: str,
    *,
    detail: str | Promise | None = None,
    errors: Iterable[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    kind = PROBLEM_TYPES[slug]
    body = Problem(
        type=type_url(request, slug),
        title=str(kind.title),
        status=kind.status,
        detail=str(detail or kind.description),
        instance=request.get_full_path(),
        errors=[FieldError(field=field, message=message) for field, message in errors] or None,
    )
    response = HttpResponse(
        body.model_dump_json(exclude_none=True), status=kind.status, content_type=MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class ScopeRefused(Exception):
    """A read-only token asked to write."""


def bearer_challenge(error: str, **params: str) -> dict[str, str]:
    """The WWW-Authenticate header of RFC 6750 for ``error``."""
    extra = "".join(f', {name}="{value}"' for name, value in params.items())
    return {"WWW-Authenticate": f'Bearer realm="sigill", error="{error}"{extra}'}


REFUSALS: dict[str, str | Promise] = {
    "missing": gettext_lazy("The request has no bearer token."),
    "unknown": gettext_lazy("The token is not known."),
    "revoked": gettext_lazy("The token has been revoked."),
    "expired": gettext_lazy("The token has expired."),
    "inactive": gettext_lazy("The token's owner may no longer use Sigill."),
}


# Swedish (and English) words for pydantic's error types; anything else gets a general message.
FIELD_MESSAGES: dict[str, str | Promise] = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Give a text."),
    "string_too_short": gettext_lazy("The text is too short."),
    "string_too_long": gettext_lazy("The text is too long."),
    "int_type": gettext_lazy("Give a whole number."),
    "int_parsing": gettext_lazy("Give a whole number."),
    "int_from_float": gettext_lazy("Give a whole number."),
    "greater_than_equal": gettext_lazy("The number is too small."),
    "greater_than": gettext_lazy("The number is too small."),
    "less_than_equal": gettext_lazy("The number is too large."),
    "less_than": gettext_lazy("The number is too large."),
    "bool_type": gettext_lazy("Give true or false."),
    "bool_parsing": gettext_lazy("Give true or false."),
    "date_type": gettext_lazy("Give a date as YYYY-MM-DD."),
    "date_parsing": gettext_lazy("Give a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Give a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Give a date as YYYY-MM-DD."),
    "datetime_type": gettext_lazy("Give a time as in ISO 8601, with its time zone."),
    "datetime_parsing": gettext_lazy("Give a time as in ISO 8601, with its time zone."),
    "datetime_from_date_parsing": gettext_lazy("Give a time as in ISO 8601, with its time zone."),
    "timezone_aware": gettext_lazy("Give a time as in ISO 8601, with its time zone."),
    "enum": gettext_lazy("Choose one of the allowed values."),
    "literal_error": gettext_lazy("Choose one of the allowed values."),
    "list_type": gettext_lazy("Give a list."),
    "model_type": gettext_lazy("Give an object."),
    "dict_type": gettext_lazy("Give an object."),
    "model_attributes_type": gettext_lazy("Give an object."),
    "string_pattern_mismatch": gettext_lazy("The value does not have the required form."),
    "date_out_of_range": gettext_lazy("The year must be between 1900 and 2200."),
}

# The names ninja puts before a field's own name: where it came from, and the body's parameter.
_LOCATION_PARTS = {"body", "query", "path", "header", "payload", "filters"}


def field_name(location: Iterable[Any]) -> str:
    parts = [str(part) for part in location]
    while parts and parts[0] in _LOCATION_PARTS:
        parts.pop(0)
    return ".".join(parts) or "body"


def install_handlers(api: NinjaAPI) -> None:
    """Every error the API can meet becomes a problem document."""

    def refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
        return problem(
            request,
            "unauthenticated",
            detail=REFUSALS.get(exc.reason, REFUSALS["unknown"]),
            headers=bearer_challenge("invalid_token"),
        )

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            request,
            "unauthenticated",
            detail=REFUSALS["missing"],
            headers=bearer_challenge("invalid_request"),
        )

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        slug = {
            400: "bad-request",
            401: "unauthenticated",
            403: "forbidden",
            404: "not-found",
            429: "too-many-requests",
        }
        return problem(request, slug.get(exc.status_code, "bad-request"))

    def scope(request: HttpRequest, exc: ScopeRefused) -> HttpResponse:
        return problem(
            request, "insufficient-scope", headers=bearer_challenge("insufficient_scope", scope="write")
        )

    def guideline(request: HttpRequest, exc: GuidelineNotAcknowledged) -> HttpResponse:
        return problem(request, "guideline-not-acknowledged")

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem(request, "forbidden")

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(request, "not-found")

    def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            (
                field_name(error.get("loc", ())),
                str(FIELD_MESSAGES.get(error.get("type", ""), _("The value is not valid."))),
            )
            for error in exc.errors
        ]
        return problem(request, "validation", errors=errors)

    def refused_by_service(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [(name, message) for name, found in exc.message_dict.items() for message in found]
            return problem(request, "validation", errors=errors)
        return problem(request, "validation", detail=" ".join(exc.messages))

    def already_decided(request: HttpRequest, exc: AlreadyDecided) -> HttpResponse:
        decision = exc.decision
        detail = _("%(person)s already decided this comment (%(act)s). Their decision stands.") % {
            "person": decision.decided_by.get_full_name() or decision.decided_by.get_username(),
            "act": decision.get_act_display(),
        }
        return problem(request, "already-decided", detail=detail)

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error at %s", request.path, exc_info=exc)
        return problem(request, "server-error")

    handlers: list[tuple[type[Exception], Any]] = [
        (TokenRefused, refused),
        (AuthenticationError, unauthenticated),
        (HttpError, http_error),
        (ScopeRefused, scope),
        (GuidelineNotAcknowledged, guideline),
        (PermissionDenied, forbidden),
        (Http404, not_found),
        (NinjaValidationError, invalid_input),
        (DjangoValidationError, refused_by_service),
        (AlreadyDecided, already_decided),
        (Exception, server_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
