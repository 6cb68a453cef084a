"""Scheduling's pages: the admin LSP's queue of feasible cases waiting for an asesor (SOP 1.5)."""
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.scheduling import queries, usecases
from services.scheduling.forms import CEK_SISTEM, JADWAL, TUK, VERIFIKASI_TUK
from shared.display import wib_today
from shared.errors import NotFound
from shared.web import (
    ADMIN_LSP,
    ASESOR,
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
    return await schedule_view(request, ctx, schedule)  # with its session preparation (section below)


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


# ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------------

RUNDOWN_ROWS = 3  # empty rundown rows offered below the saved ones


async def schedule_view(request: Request, ctx: Context, schedule: dict[str, Any], status_code: int = 200,
                        systems: tuple[dict[str, Any], dict[str, str]] | None = None,
                        rooms: tuple[dict[str, Any], dict[str, str]] | None = None) -> Response:
    """A schedule's seats, the cases of its scheme still waiting for a place and, for a remote one, its
    preparation: `systems` / `rooms` are (typed, problems) of a refused form, shown again as typed."""
    waiting = [case for case in await queries.list_cases(ctx.store, ctx.tenant)
               if case["scheme"]["number"] == schedule["skema"] and not case.get("schedule_id")
               and case["status"] != "completed"]
    return render(request, "scheduling/schedule.html", status_code=status_code, schedule=schedule, waiting=waiting,
                  **await preparation(request, ctx, schedule, systems, rooms),
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


async def preparation(request: Request, ctx: Context, schedule: dict[str, Any],
                      systems: tuple[dict[str, Any], dict[str, str]] | None,
                      rooms: tuple[dict[str, Any], dict[str, str]] | None) -> dict[str, Any]:
    if schedule.get("jarak_jauh") != "ya":
        return {"prep": None}
    lang = page_lang(request)
    plan = await usecases.session_plan(ctx, schedule["id"])
    saved = {k: v for k, v in (plan["systems_check"] or {}).items() if k in CEK_SISTEM.names}
    typed, problems = systems or (saved, {})
    room_typed, room_problems = rooms or ({}, {})
    rundown = room_typed.get("rundown") if rooms else plan["rundown"]
    assessors = await queries.list_assessors(ctx.store, ctx.tenant)
    candidates = [{"id": a["user_id"], "name": a["name"]} for a in assessors]
    if ctx.user.role == ADMIN_LSP and ctx.user.id not in {c["id"] for c in candidates}:
        candidates.append({"id": ctx.user.id, "name": ctx.user.name})
    return {"prep": plan, "systems_form": CEK_SISTEM.page(typed, problems, lang), "systems_problems": problems,
            "room_values": room_typed.get("rooms") or {p["case_id"]: p["room"] for p in plan["participants"]},
            "room_problems": room_problems,
            "rundown_rows": [*(rundown or []), *({"waktu": "", "kegiatan": ""} for _ in range(RUNDOWN_ROWS))],
            "verifier_candidates": candidates,
            "may_prepare": ctx.user.role == ADMIN_LSP}


async def schedule_or_404(ctx: Context, schedule_id: str) -> dict[str, Any]:
    schedule = await queries.get_schedule(ctx.store, ctx.tenant, schedule_id)
    if schedule is None:
        raise NotFound("{what} not found", what="schedule")
    return schedule


async def plan_settled(ctx: Context, schedule_id: str, version: int) -> bool:
    plan = await queries.get_session_plan(ctx.store, ctx.tenant, schedule_id)
    return bool(plan and plan.get("version", 0) >= version)


@router.post(SCHEDULES + "/{schedule_id}/cek-sistem")
async def check_systems(request: Request, schedule_id: str) -> Response:
    ctx = page_context(request, ADMIN_LSP)
    check_same_origin(request)
    schedule = await schedule_or_404(ctx, schedule_id)
    typed = typed_values(CEK_SISTEM, await request.form())
    problems = CEK_SISTEM.problems(typed, page_lang(request))
    if not problems:
        result = await attempt(request, problems, lambda: usecases.check_systems(ctx, schedule_id, typed))
    if problems:
        return await schedule_view(request, ctx, schedule, 422, systems=(typed, problems))
    await eventually(lambda: plan_settled(ctx, schedule_id, result["version"]))
    return redirect(f"{SCHEDULES}/{schedule_id}?pesan=systems_saved#persiapan")


def posted_plan(form: Any) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The rooms (fields "room:<case id>") and the rundown rows ("waktu:<n>", "kegiatan:<n>") as posted."""
    rooms = {key.split(":", 1)[1]: str(value).strip()[:61] for key, value in form.items() if key.startswith("room:")}
    rows = sorted({int(key.split(":", 1)[1]) for key in form if key.startswith(("waktu:", "kegiatan:"))
                   and key.split(":", 1)[1].isdecimal()})[:40]
    rundown = [{"waktu": str(form.get(f"waktu:{n}") or "").strip()[:20],
                "kegiatan": str(form.get(f"kegiatan:{n}") or "").strip()[:201]} for n in rows]
    return rooms, [line for line in rundown if line["waktu"] or line["kegiatan"]]


@router.post(SCHEDULES + "/{schedule_id}/ruang")
async def plan_rooms(request: Request, schedule_id: str) -> Response:
    ctx = page_context(request, ADMIN_LSP)
    check_same_origin(request)
    schedule = await schedule_or_404(ctx, schedule_id)
    rooms, rundown = posted_plan(await request.form())
    problems: dict[str, str] = {}
    result = await attempt(request, problems, lambda: usecases.plan_rooms(ctx, schedule_id, rooms, rundown))
    if problems:
        return await schedule_view(request, ctx, schedule, 422, rooms=({"rooms": rooms, "rundown": rundown}, problems))
    await eventually(lambda: plan_settled(ctx, schedule_id, result["version"]))
    return redirect(f"{SCHEDULES}/{schedule_id}?pesan=rooms_saved#persiapan")


@router.post(SCHEDULES + "/{schedule_id}/verifikator")
async def appoint_verifier(request: Request, schedule_id: str,
                           user_id: Annotated[str, Form(max_length=64)] = "") -> Response:
    async def run(ctx: Context) -> None:
        result = await usecases.appoint_verifier(ctx, schedule_id, user_id)
        await eventually(lambda: plan_settled(ctx, schedule_id, result["version"]))
    return await form_step(request, (ADMIN_LSP,), f"{SCHEDULES}/{schedule_id}", run, "verifier_saved")


# the verifier's pages: the schedules they verify, and one participant's checklist (SOP 2.4.1)

VERIFY = "/verifikasi-tuk"
VERIFIERS = (ASESOR, ADMIN_LSP)


@router.get(VERIFY, response_class=HTMLResponse)
async def verifications(request: Request) -> Response:
    ctx = page_context(request, *VERIFIERS)
    found = []
    for schedule in await queries.schedules_verified_by(ctx.store, ctx.tenant, ctx.user.id):
        found.append({**schedule, "plan": await usecases.session_plan(ctx, schedule["id"])})
    return render(request, "scheduling/verifications.html", schedules=found,
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


async def checklist_page(request: Request, ctx: Context, schedule_id: str, case_id: str,
                         typed: dict[str, Any] | None = None, problems: dict[str, str] | None = None,
                         status_code: int = 200) -> Response:
    schedule = await schedule_or_404(ctx, schedule_id)
    plan = await usecases.session_plan(ctx, schedule_id)
    participant = next((p for p in plan["participants"] if p["case_id"] == case_id), None)
    if participant is None:
        raise NotFound("{what} not found", what="case")
    latest = (participant.get("verification") or {}).get("data") or {}
    problems = problems or {}
    return render(request, "scheduling/verify.html", status_code=status_code, schedule=schedule, plan=plan,
                  participant=participant, problems=problems,
                  form=VERIFIKASI_TUK.page(typed if typed is not None else latest, problems, page_lang(request)),
                  general=[text for name, text in problems.items() if name not in VERIFIKASI_TUK.names])


@router.get(VERIFY + "/{schedule_id}/{case_id}", response_class=HTMLResponse)
async def checklist(request: Request, schedule_id: str, case_id: str) -> Response:
    return await checklist_page(request, page_context(request, *VERIFIERS), schedule_id, case_id)


@router.post(VERIFY + "/{schedule_id}/{case_id}")
async def sign_checklist(request: Request, schedule_id: str, case_id: str) -> Response:
    ctx = page_context(request, *VERIFIERS)
    check_same_origin(request)
    typed = typed_values(VERIFIKASI_TUK, await request.form())
    problems = VERIFIKASI_TUK.problems(typed, page_lang(request))
    if not problems:
        result = await attempt(request, problems, lambda: usecases.verify_tuk(ctx, schedule_id, case_id, typed))
    if problems:
        return await checklist_page(request, ctx, schedule_id, case_id, typed, problems, 422)

    async def shown() -> bool:
        found = await queries.get_tuk_verification(ctx.store, ctx.tenant, case_id)
        return bool(found and found.get("version", 0) >= result["version"])
    await eventually(shown)
    return redirect(f"{VERIFY}?pesan=verification_saved")
