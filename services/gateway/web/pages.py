"""Server-rendered pages (the web UI). They call the same commands and read the same read
models as the JSON API; every later service adds its pages the same way."""
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from services import DEFINITIONS
from services.gateway import api as gateway_api
from services.gateway.web import timeline
from services.gateway.web.i18n import (
    PERSONAL_FORM,
    add_texts,
    error_message,
    field_label,
    translator,
    validation_message,
)
from services.gateway.web.session import end_session, page_user, secure_cookies, start_session
from services.registration import api as reg_api
from services.registration import queries as registration
from services.registration.domain import EDUCATION, METHODS, REQUIRED_FIELDS, SCHEME_KINDS
from shared.display import rupiah, tanggal, wib
from shared.errors import DomainError, NotFound
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
    Versioned,
    check_same_origin,
    eventually,
    form_step,
    page_lang,
    redirect,
    require_page_user,
)

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(wib=wib, rupiah=rupiah, tanggal=tanggal)
router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
# Bagian 1 answers from a fixed set are chosen, not typed
CHOICES = {"jenis_kelamin": (("L", "Laki-laki"), ("P", "Perempuan")),
           "kualifikasi_pendidikan": tuple((level, level) for level in EDUCATION)}


def add_service_pages(service: ServiceDefinition) -> None:
    """A service's templates and texts join the gateway's: its pages render in the base layout."""
    if service.templates and str(service.templates) not in templates.env.loader.searchpath:
        templates.env.loader.searchpath.append(str(service.templates))
    add_texts(service.texts())


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = page_lang(request)
    response = templates.TemplateResponse(request, name, {"t": translator(lang), "lang": lang,
                                                          "user": page_user(request), **context},
                                          status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax",
                            secure=secure_cookies(request))
    return response


def with_error(request: Request, url: str, error: Exception | str) -> str:
    """Back to the page with what went wrong, already in the reader's language."""
    text = error if isinstance(error, str) else validation_text(error, page_lang(request))
    return f"{url}?{urlencode({'galat': text})}"


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


SCHEME_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def chosen_scheme(request: Request, form: Any = None) -> str:
    """The scheme an asesi chose in the catalogue (?skema=), carried through sign-up and login."""
    value = str((form or {}).get("skema") or request.query_params.get("skema") or "")
    return value if SCHEME_ID.fullmatch(value) else ""


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


@router.get("/cabang/{branch}/skema", response_class=HTMLResponse)
async def catalogue(request: Request, branch: str) -> Response:
    schemes = await registration.list_schemes(request.app.state.read_store, branch)
    return render(request, "catalogue.html", branch=branch, schemes=schemes)


@router.get("/asesi", response_class=HTMLResponse)
async def asesi_home(request: Request) -> Response:
    user = require_page_user(request, ASESI)
    store = request.app.state.read_store
    return render(request, "asesi_home.html",
                  applications=await registration.list_applications(store, user.tenant, asesi_id=user.id,
                                                                    include_drafts=True),
                  schemes=await registration.list_schemes(store, user.tenant), chosen=chosen_scheme(request),
                  error=request.query_params.get("galat"))


@router.post("/asesi/permohonan")
async def apply(request: Request, scheme_id: Text, purpose: Text) -> Response:
    user = require_page_user(request, ASESI)
    check_same_origin(request)
    try:
        created = await reg_api.draft_application(reg_api.ApplicationIn(scheme_id=scheme_id, purpose=purpose),
                                                  request, user)
    except (DomainError, HTTPException, ValueError) as error:
        return redirect(with_error(request, "/asesi", error))
    return redirect(f"/asesi/permohonan/{created['id']}")


