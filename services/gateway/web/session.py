"""Browser sessions for the web UI: the same signed token as the API, in an HttpOnly cookie.

Forms are protected against cross-site posting by SameSite=Lax plus an Origin check (shared.web, with
the other helpers every service's pages use; this module is the gateway's side of the session).
"""
from fastapi import HTTPException, Request
from fastapi.responses import Response

from shared.web import SESSION_COOKIE as COOKIE
from shared.web import User


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


def secure_cookies(request: Request) -> bool:
    """Served over HTTPS (LSP_PUBLIC_URL): cookies are never sent over plain HTTP."""
    return request.app.state.settings.public_url.lower().startswith("https://")


def start_session(request: Request, response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=request.app.state.settings.token_minutes * 60, httponly=True,
                        samesite="lax", secure=secure_cookies(request))


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=secure_cookies(request))
