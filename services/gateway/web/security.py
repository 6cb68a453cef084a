"""Security headers on every response: pages, the JSON API, errors, static files and streams.

Pure ASGI (no BaseHTTPMiddleware), so streamed responses pass through untouched. The pages have no
inline script, style or event handler, so their policy is strict. FastAPI's /docs and /redoc pull
Swagger UI and ReDoc from a CDN and start them with an inline script; they alone get a relaxed
policy (they show only the OpenAPI schema, never records). A header the app set itself is kept.
"""
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def policy(*directives: str) -> bytes:
    return "; ".join(directives).encode()


LOCKDOWN = ("object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'")
STRICT_POLICY = policy("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                       *LOCKDOWN)
CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = policy("default-src 'self'", f"script-src 'self' 'unsafe-inline' {CDN}",
                     f"style-src 'self' 'unsafe-inline' {CDN} https://fonts.googleapis.com",
                     "font-src 'self' https://fonts.gstatic.com",
                     "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
                     "worker-src 'self' blob:", *LOCKDOWN)
HEADERS = ((b"x-frame-options", b"DENY"),  # for browsers that predate frame-ancestors
           (b"x-content-type-options", b"nosniff"),
           # same-origin, not no-referrer: the pages' POST check (web/session.py) falls back to Referer,
           # and with no-referrer Chromium sends "Origin: null" on form posts
           (b"referrer-policy", b"same-origin"))
HSTS = (b"strict-transport-security", b"max-age=31536000")  # a year; not includeSubDomains: not ours to say


def docs_paths(app: object) -> set[str]:
    """Where FastAPI serves its API documentation (none, if the app turned it off)."""
    names = ("docs_url", "redoc_url", "swagger_ui_oauth2_redirect_url")
    return {path for path in (getattr(app, name, None) for name in names) if path}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.extra = (HSTS,) if https else ()  # HSTS only when the platform is served over https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_POLICY if scope["path"] in docs_paths(scope.get("app")) else STRICT_POLICY
        added = ((b"content-security-policy", csp), *HEADERS, *self.extra)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_defaults(message.get("headers", []), added)}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_defaults(headers: Iterable[tuple[bytes, bytes]], defaults: Iterable[tuple[bytes, bytes]]) -> list:
    headers = list(headers)
    present = {name.lower() for name, _ in headers}
    return headers + [(name, value) for name, value in defaults if name not in present]
