"""What a request must show before any work is done for it.

Outside the public paths, the caller is authenticated from the request's head (the token, or the
page session cookie) before its body is read or a route runs: a stranger's post costs one token
check, never a form parse or a loop. The user found is left on the request, so the routes' own
dependencies do not check again. And no body may be larger than its kind needs: an upload
(multipart) the upload limit plus room for its form fields, anything else LSP_REQUEST_MAX_BYTES.
A body over the limit is refused (413) as soon as its Content-Length says so, or as the bytes come.
"""
from fastapi import HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.middleware.body_limit import RequestBodyLimitResponder
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from services.gateway.web.i18n import error_message, language
from shared.errors import DomainError
from shared.settings import Settings
from shared.web import LANG_COOKIE, SESSION_COOKIE, UNAUTHENTICATED, api_token

# Anyone may call these (log in, sign up, the public catalogue and certificate checks, documentation).
PUBLIC = frozenset({"/", "/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/masuk",
                    "/daftar", "/katalog", "/sertifikat", "/api/auth/token", "/api/auth/register"})
PUBLIC_PREFIXES = ("/static/", "/docs-static/", "/api/public/", "/cabang/", "/sertifikat/")
FORM_FIELDS_ROOM = 64 * 1024  # an upload's other form fields (reference, amount, version) and multipart framing


def is_public(path: str) -> bool:
    return path in PUBLIC or path.startswith(PUBLIC_PREFIXES)


class Admission:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.upload_limit = settings.upload_max_bytes + FORM_FIELDS_ROOM
        self.body_limit = settings.request_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not is_public(scope["path"]):
            refused = await self.authenticate(HTTPConnection(scope))
            if refused is not None:
                await refused(scope, receive, send)
                return
        request = HTTPConnection(scope)
        limit = self.limit(request)
        if declared_length(request) > limit:  # refused from its head: not one byte of the body is read
            await too_large(request)(scope, receive, send)
            return
        await RequestBodyLimitResponder(self.app, limit)(scope, receive, send)  # a body that runs over: 413

    def limit(self, request: HTTPConnection) -> int:
        multipart = request.headers.get("content-type", "").startswith("multipart/form-data")
        return self.upload_limit if multipart else self.body_limit

    async def authenticate(self, request: HTTPConnection) -> JSONResponse | RedirectResponse | None:
        """None when the caller is known (and left on the request), else the answer to send instead."""
        api = request.url.path.startswith("/api/")
        token = api_token(request) if api else request.cookies.get(SESSION_COOKIE)
        try:
            if not token:
                raise UNAUTHENTICATED
            user = await run_in_threadpool(request.app.state.authenticate, token)
        except HTTPException as error:
            if not api:
                return RedirectResponse("/masuk", status_code=303)
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
        request.state.user = user
        if not api:
            request.state.page_user = user  # web/session.py reads the page's user from here
        return None


def declared_length(request: HTTPConnection) -> int:
    try:
        return int(request.headers.get("content-length", "0"))
    except ValueError:
        return 0  # not a number: the streamed count still applies


TOO_LARGE = DomainError("the request body is too large")


def too_large(request: HTTPConnection) -> JSONResponse:
    lang = language(request.headers.get("accept-language"), request.cookies.get(LANG_COOKIE))
    return JSONResponse({"detail": {"code": "too_large", "message": error_message(TOO_LARGE, lang)}},
                        status_code=413)
