"""Registration's pages: the scheme catalogue, the asesi's FR.APL.01 and FR.APL.02, and the admin LSP's
queue, case search, schemes, outbox and application review (SOP 1.1-1.3, 2.1).

They run the same use cases as the JSON API (usecases.py) and render in the platform's base layout
(shared.web.render); templates in templates/registration/, text in texts.py."""
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from services.registration import queries, usecases
from services.registration.api import (
    ApplicationIn,
    FeasibilityIn,
    RecommendationIn,
    RejectPaymentIn,
    SchemeIn,
    SchemeRevisionIn,
    TukEquipmentIn,
    VerdictIn,
)
from services.registration.domain import APPLICATION, CASE, METHODS, SCHEME_KINDS, CaseStatus, item_key
from services.registration.forms import APL02, BAGIAN_1
from services.registration.texts import TEXT
from shared.errors import DomainError, Invalid, NotFound
from shared.web import (
    ADMIN_LSP,
    ASESI,
    Context,
    attempt,
    branch_profile,
    case_view,
    check_same_origin,
    chosen_scheme,
    error_text,
    eventually,
    form_step,
    page_context,
    page_lang,
    redirect,
    render,
    typed_values,
)

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
# what the office searches by: a case's statuses after submission, in the order of the domain's enumeration
STATUSES = tuple(status.value for status in CaseStatus if status is not CaseStatus.DRAFT)


def refused(request: Request, url: str, error: Exception) -> Response:
    """Back to the page with what went wrong, in the reader's language."""
    return redirect(f"{url}?{urlencode({'galat': error_text(request, error)})}")


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


def allowed(application: dict[str, Any]) -> set[str]:
    """What may be done on the case now, from the domain's transition tables (the same the commands move
    by): the case's actions ("verify_payment", "feasible"...) and its application's ("application.edit")."""
    statuses = application.get("statuses") or {}
    return {*CASE.actions(application["status"]),
            *(f"application.{action}" for action in APPLICATION.actions(statuses.get("application", "draft")))}


async def case_page(request: Request, ctx: Context, case_id: str, template: str, status_code: int = 200,
                    **context: Any) -> Response:
    """A case page (the asesi's or the office's): the application, the case seen whole, its audit trail."""
    application = await application_for(ctx, case_id)
    context.setdefault("problems", {})
    return render(request, template, status_code=status_code, application=application, may=allowed(application),
                  bagian1=BAGIAN_1.page(application.get("personal_data") or {}, {}, page_lang(request)),
                  **await case_view(request, ctx.user, case_id, application["status"]),
                  error=request.query_params.get("galat"), notice=request.query_params.get("pesan"), **context)


@router.get("/asesi/permohonan/{case_id}", response_class=HTMLResponse)
async def application_page(request: Request, case_id: str) -> Response:
    return await asesi_page(request, page_context(request, ASESI), case_id)


async def asesi_page(request: Request, ctx: Context, case_id: str, status_code: int = 200,
                     typed: dict[str, str] | None = None, problems: dict[str, str] | None = None,
                     answers: dict[str, dict[str, Any]] | None = None) -> Response:
    """The asesi's case page. After a refused step: what they typed and chose kept (`typed`, `answers`),
    every problem beside its field (`problems`: field name, "dokumen-<code>" or a grid row's key)."""
    lang, problems = page_lang(request), problems or {}
    application = await application_for(ctx, case_id)
    values = typed if typed is not None else application.get("personal_data") or {}
    sa = application.get("self_assessment")
    apl02 = None
    if sa:
        saved = {item_key(a["unit_code"], a["element_no"]): a for a in sa.get("answers") or []}
        apl02 = APL02.page(lang=lang, scheme=application["scheme"], answers={**saved, **(answers or {})},
                           errors=problems)
    terms = usecases.payment_terms(await branch_profile(request, ctx.tenant))
    due = usecases.due_date(application["invoice"], terms) if application.get("invoice") else None
    return render(request, "registration/application.html", status_code=status_code, application=application,
                  terms=terms, due_date=due, may=allowed(application),
                  bagian1=BAGIAN_1.page(values, problems, lang), apl02=apl02, problems=problems,
                  **await case_view(request, ctx.user, case_id, application["status"]),
                  notices=await usecases.outbox(ctx, case_id), notice=request.query_params.get("pesan"),
                  error=request.query_params.get("galat"))


