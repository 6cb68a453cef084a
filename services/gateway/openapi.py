"""The OpenAPI document says which errors each operation really returns, and in what shape.

Every error the API answers has one body, `{"detail": ErrorDetail}` (shared.errors.DomainError,
pydantic validation, HTTPException alike; see main.py). Which statuses an operation can answer is
derived from the route itself, so it cannot drift from the code: 401 when it needs a login, 403 when
it admits only some roles, 404 when it names a record in its path, 422 when it takes input, 409 and
503 when it runs a command in a service, 413 when it takes a body. The schema-driven fuzz test
(tests/e2e/test_fuzz_api.py) fails on any status or body this document does not describe.
"""
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field

from shared.web import current_user


class FieldError(BaseModel):
    field: str = Field(description="where: a dotted path (units.0.code) or a form field name")
    type: str
    message: str


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable kind: invalid, not_found, conflict, forbidden, "
                                  "unauthenticated, too_many_attempts, ...")
    message: str = Field(description="for people, in the caller's language (Accept-Language; Indonesian first)")
    field: str | None = Field(default=None, description="the input at fault, when there is one")
    template: str | None = Field(default=None, description="the English message template (domain errors)")
    params: dict[str, str | list[str]] | None = Field(default=None, description="the template's values")
    errors: list[FieldError] | None = Field(default=None, description="every invalid input (422)")


class ErrorBody(BaseModel):
    detail: ErrorDetail


WHY = {400: "Malformed request body", 401: "Not logged in, or the token is invalid, expired or revoked",
       403: "Your role may not do this", 404: "Not found (also another branch's record)",
       409: "Conflict: a stale version or a step the record's state does not allow",
       410: "The person's data was erased at their request", 413: "Request body too large",
       422: "Invalid input; `field` names it", 429: "Too many attempts; see Retry-After",
       503: "A service did not answer in time; retry"}
COMMANDS = {"POST", "PUT", "PATCH", "DELETE"}


def error_statuses(route: Any) -> set[int]:
    """The error statuses this route can answer, read from its parameters and dependencies."""
    calls = {dependant.call for dependant in walk(route.dependant)}
    statuses: set[int] = set()
    if current_user in calls:
        statuses.add(401)
    if any(getattr(call, "roles", None) for call in calls):  # shared.web.require and acting
        statuses.add(403)
    if route.dependant.path_params:
        statuses.add(404)
    if has_input(route.dependant):
        statuses.add(422)
    if route.methods & COMMANDS:
        statuses |= {409, 503}
    if any(d.body_params for d in walk(route.dependant)):
        statuses |= {400, 413}
    return statuses | getattr(route.endpoint, "extra_errors", set())


def walk(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from walk(sub)


def has_input(dependant: Dependant) -> bool:
    return any(d.path_params or d.query_params or d.header_params or d.body_params for d in walk(dependant))


def errors(*statuses: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Marks an endpoint with statuses the rules above cannot see (a throttle's 429, say)."""
    def mark(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        endpoint.extra_errors = set(statuses)  # type: ignore[attr-defined]
        return endpoint
    return mark


def document_errors(app: FastAPI) -> None:
    """Replace the app's OpenAPI generator with one that lists each operation's errors."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (FieldError, ErrorDetail, ErrorBody):
            components[model.__name__] = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        for context in iter_route_contexts(app.routes):  # included routers flattened, as openapi does
            route = context if isinstance(context.original_route, APIRoute) else None
            if route is not None and route.include_in_schema:
                for method in route.methods:
                    describe(schema["paths"][route.path_format][method.lower()], error_statuses(route))
        app.openapi_schema = schema
        return schema
    app.openapi = openapi  # type: ignore[method-assign]


def describe(operation: dict[str, Any], statuses: set[int]) -> None:
    responses = operation.setdefault("responses", {})
    for status in sorted(statuses):
        responses[str(status)] = {"description": WHY[status], "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
