"""Server-rendered pages (the web UI). They call the same commands and read the same read
models as the JSON API; every later service adds its pages the same way."""
import asyncio
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from services.gateway.web.i18n import LANGUAGES, translator
from services.gateway.web.session import (
    LANG_COOKIE,
    check_same_origin,
    page_user,
    redirect,
    require_page_user,
    start_session,
)
from services.registration import queries as registration
from shared.display import rupiah, wib
from shared.errors import DomainError
from shared.web import ADMIN_LSP, ASESI, User

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(wib=wib, rupiah=rupiah)
router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "id")
    lang = lang if lang in LANGUAGES else "id"
    response = templates.TemplateResponse(request, name, {"t": translator(lang), "lang": lang,
                                                          "user": page_user(request), **context},
                                          status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def with_error(url: str, error: Exception) -> str:
    return f"{url}?{urlencode({'galat': error_text(error)})}"


def error_text(error: Exception) -> str:
    if isinstance(error, DomainError):
        return error.message
    detail = getattr(error, "detail", str(error))
    return detail.get("message", str(detail)) if isinstance(detail, dict) else str(detail)


async def run(request: Request, service: str, command: str, **kwargs: Any) -> Any:
    return await run_in_threadpool(request.app.state.bus.call, service, command, **kwargs)


async def eventually(probe: Any, timeout: float = 2.0) -> Any:
    """Read models follow commands within milliseconds; wait that long rather than show a gap."""
    for _ in range(int(timeout / 0.05)):
        if result := await probe():
            return result
        await asyncio.sleep(0.05)
    return None


def home_of(user: User) -> str:
    return {ASESI: "/asesi", ADMIN_LSP: "/admin"}.get(user.role, "/beranda")


@router.get("/", response_class=HTMLResponse)
async def landing(request: Request) -> Response:
    user = page_user(request)
    return redirect(home_of(user)) if user else redirect("/masuk")


@router.get("/masuk", response_class=HTMLResponse)
async def login_page(request: Request) -> Response:
    return render(request, "login.html", notice=request.query_params.get("pesan"))


@router.post("/masuk")
async def login(request: Request, email: Text, password: Text) -> Response:
    check_same_origin(request)
    try:
        token = await run_in_threadpool(request.app.state.authenticator.login, email, password)
    except HTTPException as error:
        message = "login_failed" if error.status_code == 401 else error_text(error)
        return render(request, "login.html", status_code=error.status_code, error=message, email=email)
    user = request.app.state.authenticate(token)
    response = redirect(home_of(user))
    start_session(response, token, request.app.state.settings.token_minutes)
    return response


@router.post("/keluar")
async def logout(request: Request) -> Response:
    check_same_origin(request)
    response = redirect("/masuk")
    response.delete_cookie("lsp_session")
    return response


@router.get("/daftar", response_class=HTMLResponse)
async def signup_page(request: Request) -> Response:
    return render(request, "signup.html", form={})


@router.post("/daftar")
async def signup(request: Request, branch: Text, name: Text, email: Text, password: Text) -> Response:
    from services.gateway.api import SignupIn
    from services.gateway.api import signup as api_signup
    check_same_origin(request)
    form = {"branch": branch, "name": name, "email": email}
    try:
        await api_signup(SignupIn(branch=branch.strip().upper(), email=email, name=name, password=password), request)
    except (DomainError, HTTPException, ValueError) as error:
        return render(request, "signup.html", status_code=422, error=validation_text(error), form=form)
    return redirect("/masuk?pesan=signup_done")


def validation_text(error: Exception) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):  # pydantic: name the field the user must fix
        first = errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return error_text(error)


@router.get("/cabang/{branch}/skema", response_class=HTMLResponse)
async def catalogue(request: Request, branch: str) -> Response:
    schemes = await registration.list_schemes(request.app.state.read_store, branch)
    return render(request, "catalogue.html", branch=branch, schemes=schemes)