async def case_step(request: Request, case_id: str, role: str, page: str, run: Any, done: str = "") -> Response:
    """Run one step of a case from a form; back to its page, with what happened or what went wrong
    (and, once the step is accepted, only when the page's read model shows it)."""
    async def run_and_catch_up(ctx: Context) -> None:
        await caught_up(ctx, case_id, await run(ctx))
    return await form_step(request, (role,), page, run_and_catch_up, done)


async def asesi_step(request: Request, case_id: str, run: Any, done: str = "") -> Response:
    return await case_step(request, case_id, ASESI, f"/asesi/permohonan/{case_id}", run, done)


async def caught_up(ctx: Context, case_id: str, result: Any) -> None:
    """Read your own write: the next page shows the record at least at the version just written."""
    version = result.get("version") if isinstance(result, dict) else None
    if version is None:
        return
    part = result.get("part", "application")  # a case is several aggregates, each with its version

    async def reached() -> bool:
        doc = await queries.get_application(ctx.store, ctx.tenant, case_id)
        return bool(doc and (doc.get("versions") or {}).get(part, doc.get("version", 0)) >= version)
    await eventually(reached)


def chosen_file(form: Any, name: str) -> StarletteUpload | None:
    """The file a form's field carries, if one was chosen (a parsed form holds Starlette's UploadFile)."""
    value = form.get(name)
    return value if isinstance(value, StarletteUpload) and value.filename else None


@router.post("/asesi/permohonan/{case_id}/apl01")
async def save_application(request: Request, case_id: str) -> Response:
    """FR.APL.01 as one form: Bagian 1 typed, any requirement documents chosen, and "sign and submit" or
    "save". Files are kept first (a browser cannot keep a chosen file across a refusal), then Bagian 1 if it
    has no problem, then the signature. Whatever is refused comes back beside its field, nothing typed lost."""
    ctx = page_context(request, ASESI)
    check_same_origin(request)
    form = await request.form()
    lang = page_lang(request)
    typed = typed_values(BAGIAN_1, form)
    submitting = form.get("action") == "ajukan"
    application = await application_for(ctx, case_id)
    problems: dict[str, str] = {}
    uploaded = []
    for document in application.get("documents") or []:
        name = f"dokumen-{document['code']}"
        if (file := chosen_file(form, name)) is None:
            continue
        try:
            await usecases.upload(ctx, "attach_requirement_document", case_id, file,
                                  requirement_code=document["code"])
            uploaded.append(document["code"])
        except (DomainError, HTTPException) as error:
            problems[name] = error_text(request, error)
    problems |= BAGIAN_1.problems(typed, lang, partial=not submitting)
    saved = application.get("personal_data") or {}
    changed = {name: value for name, value in typed.items() if value != (saved.get(name) or "")}
    if changed and not problems:
        await attempt(request, problems, lambda: usecases.update_personal_data(ctx, case_id, changed))
    if submitting:  # every problem at once: the documents still missing too
        have = {d["code"] for d in application.get("documents") or [] if d.get("file_id")} | set(uploaded)
        problems |= {f"dokumen-{d['code']}": TEXT["document_missing"][lang == "en"]
                     for d in application.get("documents") or []
                     if d["code"] not in have and f"dokumen-{d['code']}" not in problems}
    if submitting and not problems and await signed(request, ctx, case_id, "submit_application", problems):
        return redirect(f"/asesi/permohonan/{case_id}?pesan=submitted")
    if problems:
        return await asesi_page(request, ctx, case_id, 422, typed=typed, problems=problems)
    await eventually(lambda: settled(ctx, case_id, changed, uploaded))
    return redirect(f"/asesi/permohonan/{case_id}?pesan={'uploaded' if uploaded and not changed else 'saved'}")


