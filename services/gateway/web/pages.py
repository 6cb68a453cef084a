"""The gateway's own pages (landing, login, sign-up, the branch list, the staff home, error pages) and
what every service's pages render with: the base layout, the reader's language, the case seen whole."""
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from services import DEFINITIONS, NAMES
from services.gateway import api as gateway_api
from services.gateway.web import timeline
from services.gateway.web.i18n import error_message, field_label, translator, validation_message
from services.gateway.web.session import end_session, page_user, secure_cookies, start_session
from shared.display import rupiah, tanggal, wib
from shared.errors import DomainError
from shared.forms import TEMPLATES as FORM_MACROS
from shared.notices import SEALED_FIELDS, list_outbox
from shared.service import ServiceDefinition
from shared.web import (
    ADMIN_LSP,
    ASESI,
    ASESOR,
    KETUA_LSP,
    LANG_COOKIE,
    LANGUAGES,
    MANAJER_SERTIFIKASI,
    PLATFORM_ADMIN,
    SESSION_COOKIE,
    User,
    check_same_origin,
    chosen_scheme,
    page_context,
    page_lang,
    redirect,
    require_page_user,
)

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=[HERE / "templates", FORM_MACROS])  # forms.html: every form's macros
templates.env.filters.update(wib=wib, rupiah=rupiah, tanggal=tanggal)
router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


def add_service_pages(service: ServiceDefinition) -> None:
    """A service's templates join the gateway's (its texts already have, i18n): its pages render in the base layout."""
    if service.templates and str(service.templates) not in templates.env.loader.searchpath:
        templates.env.loader.searchpath.append(str(service.templates))


async def whole_case(request: Request, user: User, case_id: str) -> dict[str, Any]:
    """The case seen whole: what each service knows of it, from each one's own read model."""
    store = request.app.state.read_store
    parts = {service.name: await service.case_part()(store, user.tenant, case_id)
             for service in DEFINITIONS if service.case_part}
    return {name: part for name, part in parts.items() if part}


def stage(status: str, case: dict[str, Any]) -> str:
    """Where the case stands, from the service furthest along (the text key of its status line);
    until it leaves registration, registration's status."""
    certification, assessment = case.get("certification") or {}, case.get("assessment") or {}
    if certification.get("certificate"):
        return "stage_certified"
    if certification.get("decision") == "BK":
        return "stage_not_competent"
    if certification or assessment.get("status") == "recommended":
        return "stage_awaiting_decision"
    if assessment or (case.get("scheduling") or {}).get("assessor"):
        return "stage_assessing"
    return f"status_{status}"


async def case_view(request: Request, user: User, case_id: str, status: str) -> dict[str, Any]:
    """What a case page shows beside its own service's record (shared.web.case_view)."""
    case = await whole_case(request, user, case_id)
    entries = await gateway_api.timeline_entries(request, user, case_id)
    return {"case": case, "stage": stage(status, case), "history": timeline.rows(entries, page_lang(request))}


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = page_lang(request)
    response = templates.TemplateResponse(request, name, {"t": translator(lang), "lang": lang,
                                                          "user": page_user(request), **context},
                                          status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax",
                            secure=secure_cookies(request))
    return response


def error_text(error: Exception, lang: str) -> str:
    if isinstance(error, DomainError):
        return error_message(error, lang)
    detail = getattr(error, "detail", str(error))
    return detail.get("message", str(detail)) if isinstance(detail, dict) else str(detail)


# where each role's work is; the other roles: the staff home
HOMES = {ASESI: "/asesi", ADMIN_LSP: "/admin", ASESOR: "/asesor", KETUA_LSP: "/keputusan",
         MANAJER_SERTIFIKASI: "/penjadwalan", PLATFORM_ADMIN: "/platform"}


def home_of(user: User) -> str:
    return HOMES.get(user.role, "/beranda")


@router.get("/", response_class=HTMLResponse)
async def landing(request: Request) -> Response:
    user = page_user(request)
    return redirect(home_of(user)) if user else redirect("/masuk")


@router.get("/masuk", response_class=HTMLResponse)
async def login_page(request: Request) -> Response:
    return render(request, "login.html", notice=request.query_params.get("pesan"), scheme=chosen_scheme(request))


def home_with(user: User, scheme: str) -> str:
    """The user's home; an asesi's with the scheme they chose in the catalogue already selected."""
    return f"/asesi?{urlencode({'skema': scheme})}" if scheme and user.role == ASESI else home_of(user)