async def application_for(request: Request, user: User, case_id: str) -> dict[str, Any]:
    """The application with its personal data opened (the owner or the branch's office only)."""
    own = user.id if user.role == ASESI else None
    store = request.app.state.read_store
    application = await eventually(lambda: registration.get_application(
        store, user.tenant, case_id, asesi_id=own, include_drafts=own is not None))
    if application is None:
        raise NotFound("{what} not found", what="application")
    return await reg_api.with_personal_data(request, user, application)


@router.get("/asesi/permohonan/{case_id}", response_class=HTMLResponse)
async def application_page(request: Request, case_id: str) -> Response:
    user = require_page_user(request, ASESI)
    notices = await reg_api.opened_notices(request, await registration.list_outbox(
        request.app.state.read_store, user.tenant, asesi_id=user.id, case_id=case_id))
    return await case_page(request, user, case_id, "application.html", notices=notices, choices=CHOICES,
                           required=REQUIRED_FIELDS, notice=request.query_params.get("pesan"))


async def whole_case(request: Request, user: User, case_id: str) -> dict[str, Any]:
    """The case seen whole: what each service knows of it, from each one's own read model."""
    store = request.app.state.read_store
    parts = {service.name: await service.case_part()(store, user.tenant, case_id)
             for service in DEFINITIONS if service.case_part}
    return {name: part for name, part in parts.items() if part}


def stage(application: dict[str, Any], case: dict[str, Any]) -> str:
    """Where the case stands, from the service furthest along (the text key of its status line)."""
    certification, assessment = case.get("certification") or {}, case.get("assessment") or {}
    if certification.get("certificate"):
        return "stage_certified"
    if certification.get("decision") == "BK":
        return "stage_not_competent"
    if certification or assessment.get("status") == "recommended":
        return "stage_awaiting_decision"
    if assessment or (case.get("scheduling") or {}).get("assessor"):
        return "stage_assessing"
    return f"status_{application['status']}"


async def case_page(request: Request, user: User, case_id: str, template: str, **context: Any) -> Response:
    """A case page (the asesi's or the office's): the application, the case seen whole, its audit trail."""
    application = await application_for(request, user, case_id)
    case = await whole_case(request, user, case_id)
    return render(request, template, application=application, case=case, stage=stage(application, case),
                  history=await history(request, user, case_id), fields=PERSONAL_FORM,
                  error=request.query_params.get("galat"), **context)


async def history(request: Request, user: User, case_id: str) -> list[dict[str, Any]]:
    """The case's audit trail from the services' event logs, in the reader's language."""
    return timeline.rows(await gateway_api.timeline_entries(request, user, case_id), page_lang(request))


async def asesi_step(request: Request, case_id: str, run: Any, done: str = "") -> Response:
    return await page_step(request, case_id, ASESI, f"/asesi/permohonan/{case_id}", run, done)


async def page_step(request: Request, case_id: str, role: str, page: str, run: Any, done: str = "") -> Response:
    """Run one step of a case from a form; back to its page, with what happened or what went wrong."""
    async def run_and_catch_up(user: User) -> None:
        await caught_up(request, user, case_id, await run(user))
    return await form_step(request, (role,), page, run_and_catch_up, done)


async def caught_up(request: Request, user: User, case_id: str, result: Any) -> None:
    """Read your own write: the next page shows the record at least at the version just written."""
    version = result.get("version") if isinstance(result, dict) else None
    if version is None:
        return
    part = result.get("part", "application")  # a case is several aggregates, each with its version

    async def reached() -> bool:
        doc = await registration.get_application(request.app.state.read_store, user.tenant, case_id)
        return bool(doc and (doc.get("versions") or {}).get(part, doc.get("version", 0)) >= version)
    await eventually(reached)


@router.post("/asesi/permohonan/{case_id}/data-pribadi")
async def save_personal_data(request: Request, case_id: str) -> Response:
    form = await request.form()
    fields = {name: str(form.get(name, "")).strip() for name, _ in PERSONAL_FORM}
    return await asesi_step(request, case_id, lambda user: reg_api.update_personal_data(
        case_id, reg_api.PersonalDataIn(**fields), request, user), "saved")


