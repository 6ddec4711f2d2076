"""The error responses each operation documents, all as problem details."""

from typing import Any

from sigill.api.problems import MEDIA_TYPE

DESCRIPTIONS = {
    400: "The body is not valid JSON.",
    401: "No token, or an unknown, revoked or expired one.",
    403: "The token may only read, or the person may not do this.",
    404: "Not found, or not visible to the person.",
    409: "Someone else decided first.",
    422: "The input is not valid; errors names each field.",
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problems(*statuses: int) -> dict[str, Any]:
    """``openapi_extra`` for an operation that may answer with these problem statuses."""
    return {
        "responses": {
            status: {"description": DESCRIPTIONS[status], "content": {MEDIA_TYPE: {"schema": PROBLEM_REF}}}
            for status in statuses
        }
    }


# What every operation behind a token may answer: no token, not allowed, bad parameters.
READ = problems(401, 403, 422)
READ_ONE = problems(401, 403, 404, 422)
WRITE = problems(400, 401, 403, 422)
WRITE_ONE = problems(400, 401, 403, 404, 422)
