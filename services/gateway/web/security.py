"""Security headers on every response: pages, the JSON API, errors, static files and streams.

Pure ASGI (no BaseHTTPMiddleware), so streamed responses pass through untouched. The pages have no
inline script, style or event handler, so their policy is strict. The API documentation page (/docs)
starts Swagger UI with an inline script; it alone may run inline code (they show only
the OpenAPI schema, never records), and still load nothing from elsewhere. A header the app set itself
is kept.
"""
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def policy(*directives: str) -> bytes:
    return "; ".join(directives).encode()


LOCKDOWN = ("object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'")
STRICT_POLICY = policy("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                       *LOCKDOWN)
# The API documentation page (services/gateway/docs.py) starts Swagger UI with an inline script and
# inline styles; its scripts are served from here, so nothing else is allowed in.
DOCS_POLICY = policy("default-src 'self'", "script-src 'self' 'unsafe-inline'", "style-src 'self' 'unsafe-inline'",
                     "img-src 'self' data:", "worker-src 'self' blob:", *LOCKDOWN)
HEADERS = ((b"x-frame-options", b"DENY"),  # for browsers that predate frame-ancestors
           (b"x-content-type-options", b"nosniff"),
           # same-origin, not no-referrer: the pages' POST check (web/session.py) falls back to Referer,
           # and with no-referrer Chromium sends "Origin: null" on form posts
           (b"referrer-policy", b"same-origin"))
HSTS = (b"strict-transport-security", b"max-age=31536000")  # a year; not includeSubDomains: not ours to say


class SecurityHeaders:
    def __init__(self, app: ASGIApp, https: bool = False, docs_pages: Iterable[str] = ()) -> None:
        self.app = app
        self.docs_pages = frozenset(docs_pages)
        self.extra = (HSTS,) if https else ()  # HSTS only when the platform is served over https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_POLICY if scope["path"] in self.docs_pages else STRICT_POLICY
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