@router.post("/asesi/permohonan/{case_id}/perlengkapan")
async def confirm_tuk_equipment(request: Request, case_id: str) -> Response:
    """SOP 1.2.1: the ticked items are ready; an unticked one is not (yet)."""
    ready = [str(item) for item in (await request.form()).getlist("ready")]
    return await asesi_step(request, case_id, lambda user: reg_api.confirm_tuk_equipment(
        case_id, reg_api.TukEquipmentIn(ready=ready), request, user), "saved")


@router.post("/asesi/permohonan/{case_id}/dokumen/{code}")
async def upload_requirement(request: Request, case_id: str, code: str,
                             file: Annotated[UploadFile, File()]) -> Response:
    return await asesi_step(request, case_id, lambda user: reg_api.attach_requirement_document(
        case_id, code, request, file, None, user), "uploaded")


@router.post("/asesi/permohonan/{case_id}/ajukan")
async def submit(request: Request, case_id: str) -> Response:
    return await asesi_step(request, case_id, lambda user: reg_api.submit_application(
        case_id, Versioned(), request, user), "submitted")


@router.post("/asesi/permohonan/{case_id}/bukti")
async def upload_evidence(request: Request, case_id: str, file: Annotated[UploadFile, File()]) -> Response:
    return await asesi_step(request, case_id, lambda user: reg_api.attach_evidence(
        case_id, request, file, None, user), "uploaded")


@router.post("/asesi/permohonan/{case_id}/apl02")
async def save_self_assessment(request: Request, case_id: str) -> Response:
    """FR.APL.02 form: row i has unit_code-i, element_no-i, answer-i (K/BK) and evidence-i (file ids)."""
    async def run(user: User) -> Any:
        answers = self_assessment_rows(await request.form())
        if not answers:
            return None
        return await reg_api.update_self_assessment(case_id, reg_api.SelfAssessmentIn(answers=answers),
                                                    request, user)
    return await asesi_step(request, case_id, run, "saved")


def self_assessment_rows(form: Any) -> list[dict[str, Any]]:
    """The answered rows actually posted, never a count the client declares (the form parser already
    bounds how many fields a post may have; SelfAssessmentIn bounds the answers and names bad ones)."""
    rows = sorted({int(key[len("answer-"):]) for key in form if key.startswith("answer-")
                   and key[len("answer-"):].isdecimal() and len(key) < 16 and form.get(key)})
    return [{"unit_code": form.get(f"unit_code-{i}"), "element_no": form.get(f"element_no-{i}") or None,
             "answer": form.get(f"answer-{i}"), "evidence": form.getlist(f"evidence-{i}")} for i in rows]


@router.post("/asesi/permohonan/{case_id}/apl02/ajukan")
async def submit_self_assessment(request: Request, case_id: str) -> Response:
    return await asesi_step(request, case_id, lambda user: reg_api.submit_self_assessment(
        case_id, Versioned(), request, user), "submitted")


@router.post("/asesi/permohonan/{case_id}/bayar")
async def pay(request: Request, case_id: str, reference: Text, amount: Annotated[int, Form()],
              file: Annotated[UploadFile, File()]) -> Response:
    return await asesi_step(request, case_id, lambda user: reg_api.submit_payment_proof(
        case_id, request, file, reference, amount, None, user), "paid")


@router.get("/admin", response_class=HTMLResponse)
async def admin_queue(request: Request) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    store = request.app.state.read_store
    return render(request, "admin_queue.html",
                  submitted=await registration.list_applications(store, user.tenant, status="submitted"),
                  reviewing=await registration.list_applications(store, user.tenant, status="self_assessed"),
                  paying=await registration.list_applications(store, user.tenant, status="payment_submitted"),
                  error=request.query_params.get("galat"))


