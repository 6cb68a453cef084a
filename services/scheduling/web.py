"""Scheduling's pages: the admin LSP's queue of feasible cases waiting for an asesor (SOP 1.5)."""
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.scheduling import queries, usecases
from services.scheduling.forms import JADWAL, TUK
from shared.display import wib_today
from shared.errors import NotFound
from shared.web import (
    ADMIN_LSP,
    MANAJER_SERTIFIKASI,
    Context,
    attempt,
    check_same_origin,
    eventually,
    form_step,
    page_context,
    page_lang,
    redirect,
    render,
    typed_values,
)

router = APIRouter(include_in_schema=False)
OFFICE = (ADMIN_LSP, MANAJER_SERTIFIKASI)
PAGE = "/penjadwalan"


@router.get(PAGE, response_class=HTMLResponse)
async def queue(request: Request) -> Response:
    ctx = page_context(request, *OFFICE)
    limit = ctx.settings.assessor_max_active_cases
    waiting = await queries.list_cases(ctx.store, ctx.tenant, "awaiting_assessor")
    assessors = await queries.list_assessors(ctx.store, ctx.tenant)
    return render(request, "scheduling/queue.html", waiting=[
        {**case, "assessors": candidates(case, assessors, limit)} for case in waiting],
        assigned=await queries.list_cases(ctx.store, ctx.tenant, "assigned"),
        notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


def candidates(case: dict[str, Any], assessors: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The registry's asesor competent in the case's scheme; those who cannot take it now say why
    (the domain refuses them anyway: this only spares the admin a refused click)."""
    today = wib_today().isoformat()
    found = []
    for assessor in assessors:
        if case["scheme"]["number"] not in assessor["scheme_numbers"]:
            continue
        why = ("met_expired" if str(assessor["valid_until"]) < today else
               "assessor_full" if assessor["load"] >= limit else "")
        found.append({**assessor, "why_not": why})
    return sorted(found, key=lambda a: (bool(a["why_not"]), a["load"], a["name"]))


@router.post(PAGE + "/{case_id}/tugaskan")
async def assign(request: Request, case_id: str, assessor_id: Annotated[str, Form(max_length=64)]) -> Response:
    async def shown(ctx: Context) -> bool:  # the queue the admin lands on no longer lists the case as waiting
        case = await queries.get_case(ctx.store, ctx.tenant, case_id)
        return bool(case and case["status"] != "awaiting_assessor")
    return await form_step(request, OFFICE, PAGE, lambda ctx: usecases.assign_assessor(ctx, case_id, assessor_id),
                           "assigned", settled=shown)


# ---- the TUK registry (SOP 1.4) ----------------------------------------------------------------------------

TUK_PAGE = PAGE + "/tuk"


@router.get(TUK_PAGE, response_class=HTMLResponse)
async def tuk_registry(request: Request) -> Response:
    ctx = page_context(request, *OFFICE)
    return await tuk_page(request, ctx, None, {}, {})


async def tuk_page(request: Request, ctx: Context, tuk: dict[str, Any] | None, typed: dict[str, Any],
                   problems: dict[str, str], status_code: int = 200) -> Response:
    """The registry with a form: a new TUK, or the one being edited (`tuk`). A refused form comes back with
    what was typed and every problem beside its field."""
    values = typed if typed or tuk is None else {name: tuk.get(name) for name in TUK.names}
    return render(request, "scheduling/tuk.html", status_code=status_code, tuk=tuk,
                  tuks=await queries.list_tuks(ctx.store, ctx.tenant),
                  form=TUK.page(values, problems, page_lang(request)), problems=problems,
                  may_edit=ctx.user.role == ADMIN_LSP, notice=request.query_params.get("pesan"),
                  error=request.query_params.get("galat"))


@router.get(TUK_PAGE + "/{tuk_id}", response_class=HTMLResponse)
async def tuk_entry(request: Request, tuk_id: str) -> Response:
    ctx = page_context(request, *OFFICE)
    tuk = await queries.get_tuk(ctx.store, ctx.tenant, tuk_id)
    if tuk is None:
        raise NotFound("{what} not found", what="TUK")
    return await tuk_page(request, ctx, tuk, {}, {})


@router.post(TUK_PAGE)
@router.post(TUK_PAGE + "/{tuk_id}")
async def save_tuk(request: Request, tuk_id: str = "") -> Response:
    ctx = page_context(request, ADMIN_LSP)
    check_same_origin(request)
    form = await request.form()
    typed = typed_values(TUK, form)
    tuk = await queries.get_tuk(ctx.store, ctx.tenant, tuk_id) if tuk_id else None
    if tuk_id and tuk is None:
        raise NotFound("{what} not found", what="TUK")
    problems = TUK.problems(typed, page_lang(request))
    version = str(form.get("expected_version") or "")
    if not problems:
        result = await attempt(request, problems, lambda: usecases.revise_tuk(
            ctx, tuk_id, typed, int(version) if version.isdecimal() else None) if tuk else usecases.register_tuk(
            ctx, typed))
    if problems:
        return await tuk_page(request, ctx, tuk, typed, problems, status_code=422)
    await eventually(lambda: tuk_shown(ctx, result["id"], result["version"]))
    return redirect(f"{TUK_PAGE}?pesan=saved")


async def tuk_shown(ctx: Context, tuk_id: str, version: int) -> bool:
    found = await queries.get_tuk(ctx.store, ctx.tenant, tuk_id)
    return bool(found and found.get("version", 0) >= version)


@router.post(TUK_PAGE + "/{tuk_id}/{action}")
async def tuk_in_use(request: Request, tuk_id: str, action: Literal["aktifkan", "nonaktifkan"]) -> Response:
    async def run(ctx: Context) -> Any:
        result = await usecases.set_tuk_active(ctx, tuk_id, action == "aktifkan")
        await eventually(lambda: tuk_shown(ctx, tuk_id, result["version"]))
    return await form_step(request, (ADMIN_LSP,), TUK_PAGE, run, "saved")


# ---- schedules (SOP 1.6.1-1.6.4) ----------------------------------------------------------------------------

SCHEDULES = PAGE + "/jadwal"


@router.get(SCHEDULES, response_class=HTMLResponse)
async def schedules(request: Request) -> Response:
    return await schedules_page(request, page_context(request, *OFFICE), {}, {})


async def schedules_page(request: Request, ctx: Context, typed: dict[str, Any], problems: dict[str, str],
                         status_code: int = 200) -> Response:
    """The branch's schedules and a form for a new one, its TUK chosen from those in use."""
    form = JADWAL.page(typed, problems, page_lang(request))
    tuks = await queries.list_tuks(ctx.store, ctx.tenant, "aktif")
    for field in form["sections"][0]["fields"]:
        if field["name"] == "tuk_id":  # the registry's TUK, not an id to type
            field.update(kind="choice", choices=[{"value": k["id"], "label": f"{k['nama']} ({k['kapasitas']})"}
                                                 for k in tuks])
    return render(request, "scheduling/schedules.html", status_code=status_code, form=form, problems=problems,
                  schedules=await queries.list_schedules(ctx.store, ctx.tenant), has_tuk=bool(tuks),
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


@router.post(SCHEDULES)
async def create_schedule(request: Request) -> Response:
    ctx = page_context(request, *OFFICE)
    check_same_origin(request)
    form = await request.form()
    typed = typed_values(JADWAL, form)
    problems = JADWAL.problems(typed, page_lang(request))
    if not problems:
        result = await attempt(request, problems, lambda: usecases.create_schedule(ctx, typed))
    if problems:
        return await schedules_page(request, ctx, typed, problems, status_code=422)
    await eventually(lambda: queries.get_schedule(ctx.store, ctx.tenant, result["id"]))
    return redirect(f"{SCHEDULES}/{result['id']}?pesan=saved")


@router.get(SCHEDULES + "/{schedule_id}", response_class=HTMLResponse)
async def schedule_page(request: Request, schedule_id: str) -> Response:
    """A schedule's seats, and the cases of its scheme still waiting for a place."""
    ctx = page_context(request, *OFFICE)
    schedule = await queries.get_schedule(ctx.store, ctx.tenant, schedule_id)
    if schedule is None:
        raise NotFound("{what} not found", what="schedule")
    waiting = [case for case in await queries.list_cases(ctx.store, ctx.tenant)
               if case["scheme"]["number"] == schedule["skema"] and not case.get("schedule_id")
               and case["status"] != "completed"]
    return render(request, "scheduling/schedule.html", schedule=schedule, waiting=waiting,
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


@router.post(SCHEDULES + "/{schedule_id}/tempatkan")
async def place(request: Request, schedule_id: str, case_id: Annotated[str, Form(max_length=64)]) -> Response:
    async def shown(ctx: Context) -> bool:
        found = await queries.get_schedule(ctx.store, ctx.tenant, schedule_id)
        return bool(found and any(seat["case_id"] == case_id for seat in found.get("seats", [])))
    return await form_step(request, OFFICE, f"{SCHEDULES}/{schedule_id}",
                           lambda ctx: usecases.place_case(ctx, schedule_id, case_id), "placed", settled=shown)


# ---- the assessor registry (SOP 1.5) ----------------------------------------------------------------------

ASSESSORS = PAGE + "/asesor"
WARN_DAYS = (30, 60, 90)  # a MET registration's expiry is flagged at these many days ahead


def met_standing(valid_until: str, today: Any) -> dict[str, Any]:
    """kedaluwarsa once past; else aktif, with the nearest warning threshold (30/60/90 days) it is within."""
    days = (date.fromisoformat(str(valid_until)) - today).days
    if days < 0:
        return {"status": "kedaluwarsa", "days": days, "warning": None}
    return {"status": "aktif", "days": days, "warning": next((limit for limit in WARN_DAYS if days <= limit), None)}


@router.get(ASSESSORS, response_class=HTMLResponse)
async def assessors(request: Request) -> Response:
    """The branch's asesor kompetensi: MET number and its expiry (warned 90, 60 and 30 days ahead), the
    schemes they assess and the cases they hold; those needing attention first."""
    ctx = page_context(request, *OFFICE)
    today = wib_today()
    found = [{**assessor, **met_standing(assessor["valid_until"], today)}
             for assessor in await queries.list_assessors(ctx.store, ctx.tenant)]
    return render(request, "scheduling/assessors.html", limit=ctx.settings.assessor_max_active_cases,
                  assessors=sorted(found, key=lambda a: (a["status"] == "aktif", a["warning"] is None, a["days"])))


# ---- the batch placement proposal (SOP 1.6.1-1.6.4) ----------------------------------------------------------
# Shown first, applied only on "Terapkan usulan"; applying runs in the background (usecases.apply_proposal) and
# its page reloads itself every two seconds with "n dari m diterapkan" until done.

from shared.errors import Conflict, Invalid  # noqa: E402

PROPOSAL = PAGE + "/usulan"


@router.get(PROPOSAL, response_class=HTMLResponse)
async def proposal(request: Request) -> Response:
    ctx = page_context(request, *OFFICE)
    scheme = scheme_asked(request.query_params.get("skema"))
    return await proposal_page(request, ctx, scheme)


def scheme_asked(value: Any) -> str:
    """A scheme number as the form sends it ("" for all schemes)."""
    value = str(value or "")
    if len(value) > 64 or not all(c.isalnum() or c in "./_-" for c in value):
        raise Invalid("must be a scheme number such as SKM/K3/AHLI-K3-UMUM/2025", field="skema")
    return value


async def proposal_page(request: Request, ctx: Context, scheme: str, stale: bool = False,
                        status_code: int = 200) -> Response:
    found = await usecases.proposal(ctx, scheme)
    return render(request, "scheduling/plan.html", status_code=status_code, plan=found, stale=stale,
                  may_apply=ctx.user.role == ADMIN_LSP, error=request.query_params.get("galat"))


@router.post(PROPOSAL)
async def apply_proposal(request: Request) -> Response:
    ctx = page_context(request, ADMIN_LSP)
    check_same_origin(request)
    form = await request.form()
    scheme = scheme_asked(form.get("skema"))
    try:
        batch = await usecases.apply_proposal(ctx, scheme, str(form.get("plan_hash") or "")[:64])
    except Conflict:  # the plan changed since it was shown: show the new one rather than apply it blindly
        return await proposal_page(request, ctx, scheme, stale=True, status_code=409)
    return redirect(f"{PROPOSAL}/terapkan/{batch['id']}")


@router.get(PROPOSAL + "/terapkan/{batch_id}", response_class=HTMLResponse)
async def proposal_batch(request: Request, batch_id: str) -> Response:
    ctx = page_context(request, *OFFICE)
    batch = usecases.get_batch(ctx, batch_id)
    lang = page_lang(request)
    refused = [{**row, "why": row["error"]["text"][lang]} for row in batch["refused"]]
    return render(request, "scheduling/plan_batch.html", batch=batch, refused=refused)