@router.post("/masuk")
async def login(request: Request, email: Text, password: Text, branch: Annotated[str, Form()] = "") -> Response:
    check_same_origin(request)
    scheme = chosen_scheme(request, await request.form())
    try:
        token = await run_in_threadpool(request.app.state.authenticator.login, email, password,
                                        gateway_api.login_address(request), branch.strip().upper()[:12])
    except (HTTPException, DomainError) as error:
        return login_refused(request, error, email, branch, scheme)
    user = request.app.state.authenticate(token)
    response = redirect(home_with(user, scheme))
    start_session(request, response, token)
    return response


def login_refused(request: Request, error: HTTPException | DomainError, email: str, branch: str,
                  scheme: str) -> Response:
    """The login page again, saying why (what was typed kept, the password aside); a 429 keeps its Retry-After."""
    status = error.status if isinstance(error, DomainError) else error.status_code
    message = "login_failed" if status == 401 else error_text(error, page_lang(request))
    response = render(request, "login.html", status_code=status, error=message, email=email, branch=branch,
                      scheme=scheme)
    if retry_after := (getattr(error, "headers", None) or {}).get("Retry-After"):
        response.headers["Retry-After"] = retry_after
    return response


@router.post("/keluar")
async def logout(request: Request) -> Response:
    """Ends the session on the server too: the token is revoked, not only the cookie deleted."""
    check_same_origin(request)
    if token := request.cookies.get(SESSION_COOKIE):
        await run_in_threadpool(request.app.state.authenticator.revoke, token)
    response = redirect("/masuk")
    end_session(request, response)
    return response


@router.get("/daftar", response_class=HTMLResponse)
async def signup_page(request: Request) -> Response:
    """Signing up; someone already logged in goes home instead (an asesi with the chosen scheme)."""
    if user := page_user(request):
        return redirect(home_with(user, chosen_scheme(request)))
    return render(request, "signup.html", form={"skema": chosen_scheme(request)})


@router.post("/daftar")
async def signup(request: Request, branch: Text, name: Text, email: Text, password: Text) -> Response:
    from services.gateway.api import SignupIn
    from services.gateway.api import signup as api_signup
    check_same_origin(request)
    scheme = chosen_scheme(request, await request.form())
    form = {"branch": branch, "name": name, "email": email, "skema": scheme}
    try:
        await api_signup(SignupIn(branch=branch.strip().upper(), email=email, name=name, password=password), request)
    except (DomainError, HTTPException, ValueError) as error:
        return render(request, "signup.html", status_code=422, error=validation_text(error, page_lang(request)),
                      form=form)
    return redirect("/masuk?" + urlencode({"pesan": "signup_done", **({"skema": scheme} if scheme else {})}))


def validation_text(error: Exception, lang: str) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):  # pydantic: name the field the user must fix
        first = errors()[0]
        return f"{field_label(first['loc'], lang)}: {validation_message(first, lang)}"
    return error_text(error, lang)


@router.get("/katalog", response_class=HTMLResponse)
async def catalogue_of(request: Request, cabang: str = "") -> Response:
    """A branch's catalogue by its code; without one, the branches to choose from."""
    if cabang.strip():
        return redirect(f"/cabang/{cabang.strip().upper()}/skema")
    branches = await request.app.state.read_store.find("identity", "branches", {}, sort=[("code", 1)])
    return render(request, "branches.html", branches=branches)


@router.get("/admin/kotak-keluar", response_class=HTMLResponse)
async def outbox_page(request: Request) -> Response:
    """Every e-mail notice of the branch, from every service that sends them, newest first (in embedded mode
    nothing leaves: this is where they are). Recipient and body are opened with each service's own vault."""
    ctx = page_context(request, ADMIN_LSP)
    notices: list[dict[str, Any]] = []
    for service in NAMES:
        found, box = await list_outbox(ctx.store, service, ctx.tenant), ctx.vault(service)
        if found:
            notices += await run_in_threadpool(lambda f=found, b=box: [b.open_fields(n, SEALED_FIELDS) for n in f])
    return render(request, "outbox.html", notices=sorted(notices, key=lambda n: str(n["queued_at"]), reverse=True))


@router.get("/beranda", response_class=HTMLResponse)
async def staff_home(request: Request) -> Response:
    require_page_user(request)
    return render(request, "staff_home.html")


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API): errors are shown as a page in its language."""
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


async def error_page(request: Request, error: HTTPException | DomainError) -> Response:
    """The error as a page in the browser's language (API clients get JSON: main.py)."""
    status = error.status if isinstance(error, DomainError) else error.status_code
    heading = {404: "error_404", 403: "error_403"}.get(status, "error_other")
    return render(request, "error.html", status_code=status,
                  heading=translator_for(request)(heading), message=error_text(error, page_lang(request)))


def translator_for(request: Request) -> Any:
    return translator(page_lang(request))