STATUSES = ("submitted", "returned", "accepted", "payment_submitted", "paid", "self_assessed",
            "ready_for_scheduling", "not_feasible")  # an application's statuses after submission, in order


@router.get("/admin/kasus", response_class=HTMLResponse)
async def case_search(request: Request, q: Annotated[str, Query(max_length=120)] = "",
                      status: Annotated[str, Query(max_length=40)] = "") -> Response:
    """Every case of the branch, found by the asesi's name or the case id, and by status."""
    user = require_page_user(request, ADMIN_LSP)
    found = await registration.search_applications(request.app.state.read_store, user.tenant, q,
                                                   status if status in STATUSES else "")
    return render(request, "case_search.html", found=found, q=q, status=status, statuses=STATUSES)


@router.get("/admin/skema", response_class=HTMLResponse)
async def schemes_page(request: Request) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    schemes = await registration.list_schemes(request.app.state.read_store, user.tenant, published_only=False)
    return render(request, "schemes.html", schemes=schemes, error=request.query_params.get("galat"))


@router.get("/admin/skema/{scheme_id}", response_class=HTMLResponse)
async def scheme_page(request: Request, scheme_id: str) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    scheme = None
    if scheme_id != "baru":
        scheme = await registration.get_scheme(request.app.state.read_store, user.tenant, scheme_id,
                                               published_only=False)
        if scheme is None:
            raise NotFound("{what} not found", what="scheme")
    return render(request, "scheme_form.html", scheme=scheme, kinds=SCHEME_KINDS, methods=METHODS,
                  error=request.query_params.get("galat"), notice=request.query_params.get("pesan"))


def lines(text: str) -> list[list[str]]:
    """'A | B | C' per line, as the scheme form takes units and requirements."""
    return [[part.strip() for part in line.split("|")] for line in text.splitlines() if line.strip()]


def scheme_content(form: Any, previous: dict[str, Any] | None) -> dict[str, Any]:
    kept = {unit["code"]: unit.get("elements", []) for unit in (previous or {}).get("units", [])}
    units = [{"code": row[0], "title": row[1] if len(row) > 1 else "",
              "standard_type": row[2] if len(row) > 2 and row[2] else "SKKNI",
              "reference": row[3] if len(row) > 3 else "", "elements": kept.get(row[0], [])}
             for row in lines(str(form.get("units", "")))]
    requirements = [{"code": row[0], "title": row[1] if len(row) > 1 else "",
                     "category": row[2] if len(row) > 2 and row[2] else "persyaratan_dasar"}
                    for row in lines(str(form.get("requirements", "")))]
    return {"title": str(form.get("title", "")).strip(), "kind": str(form.get("kind", "")),
            "fee": int(form.get("fee") or 0), "validity_years": int(form.get("validity_years") or 3),
            "units": units, "requirements": requirements, "methods": form.getlist("methods"),
            "remote_requirements": [row[0] for row in lines(str(form.get("remote_requirements", "")))] or None}


@router.post("/admin/skema/{scheme_id}")
async def save_scheme(request: Request, scheme_id: str) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    check_same_origin(request)
    form = await request.form()
    store = request.app.state.read_store
    try:
        if scheme_id == "baru":
            body = reg_api.SchemeIn(number=str(form.get("number", "")).strip(), published=False,
                                    **scheme_content(form, None))
            result = await reg_api.create_scheme(body, request, user)
            scheme_id = result["id"]
        else:
            previous = await registration.get_scheme(store, user.tenant, scheme_id, published_only=False)
            body = reg_api.SchemeRevisionIn(expected_version=int(form.get("expected_version") or 0),
                                            **scheme_content(form, previous))
            result = await reg_api.revise_scheme(scheme_id, body, request, user)
    except (DomainError, HTTPException, ValueError) as error:
        target = "/admin/skema/baru" if scheme_id == "baru" else f"/admin/skema/{scheme_id}"
        return redirect(with_error(request, target, validation_text(error, page_lang(request))))
    await scheme_caught_up(request, user, scheme_id, result["version"])
    return redirect(f"/admin/skema/{scheme_id}?pesan=saved")