async def signed(request: Request, ctx: Context, case_id: str, command: str, problems: dict[str, str]) -> bool:
    """The asesi signs and submits a form; whether it was accepted (if not, why is added to `problems`)."""
    try:
        await caught_up(ctx, case_id, await usecases.step(ctx, command, case_id))
        return True
    except (DomainError, HTTPException) as error:
        problems[""] = error_text(request, error)
        return False


async def settled(ctx: Context, case_id: str, changed: dict[str, Any], uploaded: list[str]) -> bool:
    """The page the asesi lands on shows the documents just uploaded and the fields just saved."""
    doc = await queries.get_application(ctx.store, ctx.tenant, case_id) or {}
    have = {d["code"] for d in doc.get("documents") or [] if d.get("file_id")}
    return set(uploaded) <= have and set(changed) <= set(doc.get("personal_data") or {}) | {
        name for name, value in changed.items() if not value}


@router.post("/asesi/permohonan/{case_id}/perlengkapan")
async def confirm_tuk_equipment(request: Request, case_id: str) -> Response:
    """SOP 1.2.1: the ticked items are ready; an unticked one is not (yet)."""
    ready = [str(item) for item in (await request.form()).getlist("ready")]
    return await asesi_step(request, case_id, lambda ctx: usecases.step(
        ctx, "confirm_tuk_equipment", case_id, **TukEquipmentIn(ready=ready).model_dump()), "saved")


@router.post("/asesi/permohonan/{case_id}/apl02")
async def save_self_assessment(request: Request, case_id: str) -> Response:
    """FR.APL.02 as one form: K/BK per row (answer:<row key>), the evidence cited (evidence:<row key>), a
    portfolio file to add, and "save" or "sign and submit". The file is kept first; the answers then; every
    row still unanswered at submission is named beside it, with the choices made kept."""
    ctx = page_context(request, ASESI)
    check_same_origin(request)
    form = await request.form()
    application = await application_for(ctx, case_id)
    rows = {row.key: row for row in APL02.grid.rows(application["scheme"])}
    answers = {key: {"unit_code": row.unit_code, "element_no": row.element_no,
                     "answer": str(form.get(f"answer:{key}") or "") or None,
                     "evidence": [str(f) for f in form.getlist(f"evidence:{key}")][:50]}
               for key, row in rows.items() if form.get(f"answer:{key}") or form.getlist(f"evidence:{key}")}
    problems: dict[str, str] = {}
    if (file := chosen_file(form, "file")) is not None:
        try:
            await usecases.upload(ctx, "attach_evidence", case_id, file)
        except (DomainError, HTTPException) as error:
            problems["file"] = error_text(request, error)
    if answers and not problems:
        try:
            await usecases.update_self_assessment(ctx, case_id, list(answers.values()))
        except (DomainError, HTTPException) as error:
            problems[""] = error_text(request, error)
    if form.get("action") == "ajukan" and not problems:
        saved = {item_key(a["unit_code"], a["element_no"]): a
                 for a in (application.get("self_assessment") or {}).get("answers") or []}
        problems |= APL02.grid.problems(application["scheme"], {**saved, **answers}, page_lang(request))
        if not problems and await signed(request, ctx, case_id, "submit_self_assessment", problems):
            return redirect(f"/asesi/permohonan/{case_id}?pesan=submitted#apl02")
    if problems:
        return await asesi_page(request, ctx, case_id, 422, problems=problems, answers=answers)
    await eventually(lambda: answers_shown(ctx, case_id, answers))
    return redirect(f"/asesi/permohonan/{case_id}?pesan=saved#apl02")


