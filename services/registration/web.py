"""Registration's pages: the scheme catalogue, the asesi's FR.APL.01 and FR.APL.02, and the admin LSP's
queue, case search, schemes, outbox and application review (SOP 1.1-1.3, 2.1).

They run the same use cases as the JSON API (usecases.py) and render in the platform's base layout
(shared.web.render); templates in templates/registration/, text in texts.py."""
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from services.registration import queries, usecases
from services.registration.api import (
    ApplicationIn,
    FeasibilityIn,
    PersonalDataIn,
    RecommendationIn,
    RejectPaymentIn,
    SchemeIn,
    SchemeRevisionIn,
    SelfAssessmentIn,
    TukEquipmentIn,
    VerdictIn,
)
from services.registration.domain import EDUCATION, METHODS, REQUIRED_FIELDS, SCHEME_KINDS
from services.registration.texts import PERSONAL_FORM
from shared.errors import DomainError, NotFound
from shared.web import (
    ADMIN_LSP,
    ASESI,
    Context,
    case_view,
    check_same_origin,
    chosen_scheme,
    eventually,
    form_step,
    page_context,
    page_lang,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
# Bagian 1 answers from a fixed set are chosen, not typed
CHOICES = {"jenis_kelamin": (("L", "Laki-laki"), ("P", "Perempuan")),
           "kualifikasi_pendidikan": tuple((level, level) for level in EDUCATION)}
STATUSES = ("submitted", "returned", "accepted", "payment_submitted", "paid", "self_assessed",
            "ready_for_scheduling", "not_feasible")  # an application's statuses after submission, in order


def refused(request: Request, url: str, error: Exception) -> Response:
    """Back to the page with what went wrong, in the reader's language."""
    return redirect(f"{url}?{urlencode({'galat': request.app.state.error_text(error, page_lang(request))})}")


# ---- the catalogue and the asesi's home ---------------------------------------------------------------

@router.get("/cabang/{branch}/skema", response_class=HTMLResponse)
async def catalogue(request: Request, branch: str) -> Response:
    schemes = await queries.list_schemes(request.app.state.read_store, branch)
    return render(request, "registration/catalogue.html", branch=branch, schemes=schemes)


@router.get("/asesi", response_class=HTMLResponse)
async def asesi_home(request: Request) -> Response:
    ctx = page_context(request, ASESI)
    return render(request, "registration/asesi_home.html",
                  applications=await queries.list_applications(ctx.store, ctx.tenant, asesi_id=ctx.user.id,
                                                               include_drafts=True),
                  schemes=await queries.list_schemes(ctx.store, ctx.tenant), chosen=chosen_scheme(request),
                  error=request.query_params.get("galat"))


@router.post("/asesi/permohonan")
async def apply(request: Request, scheme_id: Text, purpose: Text) -> Response:
    async def run(ctx: Context) -> str:
        body = ApplicationIn(scheme_id=scheme_id, purpose=purpose)
        return (await usecases.draft_application(ctx, body.scheme_id, body.purpose))["id"]
    ctx = page_context(request, ASESI)
    try:
        case_id = await checked_step(request, run, ctx)
    except (DomainError, HTTPException, ValueError) as error:
        return refused(request, "/asesi", error)
    return redirect(f"/asesi/permohonan/{case_id}")


async def checked_step(request: Request, run: Any, ctx: Context) -> Any:
    """A step whose page says what went wrong itself: from this site only, then run."""
    check_same_origin(request)
    return await run(ctx)


# ---- a case's pages -----------------------------------------------------------------------------------

async def application_for(ctx: Context, case_id: str) -> dict[str, Any]:
    """The application with its personal data opened (the owner or the branch's office only)."""
    own = usecases.own_only(ctx.user)
    application = await eventually(lambda: queries.get_application(
        ctx.store, ctx.tenant, case_id, asesi_id=own, include_drafts=own is not None))
    if application is None:
        raise NotFound("{what} not found", what="application")
    return await usecases.with_personal_data(ctx, application)


async def case_page(request: Request, ctx: Context, case_id: str, template: str, **context: Any) -> Response:
    """A case page (the asesi's or the office's): the application, the case seen whole, its audit trail."""
    application = await application_for(ctx, case_id)
    return render(request, template, application=application, fields=PERSONAL_FORM,
                  **await case_view(request, ctx.user, case_id, application["status"]),
                  error=request.query_params.get("galat"), notice=request.query_params.get("pesan"), **context)


@router.get("/asesi/permohonan/{case_id}", response_class=HTMLResponse)
async def application_page(request: Request, case_id: str) -> Response:
    ctx = page_context(request, ASESI)
    return await case_page(request, ctx, case_id, "registration/application.html",
                           notices=await usecases.outbox(ctx, case_id), choices=CHOICES, required=REQUIRED_FIELDS)


async def case_step(request: Request, case_id: str, role: str, page: str, run: Any, done: str = "") -> Response:
    """Run one step of a case from a form; back to its page, with what happened or what went wrong
    (and, once the step is accepted, only when the page's read model shows it)."""
    async def run_and_catch_up(user: Any) -> None:
        ctx = Context(request, user, user.tenant or "")
        await caught_up(ctx, case_id, await run(ctx))
    return await form_step(request, (role,), page, run_and_catch_up, done)


async def asesi_step(request: Request, case_id: str, run: Any, done: str = "") -> Response:
    return await case_step(request, case_id, ASESI, f"/asesi/permohonan/{case_id}", run, done)


async def caught_up(ctx: Context, case_id: str, result: Any) -> None:
    """Read your own write: the next page shows the record at least at the version just written."""
    version = result.get("version") if isinstance(result, dict) else None
    if version is None:
        return

    async def reached() -> bool:
        doc = await queries.get_application(ctx.store, ctx.tenant, case_id)
        return bool(doc and doc.get("version", 0) >= version)
    await eventually(reached)


@router.post("/asesi/permohonan/{case_id}/data-pribadi")
async def save_personal_data(request: Request, case_id: str) -> Response:
    form = await request.form()
    fields = {name: str(form.get(name, "")).strip() for name, _ in PERSONAL_FORM}
    return await asesi_step(request, case_id, lambda ctx: usecases.update_personal_data(
        ctx, case_id, PersonalDataIn(**fields).model_dump(exclude_unset=True, exclude={"expected_version"})),
        "saved")


@router.post("/asesi/permohonan/{case_id}/perlengkapan")
async def confirm_tuk_equipment(request: Request, case_id: str) -> Response:
    """SOP 1.2.1: the ticked items are ready; an unticked one is not (yet)."""
    ready = [str(item) for item in (await request.form()).getlist("ready")]
    return await asesi_step(request, case_id, lambda ctx: usecases.step(
        ctx, "confirm_tuk_equipment", case_id, **TukEquipmentIn(ready=ready).model_dump()), "saved")


@router.post("/asesi/permohonan/{case_id}/dokumen/{code}")
async def upload_requirement(request: Request, case_id: str, code: str,
                             file: Annotated[UploadFile, File()]) -> Response:
    return await asesi_step(request, case_id, lambda ctx: usecases.upload(
        ctx, "attach_requirement_document", case_id, file, requirement_code=code), "uploaded")


@router.post("/asesi/permohonan/{case_id}/ajukan")
async def submit(request: Request, case_id: str) -> Response:
    return await asesi_step(request, case_id, lambda ctx: usecases.step(ctx, "submit_application", case_id),
                            "submitted")


@router.post("/asesi/permohonan/{case_id}/bukti")
async def upload_evidence(request: Request, case_id: str, file: Annotated[UploadFile, File()]) -> Response:
    return await asesi_step(request, case_id, lambda ctx: usecases.upload(ctx, "attach_evidence", case_id, file),
                            "uploaded")


@router.post("/asesi/permohonan/{case_id}/apl02")
async def save_self_assessment(request: Request, case_id: str) -> Response:
    """FR.APL.02 form: row i has unit_code-i, element_no-i, answer-i (K/BK) and evidence-i (file ids)."""
    async def run(ctx: Context) -> Any:
        answers = self_assessment_rows(await request.form())
        if not answers:
            return None
        body = SelfAssessmentIn(answers=answers)
        return await usecases.update_self_assessment(ctx, case_id, [a.model_dump() for a in body.answers])
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
    return await asesi_step(request, case_id, lambda ctx: usecases.step(ctx, "submit_self_assessment", case_id),
                            "submitted")


@router.post("/asesi/permohonan/{case_id}/bayar")
async def pay(request: Request, case_id: str, reference: Text, amount: Annotated[int, Form()],
              file: Annotated[UploadFile, File()]) -> Response:
    return await asesi_step(request, case_id, lambda ctx: usecases.upload(
        ctx, "submit_payment_proof", case_id, file, reference=reference, amount=amount), "paid")


# ---- the admin LSP's pages ----------------------------------------------------------------------------

@router.get("/admin", response_class=HTMLResponse)
async def admin_queue(request: Request) -> Response:
    ctx = page_context(request, ADMIN_LSP)

    async def waiting(status: str) -> list[dict[str, Any]]:
        return await queries.list_applications(ctx.store, ctx.tenant, status=status)
    return render(request, "registration/admin_queue.html", submitted=await waiting("submitted"),
                  reviewing=await waiting("self_assessed"), paying=await waiting("payment_submitted"),
                  error=request.query_params.get("galat"))


@router.get("/admin/kasus", response_class=HTMLResponse)
async def case_search(request: Request, q: Annotated[str, Query(max_length=120)] = "",
                      status: Annotated[str, Query(max_length=40)] = "") -> Response:
    """Every case of the branch, found by the asesi's name or the case id, and by status."""
    ctx = page_context(request, ADMIN_LSP)
    found = await queries.search_applications(ctx.store, ctx.tenant, q, status if status in STATUSES else "")
    return render(request, "registration/case_search.html", found=found, q=q, status=status, statuses=STATUSES)


@router.get("/admin/skema", response_class=HTMLResponse)
async def schemes_page(request: Request) -> Response:
    ctx = page_context(request, ADMIN_LSP)
    schemes = await queries.list_schemes(ctx.store, ctx.tenant, published_only=False)
    return render(request, "registration/schemes.html", schemes=schemes, error=request.query_params.get("galat"))


@router.get("/admin/skema/{scheme_id}", response_class=HTMLResponse)
async def scheme_page(request: Request, scheme_id: str) -> Response:
    ctx = page_context(request, ADMIN_LSP)
    scheme = None
    if scheme_id != "baru":
        scheme = await queries.get_scheme(ctx.store, ctx.tenant, scheme_id, published_only=False)
        if scheme is None:
            raise NotFound("{what} not found", what="scheme")
    return render(request, "registration/scheme_form.html", scheme=scheme, kinds=SCHEME_KINDS, methods=METHODS,
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
    ctx = page_context(request, ADMIN_LSP)
    form = await request.form()

    async def run(ctx: Context) -> dict[str, Any]:
        if scheme_id == "baru":
            body = SchemeIn(number=str(form.get("number", "")).strip(), published=False,
                            **scheme_content(form, None))
            return await usecases.create_scheme(ctx, body.model_dump())
        previous = await queries.get_scheme(ctx.store, ctx.tenant, scheme_id, published_only=False)
        body = SchemeRevisionIn(expected_version=int(form.get("expected_version") or 0),
                                **scheme_content(form, previous))
        return await usecases.scheme_command(ctx, "revise_scheme", scheme_id, **body.model_dump())
    try:
        result = await checked_step(request, run, ctx)
    except (DomainError, HTTPException, ValueError) as error:
        return refused(request, f"/admin/skema/{scheme_id}", error)
    await scheme_caught_up(ctx, result["id"], result["version"])
    return redirect(f"/admin/skema/{result['id']}?pesan=saved")


async def scheme_caught_up(ctx: Context, scheme_id: str, version: int) -> None:
    """Read your own write: the scheme page shows the version just saved."""
    async def reached() -> bool:
        scheme = await queries.get_scheme(ctx.store, ctx.tenant, scheme_id, published_only=False)
        return bool(scheme and scheme.get("version", 0) >= version)
    await eventually(reached)


@router.post("/admin/skema/{scheme_id}/{action}")
async def scheme_visibility(request: Request, scheme_id: str, action: str) -> Response:
    ctx = page_context(request, ADMIN_LSP)
    name = {"terbitkan": "publish_scheme", "tarik": "unpublish_scheme"}.get(action)
    if name is None:
        raise NotFound("unknown action")
    try:
        result = await checked_step(request, lambda c: usecases.scheme_command(c, name, scheme_id), ctx)
    except (DomainError, HTTPException, ValueError) as error:
        return refused(request, f"/admin/skema/{scheme_id}", error)
    await scheme_caught_up(ctx, scheme_id, result["version"])
    return redirect(f"/admin/skema/{scheme_id}?pesan=saved")


@router.get("/admin/kotak-keluar", response_class=HTMLResponse)
async def outbox_page(request: Request) -> Response:
    """Every e-mail notice of the branch (in embedded mode nothing leaves: this is where they are)."""
    ctx = page_context(request, ADMIN_LSP)
    return render(request, "registration/outbox.html", notices=await usecases.outbox(ctx))


@router.get("/admin/permohonan/{case_id}", response_class=HTMLResponse)
async def admin_application(request: Request, case_id: str) -> Response:
    ctx = page_context(request, ADMIN_LSP)
    return await case_page(request, ctx, case_id, "registration/admin_application.html",
                           choice_text={name: dict(pairs) for name, pairs in CHOICES.items()})


async def admin_step(request: Request, case_id: str, run: Any) -> Response:
    return await case_step(request, case_id, ADMIN_LSP, f"/admin/permohonan/{case_id}", run)


@router.post("/admin/permohonan/{case_id}/dokumen/{code}")
async def verdict(request: Request, case_id: str, code: str, verdict: Text,
                  notes: Annotated[str, Form()] = "") -> Response:
    return await admin_step(request, case_id, lambda ctx: usecases.step(
        ctx, "verify_document", case_id, requirement_code=code,
        **VerdictIn(verdict=verdict, notes=notes).model_dump()))


@router.post("/admin/permohonan/{case_id}/rekomendasi")
async def recommend(request: Request, case_id: str, recommendation: Text,
                    notes: Annotated[str, Form()] = "") -> Response:
    return await admin_step(request, case_id, lambda ctx: usecases.step(
        ctx, "recommend_application", case_id,
        **RecommendationIn(recommendation=recommendation, notes=notes).model_dump()))


@router.post("/admin/permohonan/{case_id}/kelayakan")
async def feasibility(request: Request, case_id: str, feasible: Text, notes: Annotated[str, Form()] = "") -> Response:
    return await admin_step(request, case_id, lambda ctx: usecases.step(
        ctx, "review_feasibility", case_id, **FeasibilityIn(feasible=feasible == "ya", notes=notes).model_dump()))


@router.post("/admin/permohonan/{case_id}/verifikasi-pembayaran")
async def verify_payment(request: Request, case_id: str) -> Response:
    return await admin_step(request, case_id, lambda ctx: usecases.step(ctx, "verify_payment", case_id))


@router.post("/admin/permohonan/{case_id}/tolak-pembayaran")
async def reject_payment(request: Request, case_id: str, reason: Text) -> Response:
    return await admin_step(request, case_id, lambda ctx: usecases.step(
        ctx, "reject_payment", case_id, **RejectPaymentIn(reason=reason).model_dump()))