async def scheme_caught_up(request: Request, user: User, scheme_id: str, version: int) -> None:
    """Read your own write: the scheme page shows the version just saved."""
    async def reached() -> bool:
        scheme = await registration.get_scheme(request.app.state.read_store, user.tenant, scheme_id,
                                               published_only=False)
        return bool(scheme and scheme.get("version", 0) >= version)
    await eventually(reached)


@router.post("/admin/skema/{scheme_id}/{action}")
async def scheme_visibility(request: Request, scheme_id: str, action: str) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    check_same_origin(request)
    change = {"terbitkan": reg_api.publish_scheme, "tarik": reg_api.unpublish_scheme}.get(action)
    if change is None:
        raise NotFound("unknown action")
    try:
        result = await change(scheme_id, Versioned(), request, user)
    except (DomainError, HTTPException, ValueError) as error:
        return redirect(with_error(request, f"/admin/skema/{scheme_id}", error))
    await scheme_caught_up(request, user, scheme_id, result["version"])
    return redirect(f"/admin/skema/{scheme_id}?pesan=saved")


@router.get("/admin/kotak-keluar", response_class=HTMLResponse)
async def outbox_page(request: Request) -> Response:
    """Every e-mail notice of the branch (in embedded mode nothing leaves: this is where they are)."""
    user = require_page_user(request, ADMIN_LSP)
    notices = await registration.list_outbox(request.app.state.read_store, user.tenant)
    return render(request, "outbox.html", notices=await reg_api.opened_notices(request, notices))


@router.get("/admin/permohonan/{case_id}", response_class=HTMLResponse)
async def admin_application(request: Request, case_id: str) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    return await case_page(request, user, case_id, "admin_application.html",
                           choice_text={name: dict(pairs) for name, pairs in CHOICES.items()})


async def admin_step(request: Request, case_id: str, run: Any) -> Response:
    return await page_step(request, case_id, ADMIN_LSP, f"/admin/permohonan/{case_id}", run)


@router.post("/admin/permohonan/{case_id}/dokumen/{code}")
async def verdict(request: Request, case_id: str, code: str, verdict: Text,
                  notes: Annotated[str, Form()] = "") -> Response:
    return await admin_step(request, case_id, lambda user: reg_api.verify_document(
        case_id, code, reg_api.VerdictIn(verdict=verdict, notes=notes), request, user))


@router.post("/admin/permohonan/{case_id}/rekomendasi")
async def recommend(request: Request, case_id: str, recommendation: Text,
                    notes: Annotated[str, Form()] = "") -> Response:
    return await admin_step(request, case_id, lambda user: reg_api.recommend_application(
        case_id, reg_api.RecommendationIn(recommendation=recommendation, notes=notes), request, user))


@router.post("/admin/permohonan/{case_id}/kelayakan")
async def feasibility(request: Request, case_id: str, feasible: Text, notes: Annotated[str, Form()] = "") -> Response:
    return await admin_step(request, case_id, lambda user: reg_api.review_feasibility(
        case_id, reg_api.FeasibilityIn(feasible=feasible == "ya", notes=notes), request, user))


@router.post("/admin/permohonan/{case_id}/verifikasi-pembayaran")
async def verify_payment(request: Request, case_id: str) -> Response:
    return await admin_step(request, case_id, lambda user: reg_api.verify_payment(
        case_id, Versioned(), request, user))


@router.post("/admin/permohonan/{case_id}/tolak-pembayaran")
async def reject_payment(request: Request, case_id: str, reason: Text) -> Response:
    return await admin_step(request, case_id, lambda user: reg_api.reject_payment(
        case_id, reg_api.RejectPaymentIn(reason=reason), request, user))


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