async def answers_shown(ctx: Context, case_id: str, answers: dict[str, dict[str, Any]]) -> bool:
    doc = await queries.get_application(ctx.store, ctx.tenant, case_id) or {}
    shown = {item_key(a["unit_code"], a["element_no"]): a.get("answer")
             for a in (doc.get("self_assessment") or {}).get("answers") or []}
    return all(shown.get(key) == answer["answer"] for key, answer in answers.items())


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


@router.get("/admin/permohonan/{case_id}", response_class=HTMLResponse)
async def admin_application(request: Request, case_id: str) -> Response:
    ctx = page_context(request, ADMIN_LSP)
    return await case_page(request, ctx, case_id, "registration/admin_application.html")


async def admin_step(request: Request, case_id: str, run: Any) -> Response:
    return await case_step(request, case_id, ADMIN_LSP, f"/admin/permohonan/{case_id}", run)


@router.post("/admin/permohonan/{case_id}/verifikasi")
async def verdicts(request: Request, case_id: str) -> Response:
    """Every document's verdict in one form: those given or changed are saved, the rest left as they were
    (no verdict is ever preset); a refused one comes back beside its document, with what was chosen kept."""
    ctx = page_context(request, ADMIN_LSP)
    check_same_origin(request)
    form = await request.form()
    application = await application_for(ctx, case_id)
    typed = {key: str(value)[:2000] for key, value in form.items() if key.startswith(("verdict:", "notes:"))}
    problems: dict[str, str] = {}
    result = None
    for document in application.get("documents") or []:
        code = document["code"]
        verdict, notes = typed.get(f"verdict:{code}", ""), typed.get(f"notes:{code}", "").strip()
        if not verdict or (verdict, notes) == (document.get("verdict"), document.get("notes") or ""):
            continue
        try:
            body = VerdictIn(verdict=verdict, notes=notes)
            result = await usecases.step(ctx, "verify_document", case_id, requirement_code=code,
                                         verdict=body.verdict, notes=body.notes)
        except (DomainError, HTTPException, ValueError) as error:
            problems[f"verdict:{code}"] = error_text(request, error)
    if problems:
        return await case_page(request, ctx, case_id, "registration/admin_application.html", status_code=422,
                               typed=typed, problems=problems)
    await caught_up(ctx, case_id, result)
    return redirect(f"/admin/permohonan/{case_id}?pesan={'verdicts_saved' if result else 'nothing_changed'}")


@router.post("/admin/permohonan/{case_id}/rekomendasi")
async def recommend(request: Request, case_id: str, recommendation: Text = "",
                    notes: Annotated[str, Form()] = "") -> Response:
    return await admin_step(request, case_id, lambda ctx: usecases.step(
        ctx, "recommend_application", case_id,
        **RecommendationIn(recommendation=recommendation, notes=notes).model_dump()))


@router.post("/admin/permohonan/{case_id}/kelayakan")
async def feasibility(request: Request, case_id: str, feasible: Text = "",
                      notes: Annotated[str, Form()] = "") -> Response:
    async def run(ctx: Context) -> Any:
        if feasible not in ("ya", "tidak"):  # nothing is preset: the admin chooses
            raise Invalid("choose whether the application is feasible", field="feasible")
        return await usecases.step(ctx, "review_feasibility", case_id,
                                   **FeasibilityIn(feasible=feasible == "ya", notes=notes).model_dump())
    return await admin_step(request, case_id, run)


@router.post("/admin/permohonan/{case_id}/verifikasi-pembayaran")
async def verify_payment(request: Request, case_id: str) -> Response:
    return await admin_step(request, case_id, lambda ctx: usecases.step(ctx, "verify_payment", case_id))


@router.post("/admin/permohonan/{case_id}/tolak-pembayaran")
async def reject_payment(request: Request, case_id: str, reason: Text) -> Response:
    return await admin_step(request, case_id, lambda ctx: usecases.step(
        ctx, "reject_payment", case_id, **RejectPaymentIn(reason=reason).model_dump()))