@router.get("/asesi", response_class=HTMLResponse)
async def asesi_home(request: Request) -> Response:
    user = require_page_user(request, ASESI)
    store = request.app.state.read_store
    return render(request, "asesi_home.html",
                  applications=await registration.list_applications(store, user.tenant, asesi_id=user.id),
                  schemes=await registration.list_schemes(store, user.tenant),
                  error=request.query_params.get("galat"))


@router.post("/asesi/permohonan")
async def apply(request: Request, scheme_id: Text, purpose: Text) -> Response:
    user = require_page_user(request, ASESI)
    check_same_origin(request)
    try:
        case_id = await run(request, "registration", "submit_application", tenant=user.tenant,
                            actor=user.actor(), scheme_id=scheme_id, purpose=purpose)
    except DomainError as error:
        return redirect(with_error("/asesi", error))
    return redirect(f"/asesi/permohonan/{case_id}")


@router.get("/asesi/permohonan/{case_id}", response_class=HTMLResponse)
async def application_page(request: Request, case_id: str) -> Response:
    user = require_page_user(request, ASESI, ADMIN_LSP)
    own = user.id if user.role == ASESI else None
    store = request.app.state.read_store
    application = await eventually(lambda: registration.get_application(store, user.tenant, case_id, asesi_id=own))
    if application is None:
        raise HTTPException(404, "Permohonan tidak ditemukan.")
    return render(request, "application.html", application=application, error=request.query_params.get("galat"))


@router.post("/asesi/permohonan/{case_id}/bayar")
async def pay(request: Request, case_id: str, reference: Text, amount: Annotated[int, Form()]) -> Response:
    user = require_page_user(request, ASESI)
    check_same_origin(request)
    try:
        await run(request, "registration", "submit_payment_proof", tenant=user.tenant, actor=user.actor(),
                  case_id=case_id, reference=reference, amount=amount)
    except DomainError as error:
        return redirect(with_error(f"/asesi/permohonan/{case_id}", error))
    await eventually(lambda: status_is(request, user, case_id, "payment_submitted"))
    return redirect(f"/asesi/permohonan/{case_id}")


async def status_is(request: Request, user: User, case_id: str, status: str) -> bool:
    doc = await registration.get_application(request.app.state.read_store, user.tenant, case_id)
    return bool(doc and doc["status"] == status)


@router.get("/admin", response_class=HTMLResponse)
async def admin_queue(request: Request) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    store = request.app.state.read_store
    return render(request, "admin_queue.html",
                  submitted=await registration.list_applications(store, user.tenant, status="submitted"),
                  paying=await registration.list_applications(store, user.tenant, status="payment_submitted"),
                  error=request.query_params.get("galat"))


@router.post("/admin/permohonan/{case_id}/{action}")
async def admin_action(request: Request, case_id: str, action: str) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    check_same_origin(request)
    command, after = {"terima": ("accept_application", "awaiting_payment"),
                      "verifikasi-pembayaran": ("verify_payment", "paid")}.get(action, (None, None))
    if command is None:
        raise HTTPException(404, "Tindakan tidak dikenal.")
    try:
        await run(request, "registration", command, tenant=user.tenant, actor=user.actor(), case_id=case_id)
    except DomainError as error:
        return redirect(with_error("/admin", error))
    await eventually(lambda: status_is(request, user, case_id, after))
    return redirect("/admin")


@router.get("/beranda", response_class=HTMLResponse)
async def staff_home(request: Request) -> Response:
    require_page_user(request)
    return render(request, "staff_home.html")


async def error_page(request: Request, error: HTTPException) -> Response:
    """Browsers get a page in their language; API clients keep the JSON error."""
    from fastapi.exception_handlers import http_exception_handler
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return await http_exception_handler(request, error)
    heading = {404: "error_404", 403: "error_403"}.get(error.status_code, "error_other")
    return render(request, "error.html", status_code=error.status_code,
                  heading=translator_for(request)(heading), message=error_text(error))


def translator_for(request: Request) -> Any:
    lang = request.cookies.get(LANG_COOKIE, "id")
    return translator(lang if lang in LANGUAGES else "id")
