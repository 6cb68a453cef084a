"""Browser sessions for the web UI: the same signed token as the API, in an HttpOnly cookie.

Forms are protected against cross-site posting by SameSite=Lax plus an Origin check.
"""
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from shared.errors import Forbidden
from shared.web import SESSION_COOKIE as COOKIE
from shared.web import User

LANG_COOKIE = "lsp_lang"


class LoginRequired(Exception):
    """Raised by page handlers; the app answers with a redirect to the login page."""


def page_user(request: Request) -> User | None:
    """The session's user, checked once per request (a page asks again when it renders)."""
    if not hasattr(request.state, "page_user"):
        request.state.page_user = session_user(request)
    return request.state.page_user


def session_user(request: Request) -> User | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return request.app.state.authenticate(token)
    except HTTPException:
        return None


def require_page_user(request: Request, *roles: str) -> User:
    user = page_user(request)
    if user is None:
        raise LoginRequired
    if roles and user.role not in roles:
        raise Forbidden("this page is not for your role")
    return user


def check_same_origin(request: Request) -> None:
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin and urlsplit(origin).netloc != request.url.netloc:
        raise Forbidden("cross-site request refused")


def secure_cookies(request: Request) -> bool:
    """Served over HTTPS (LSP_PUBLIC_URL): cookies are never sent over plain HTTP."""
    return request.app.state.settings.public_url.lower().startswith("https://")


def start_session(request: Request, response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=request.app.state.settings.token_minutes * 60, httponly=True,
                        samesite="lax", secure=secure_cookies(request))


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=secure_cookies(request))


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)  # after a POST, the browser GETs the next page
