"""The gateway's error answers: a domain error, an HTTP error or a request that failed validation, as
one JSON body {"detail": {code, message, ...}} in the caller's language, or an error page for a browser.
The composition root (main.py) installs them; a service's unit tests mount its router with them
(tests/support/api.py) without building the whole gateway."""
from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.gateway.admission import TOO_LARGE
from services.gateway.web import pages
from services.gateway.web.i18n import error_message, language, validation_message
from shared.errors import DomainError
from shared.web import LANG_COOKIE


def request_lang(request: Request) -> str:
    """The web UI's language cookie, else Accept-Language, else Indonesian."""
    return language(request.headers.get("accept-language"), request.cookies.get(LANG_COOKIE))


async def domain_error(request: Request, error: DomainError) -> Response:
    """The error with its code, template and params; message in the caller's language (a page for browsers)."""
    if pages.wants_page(request):
        return await pages.error_page(request, error)
    body = {**error.to_dict(), "message": error_message(error, request_lang(request))}
    return JSONResponse({"detail": body}, status_code=error.status)


# The framework's own HTTP errors (no route, wrong method, unreadable or oversized body), as domain errors
HTTP_ERRORS = {400: ("bad_request", DomainError("the request body could not be read")),
               404: ("not_found", DomainError("no such page or endpoint")),
               405: ("method_not_allowed", DomainError("this method is not allowed here")),
               413: ("too_large", TOO_LARGE)}
OTHER_HTTP_ERROR = ("error", DomainError("the request could not be processed"))


async def http_error(request: Request, error: StarletteHTTPException) -> Response:
    """Every HTTP error in the one error body {"detail": {code, message, ...}}; a page for browsers."""
    if pages.wants_page(request):
        return await pages.error_page(request, error)
    detail = error.detail
    if not isinstance(detail, dict):
        code, known = HTTP_ERRORS.get(error.status_code, OTHER_HTTP_ERROR)
        detail = {"code": code, "message": error_message(known, request_lang(request))}
    return JSONResponse({"detail": detail}, status_code=error.status_code, headers=error.headers)


async def validation_error(request: Request, error: RequestValidationError) -> Response:
    """422 naming the first offending field, with every error listed, in the caller's language."""
    if pages.wants_page(request):
        return await pages.error_page(request, HTTPException(422, pages.validation_text(error, request_lang(request))))
    lang = request_lang(request)
    errors = [{"field": ".".join(str(p) for p in e["loc"] if p not in ("body", "query", "path")),
               "type": e["type"], "message": validation_message(e, lang)} for e in error.errors()]
    first = errors[0] if errors else {"field": "", "message": "invalid request"}
    return JSONResponse({"detail": {"code": "invalid", "field": first["field"],
                                    "message": f"{first['field']}: {first['message']}", "errors": errors}},
                        status_code=422)
