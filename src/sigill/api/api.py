"""The REST API at /api/v1/ (django-ninja), its OpenAPI schema at /api/v1/openapi.json.

Every operation but the public list, the index and the problem types needs a personal API token
(``Authorization: Bearer …``). Each area is a router in ``endpoints/``; a new area adds its router
to ROUTERS below and nothing else.
"""

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import NinjaAPI, Path, Router

from sigill.api import openapi, problems
from sigill.api.auth import TokenAuth
from sigill.api.endpoints import accounts, archive, inquiries, moderation, public, reports
from sigill.api.schemas import Index, ProblemTypeOut

DESCRIPTION = """Sigill's data for the municipality's other systems. Authenticate with a personal API
token (created on the page "API tokens" in Sigill) as `Authorization: Bearer <token>`. A token with
the scope `read` may only read. Every error is a problem document (RFC 9457,
`application/problem+json`), in Swedish, or in English with `Accept-Language: en`."""


class SigillAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        """The view's own name (list_accounts, decide, ...): short, and unique across the API."""
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """The generated schema, with the problem document the error responses refer to."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        problem = problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        return schema


api = SigillAPI(
    title="Sigill",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    # The interactive docs page would load its scripts from a CDN; docs/api.md describes the API.
    docs_url=None,
)
problems.install_handlers(api)

meta = Router(tags=["meta"])


@meta.get("/", response=Index, auth=None, url_name="index")
def index(request: HttpRequest) -> Index:
    return Index(name="Sigill", version="1", openapi=request.build_absolute_uri(reverse("api:openapi-json")))


@meta.get(
    "/problems/{slug}",
    response=ProblemTypeOut,
    auth=None,
    url_name="problem_type",
    openapi_extra=openapi.problems(404, 422),
)
def problem_type(
    request: HttpRequest, slug: Annotated[str, Path(pattern=r"^[a-z-]{1,40}$")]
) -> ProblemTypeOut:
    """What a problem type (the ``type`` of an error) means."""
    kind = problems.PROBLEM_TYPES.get(slug)
    if kind is None:
        raise Http404
    return ProblemTypeOut(
        type=problems.type_url(request, slug),
        title=str(kind.title),
        status=kind.status,
        description=str(kind.description),
    )


ROUTERS: list[Router] = [
    meta,
    public.router,
    accounts.router,
    archive.router,
    moderation.router,
    inquiries.router,
    reports.router,
]
for router in ROUTERS:
    api.add_router("", router)
