"""Scheduling's pages: the admin LSP's queue of feasible cases waiting for an asesor (SOP 1.5)."""
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from services.scheduling import planning, queries, usecases
from services.scheduling.domain import overlaps
from services.scheduling.forms import (
    CEK_SISTEM,
    JADWAL,
    KETIDAKBERPIHAKAN,
    LETTER_FORMS,
    PENOMORAN,
    TUK,
    VERIFIKASI_TUK,
)
from shared.display import tanggal, wib_today
from shared.errors import Conflict, DomainError, Invalid, NotFound
from shared.forms import say
from shared.web import (
    ADMIN_LSP,
    ASESOR,
    KETUA_LSP,
    MANAJER_SERTIFIKASI,
    Context,
    attempt,
    branch_users,
    check_same_origin,
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
OFFICE = (ADMIN_LSP, MANAJER_SERTIFIKASI)
PAGE = "/penjadwalan"


@router.get(PAGE, response_class=HTMLResponse)
async def queue(request: Request) -> Response:
    """The office's work list: cases to place in a session, to give an assessor, waiting for the assessor's
    confirmation, and assigned."""
    ctx = page_context(request, *OFFICE)
    cases = await queries.list_cases(ctx.store, ctx.tenant)
    schedules = await queries.list_schedules(ctx.store, ctx.tenant, "terjadwal")
    by_id = {s["id"]: s for s in schedules}
    assessors = await queries.list_assessors(ctx.store, ctx.tenant)
    limit = await queries.asesi_per_assessor(ctx.store, ctx.tenant, ctx.settings.assessor_max_active_cases)
    open_cases = [c for c in cases if c["status"] != "completed"]
    unplaced = [{**c, "schedules": [s for s in schedules if s["skema"] == c["scheme"]["number"]
                                    and s["placed"] < s["kuota_maks"]]}
                for c in open_cases if not c.get("schedule_id")]
    waiting = [{**c, "schedule": by_id.get(c["schedule_id"]),
                "assessors": candidates(c, by_id.get(c["schedule_id"]), assessors, schedules, limit)}
               for c in open_cases if c.get("schedule_id") and c["status"] == "awaiting_assessor"]
    return render(request, "scheduling/queue.html", unplaced=unplaced, waiting=waiting, limit=limit,
                  appointed=[{**c, "schedule": by_id.get(c.get("schedule_id"))} for c in cases
                             if c["status"] == "appointed"],
                  assigned=[c for c in cases if c["status"] == "assigned"],
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


def sessions_held(schedules: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """assessor id -> the sessions they assess in (from each schedule's peta penugasan)."""
    held: dict[str, list[dict[str, Any]]] = {}
    for schedule in schedules:
        for assessor_id in schedule.get("assessors") or {}:
            held.setdefault(assessor_id, []).append(schedule)
    return held


CONFLICTS = ("assesses_themself", "same_institution", "trained_the_asesi")  # planning's keys, one word on a page


def why_not(case: dict[str, Any], schedule: dict[str, Any], assessor: dict[str, Any], held: list[dict[str, Any]],
            limit: int) -> str:
    """Why this assessor cannot take this case in its session ("" if they can): the planner's reading of the
    domain's rules, so that the admin is not offered a choice the domain would refuse."""
    refusal = planning.fixed_refusal(
        planning.WaitingCase(case["id"], case["scheme"]["number"], case["asesi"]["id"], case.get("institution", "")),
        planning.OpenSchedule(schedule["id"], schedule["skema"], str(schedule["tanggal"]), schedule["mulai"],
                              schedule["selesai"], schedule["kuota_maks"]),
        planning.RegistryAssessor(assessor["user_id"], assessor["name"], assessor["scheme_numbers"],
                                  str(assessor["valid_until"]), assessor.get("status", planning.AKTIF),
                                  assessor.get("institutions", []),
                                  [*assessor.get("trainees", []), *(assessor.get("conflicts") or {})],
                                  unavailable=[str(d) for d in assessor.get("unavailable") or []]))
    if refusal:
        return "conflict_of_interest" if refusal in CONFLICTS else refusal
    if len((schedule.get("assessors") or {}).get(assessor["user_id"], [])) >= limit:
        return "assessor_full"
    if any(other["id"] != schedule["id"] and overlaps(other, schedule) for other in held):
        return "assessor_busy"
    return ""


def candidates(case: dict[str, Any], schedule: dict[str, Any] | None, assessors: list[dict[str, Any]],
               schedules: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The registry's asesor competent in the case's scheme, least loaded first; those who cannot take it in its
    session say why (the domain refuses them anyway: this only spares the admin a refused click)."""
    if schedule is None:
        return []
    held = sessions_held(schedules)
    found = [{**assessor, "why_not": why_not(case, schedule, assessor, held.get(assessor["user_id"], []), limit),
              "in_session": len((schedule.get("assessors") or {}).get(assessor["user_id"], []))}
             for assessor in assessors if case["scheme"]["number"] in assessor["scheme_numbers"]]
    return sorted(found, key=lambda a: (bool(a["why_not"]), a["in_session"], a["load"], a["name"]))


@router.post(PAGE + "/{case_id}/tugaskan")
async def assign(request: Request, case_id: str, assessor_id: Annotated[str, Form(max_length=64)]) -> Response:
    async def shown(ctx: Context) -> bool:  # the queue the admin lands on no longer lists the case as waiting
        case = await queries.get_case(ctx.store, ctx.tenant, case_id)
        return bool(case and case["status"] != "awaiting_assessor")
    return await form_step(request, OFFICE, back_to(request), lambda ctx: usecases.assign_assessor(
        ctx, case_id, assessor_id), "appointed", settled=shown)


def back_to(request: Request) -> str:
    """The office page a step was taken from (the queue, or a schedule's page), never another site's."""
    page = str(request.query_params.get("kembali") or "")
    return page if page.startswith(SCHEDULES + "/") and page[len(SCHEDULES) + 1:].replace("-", "").isalnum() \
        else PAGE


@router.post(PAGE + "/{case_id}/tempatkan")
async def place_from_queue(request: Request, case_id: str, schedule_id: Annotated[str, Form(max_length=64)]
                           ) -> Response:
    async def shown(ctx: Context) -> bool:
        case = await queries.get_case(ctx.store, ctx.tenant, case_id)
        return bool(case and case.get("schedule_id"))
    return await form_step(request, OFFICE, PAGE, lambda ctx: usecases.place_case(ctx, schedule_id, case_id),
                           "placed", settled=shown)


@router.post(PAGE + "/{case_id}/delegasikan")
async def delegate(request: Request, case_id: str, assessor_id: Annotated[str, Form(max_length=64)],
                   reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    async def shown(ctx: Context) -> bool:
        case = await queries.get_case(ctx.store, ctx.tenant, case_id)
        return bool(case and (case.get("assessor") or {}).get("id") == assessor_id)
    return await form_step(request, OFFICE, back_to(request), lambda ctx: usecases.delegate_assignment(
        ctx, case_id, assessor_id, reason), "delegated", settled=shown)


@router.post(PAGE + "/{case_id}/jadwal-ulang")
async def reschedule(request: Request, case_id: str, schedule_id: Annotated[str, Form(max_length=64)],
                     reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    async def shown(ctx: Context) -> bool:
        case = await queries.get_case(ctx.store, ctx.tenant, case_id)
        return bool(case and case.get("schedule_id") == schedule_id)
    return await form_step(request, OFFICE, back_to(request), lambda ctx: usecases.reschedule_case(
        ctx, case_id, schedule_id, reason), "rescheduled", settled=shown)


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


@router.post(SCHEDULES + "/{schedule_id}/status")
async def schedule_status(request: Request, schedule_id: str, status: Annotated[Literal["dibatalkan", "selesai"],
                                                                                Form()],
                          reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    async def shown(ctx: Context) -> bool:
        found = await queries.get_schedule(ctx.store, ctx.tenant, schedule_id)
        return bool(found and found["status"] == status)
    return await form_step(request, OFFICE, f"{SCHEDULES}/{schedule_id}", lambda ctx: usecases.set_schedule_status(
        ctx, schedule_id, status, reason), "schedule_status_saved", settled=shown)


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
        return {"met_status": "kedaluwarsa", "days": days, "warning": None}
    return {"met_status": "aktif", "days": days,
            "warning": next((limit for limit in WARN_DAYS if days <= limit), None)}


@router.get(ASSESSORS, response_class=HTMLResponse)
async def assessors(request: Request) -> Response:
    """The branch's asesor kompetensi: MET number and its expiry (warned 90, 60 and 30 days ahead), the
    schemes they assess and the cases they hold; those needing attention first. The admin LSP registers an
    asesor of the branch here, and revises an entry (a renewed MET after RCC, schemes, evidence, institutions)."""
    ctx = page_context(request, *OFFICE)
    return await assessors_page(request, ctx, str(request.query_params.get("ubah") or ""), {}, {})


async def assessors_page(request: Request, ctx: Context, editing: str, typed: dict[str, str],
                         problems: dict[str, str], status_code: int = 200) -> Response:
    today = wib_today()
    found = [{**assessor, **met_standing(assessor["valid_until"], today)}
             for assessor in await queries.list_assessors(ctx.store, ctx.tenant)]
    entry = next((a for a in found if a["user_id"] == editing), None)
    limit = await queries.asesi_per_assessor(ctx.store, ctx.tenant, ctx.settings.assessor_max_active_cases)
    registered = {a["user_id"] for a in found}
    return render(request, "scheduling/assessors.html", status_code=status_code, limit=limit,
                  may_edit=ctx.user.role == ADMIN_LSP, entry=entry, problems=problems,
                  values=typed or (entry_values(entry) if entry else {}),
                  people=[p for p in await branch_users(request, ctx.tenant, ASESOR) if p["id"] not in registered],
                  known_schemes=sorted({n for a in found for n in a["scheme_numbers"]}),
                  assessors=sorted(found, key=lambda a: (a.get("status", "aktif") == "aktif",
                                                         a["met_status"] == "aktif", a["warning"] is None, a["days"])),
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


def entry_values(entry: dict[str, Any]) -> dict[str, str]:
    """A registry entry as its form shows it: lists one per line, evidence as "SKEMA: bukti"."""
    return {"met_number": entry["met_number"], "valid_until": str(entry["valid_until"]),
            "scheme_numbers": "\n".join(entry["scheme_numbers"]),
            "institutions": "\n".join(entry.get("institutions", [])),
            "evidence": "\n".join(f"{k}: {v}" for k, v in (entry.get("evidence") or {}).items()),
            "unavailable": "\n".join(str(day) for day in entry.get("unavailable") or [])}


def entry_of(form: Any) -> dict[str, Any]:
    """What the registry form posted, as the commands take it (bounded: a list of at most 50 lines)."""
    def lines(name: str) -> list[str]:
        return [line.strip() for line in str(form.get(name) or "")[:5000].splitlines() if line.strip()][:50]
    evidence = dict(line.split(":", 1) for line in lines("evidence") if ":" in line)
    return {"met_number": str(form.get("met_number") or "")[:40],
            "valid_until": str(form.get("valid_until") or "")[:10],
            "scheme_numbers": lines("scheme_numbers"), "institutions": lines("institutions"),
            "unavailable": lines("unavailable"),
            "evidence": {k.strip(): v.strip() for k, v in evidence.items()}}


@router.post(ASSESSORS)
@router.post(ASSESSORS + "/{user_id}/ubah")
async def save_assessor(request: Request, user_id: str = "") -> Response:
    """Register an asesor of the branch (user_id chosen on the form) or revise their entry; a refusal comes back
    with what was typed and the problem beside its field."""
    ctx = page_context(request, ADMIN_LSP)
    check_same_origin(request)
    form = await request.form()
    typed = {name: str(form.get(name) or "")[:5000] for name in (
        "user_id", "met_number", "valid_until", "scheme_numbers", "institutions", "evidence", "unavailable")}
    entry, problems = entry_of(form), {}
    if user_id:
        await attempt(request, problems, lambda: usecases.revise_assessor(ctx, user_id, entry))
    else:
        await attempt(request, problems, lambda: usecases.register_assessor(
            ctx, {**entry, "user_id": typed["user_id"][:64]}))
    for name in [name for name in problems if name not in typed]:  # not a field of this form: the page's own
        problems[""] = problems.pop(name)
    if problems:
        return await assessors_page(request, ctx, user_id, typed, problems, status_code=422)

    async def shown() -> bool:
        target = user_id or typed["user_id"]
        found = [a for a in await queries.list_assessors(ctx.store, ctx.tenant) if a["user_id"] == target]
        return bool(found and found[0]["met_number"] == entry["met_number"].strip()
                    and found[0]["valid_until"] == entry["valid_until"])
    await eventually(shown)
    return redirect(f"{ASSESSORS}?pesan=saved")


@router.post(ASSESSORS + "/batas")
async def set_limit(request: Request, limit: Annotated[str, Form(max_length=4)]) -> Response:
    """The branch's own limit of asesi per assessor in one session."""
    return await form_step(request, (ADMIN_LSP,), ASSESSORS, lambda ctx: usecases.set_asesi_per_assessor(
        ctx, int(limit) if limit.isdecimal() else -1), "saved")


@router.post(ASSESSORS + "/{user_id}/{action}")
async def assessor_in_use(request: Request, user_id: str, action: Literal["aktifkan", "nonaktifkan"],
                          reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    async def shown(ctx: Context) -> bool:
        found = [a for a in await queries.list_assessors(ctx.store, ctx.tenant) if a["user_id"] == user_id]
        return bool(found and found[0].get("status") == ("aktif" if action == "aktifkan" else "nonaktif"))
    return await form_step(request, (ADMIN_LSP,), ASSESSORS, lambda ctx: usecases.set_assessor_active(
        ctx, user_id, action == "aktifkan", reason), "saved", settled=shown)


# ---- the asesor's assignments: confirm with the impartiality declaration, or decline (SOP 1.5) ----------------

MINE = "/asesor/penugasan"


@router.get(MINE, response_class=HTMLResponse)
async def my_assignments(request: Request) -> Response:
    """The asesor's own cases, the appointments to answer first."""
    ctx = page_context(request, ASESOR)
    found = await queries.list_assignments(ctx.store, ctx.tenant, ctx.user.id)
    return render(request, "scheduling/my_assignments.html",
                  assignments=sorted(found, key=lambda c: c["status"] != "appointed"),
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


@router.get(MINE + "/{case_id}", response_class=HTMLResponse)
async def my_assignment(request: Request, case_id: str) -> Response:
    return await assignment_page(request, page_context(request, ASESOR), case_id, {}, {})


async def assignment_page(request: Request, ctx: Context, case_id: str, typed: dict[str, Any],
                          problems: dict[str, str], status_code: int = 200) -> Response:
    """One of the asesor's cases: to confirm with the impartiality declaration, or to decline (a refused
    declaration comes back with what was typed and the problem beside its field). Not theirs: 404."""
    case = next((c for c in await queries.list_assignments(ctx.store, ctx.tenant, ctx.user.id)
                 if c["id"] == case_id), None)
    if case is None:
        raise NotFound("{what} not found", what="assignment")
    return render(request, "scheduling/my_assignment.html", status_code=status_code, case=case, problems=problems,
                  declaration=KETIDAKBERPIHAKAN.page(typed, problems, page_lang(request)),
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


@router.post(MINE + "/{case_id}/konfirmasi")
async def confirm(request: Request, case_id: str) -> Response:
    ctx = page_context(request, ASESOR)
    check_same_origin(request)
    typed = typed_values(KETIDAKBERPIHAKAN, await request.form())
    problems = KETIDAKBERPIHAKAN.problems(typed, page_lang(request))
    if not problems:
        result = await attempt(request, problems, lambda: usecases.confirm_assignment(ctx, case_id, typed))
    if problems:
        return await assignment_page(request, ctx, case_id, typed, problems, status_code=422)

    async def shown() -> bool:
        case = await queries.get_case(ctx.store, ctx.tenant, case_id)
        return bool(case and case.get("version", 0) >= result["version"])
    await eventually(shown)
    return redirect(f"{MINE}?pesan=confirmed")


@router.post(MINE + "/{case_id}/tolak")
async def decline(request: Request, case_id: str, reason: Annotated[str, Form(max_length=500)] = "",
                  conflict: Annotated[str, Form(max_length=32)] = "") -> Response:
    async def shown(ctx: Context) -> bool:
        case = await queries.get_case(ctx.store, ctx.tenant, case_id)
        return bool(case and (case.get("assessor") or {}).get("id") != ctx.user.id)
    return await form_step(request, (ASESOR,), f"{MINE}/{case_id}", lambda ctx: usecases.decline_assignment(
        ctx, case_id, reason, conflict), "declined", settled=shown)


# ---- the batch placement proposal (SOP 1.6.1-1.6.4) ----------------------------------------------------------
# Shown first, applied only on "Terapkan usulan"; applying runs in the background (usecases.apply_proposal) and
# its page reloads itself every two seconds with "n dari m diterapkan" until done.


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


# ---- official letters (SOP 1.4, 1.6.5-1.6.6) ----------------------------------------------------------------

LETTERS = PAGE + "/surat"
NUMBERING = LETTERS + "/penomoran"
MY_LETTERS = "/asesor/surat"
LETTER_READERS = (*OFFICE, KETUA_LSP)  # the office page: the admin issues, the ketua signs


def letter_view(letter: dict[str, Any], lang: str) -> dict[str, Any]:
    """A letter as its pages show it: what it is about in one line, and each of its sections' fields worded."""
    data, form = letter.get("data") or {}, LETTER_FORMS[letter["kind"]]
    when = tanggal(data.get("tanggal"))
    about = (data.get("nama_tuk") if letter["kind"] == "sk_tuk" else
             f"{data.get('nama', '')} · {data.get('skema', '')}, {when} ({data.get('tuk', '')})")
    sections = [{"title": say(section.title, lang), "rows": [
        {"label": say(field.label, lang),
         "value": field.choice_label(data.get(field.name), lang) if field.choices else
         tanggal(data[field.name]) if field.kind == "date" and data.get(field.name) else data.get(field.name)}
        for field in section.fields if data.get(field.name) not in (None, "")]} for section in form.sections]
    return {**letter, "about": about, "sections": sections, "sha256": form.sha256(data)}


@router.get(LETTERS, response_class=HTMLResponse)
async def letters(request: Request) -> Response:
    """The branch's letters; the admin LSP issues an SK for a TUK of the registry and SPTs for a schedule; the
    ketua LSP sees the letters waiting for their signature first."""
    ctx = page_context(request, *LETTER_READERS)
    lang = page_lang(request)
    serving = {s["id"]: set(s.get("assessors") or {}) for s in await queries.list_schedules(ctx.store, ctx.tenant)}
    found = [{**letter_view(letter, lang), "stale": stale_spt(letter, serving)}
             for letter in await usecases.list_letters(ctx)]
    issuing: dict[str, Any] = {}
    if ctx.user.role == ADMIN_LSP:
        names = {a["user_id"]: a["name"] for a in await queries.list_assessors(ctx.store, ctx.tenant)}
        schedules = []
        for schedule in await queries.list_schedules(ctx.store, ctx.tenant, "terjadwal"):
            # an SPT is for whom the session's peta penugasan names, and for its appointed TUK verifier
            serving = [{"user_id": a, "name": names.get(a, a), "cases": len(held)}
                       for a, held in (schedule.get("assessors") or {}).items()]
            plan = await queries.get_session_plan(ctx.store, ctx.tenant, schedule["id"]) or {}
            schedules.append({**schedule, "verifier": plan.get("verifier"),
                              "assessors": sorted(serving, key=lambda a: (-a["cases"], a["name"]))})
        issuing = {"tuks": await queries.list_tuks(ctx.store, ctx.tenant, "aktif"), "schedules": schedules}
    return render(request, "scheduling/letters.html", letters=found, issuing=issuing,
                  waiting=[letter for letter in found if letter["status"] == "draft"]
                  if ctx.user.role == KETUA_LSP else [],
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


def stale_spt(letter: dict[str, Any], serving: dict[str, set[str]]) -> bool:
    """An assessor's SPT that still stands though they no longer serve its session (declined, delegated,
    moved): the office revokes it."""
    schedule_id = (letter.get("subject") or {}).get("schedule_id")
    return (letter["kind"] == "spt_asesor" and letter["status"] != "revoked" and schedule_id in serving
            and (letter.get("addressee") or {}).get("id") not in serving[schedule_id])


@router.post(LETTERS)
async def issue_letter(request: Request, kind: Annotated[Literal["sk_tuk", "spt_asesor", "spt_verifikasi"], Form()],
                       tuk_id: Annotated[str, Form(max_length=64)] = "",
                       schedule_id: Annotated[str, Form(max_length=64)] = "",
                       user_id: Annotated[str, Form(max_length=64)] = "",
                       valid_until: Annotated[str, Form(max_length=10)] = "") -> Response:
    """Issue from the office page; the admin lands on the letter (the same one, if it was already issued)."""
    ctx = page_context(request, ADMIN_LSP)
    check_same_origin(request)
    try:
        issued = await usecases.issue_letter(ctx, kind, tuk_id, schedule_id, user_id, valid_until or None)
    except (DomainError, HTTPException) as error:
        return redirect(f"{LETTERS}?{urlencode({'galat': error_text(request, error)})}")
    await eventually(lambda: queries.get_letter(ctx.store, ctx.tenant, issued["id"]))
    return redirect(f"{LETTERS}/{issued['id']}?pesan={'letter_issued' if issued['created'] else 'letter_exists'}")


@router.get(NUMBERING, response_class=HTMLResponse)
async def numbering(request: Request) -> Response:
    ctx = page_context(request, ADMIN_LSP)
    return await numbering_page(request, ctx, {}, {}, {})


async def numbering_page(request: Request, ctx: Context, typed: dict[str, dict[str, str]],
                         problems: dict[str, dict[str, str]], previews: dict[str, str], status_code: int = 200
                         ) -> Response:
    """Each kind's number format as a form (what was typed kept when it is refused or previewed), with the
    number the kind's next letter would take."""
    lang = page_lang(request)
    kinds = []
    for record in await usecases.letter_numbering(ctx):
        kind = record["kind"]
        saved = {"pola": record["pola"], "kode": record["kode"], "lebar": str(record["lebar"]),
                 "reset_tahunan": "ya" if record["reset_tahunan"] else "tidak"}
        kinds.append({"kind": kind, "version": record["version"], "next_number": record["next_number"],
                      "preview": previews.get(kind), "problems": problems.get(kind, {}),
                      "form": PENOMORAN.page(typed.get(kind) or saved, problems.get(kind), lang)})
    return render(request, "scheduling/numbering.html", status_code=status_code, kinds=kinds,
                  notice=request.query_params.get("pesan"))


@router.post(NUMBERING + "/{kind}")
async def save_numbering(request: Request, kind: Literal["sk_tuk", "spt_asesor", "spt_verifikasi"]) -> Response:
    """Save a kind's format, or (aksi=pratinjau) only show the number it would give next."""
    ctx = page_context(request, ADMIN_LSP)
    check_same_origin(request)
    form = await request.form()
    typed = typed_values(PENOMORAN, form)
    problems = PENOMORAN.problems(typed, page_lang(request))
    preview = str(form.get("aksi") or "") == "pratinjau"
    version = str(form.get("expected_version") or "")
    expected = int(version) if version.isdecimal() and version != "0" else None  # 0: the defaults, never saved

    async def step() -> Any:
        if preview:
            return await usecases.preview_letter_number(ctx, kind, typed)
        return await usecases.set_letter_numbering(ctx, kind, typed, expected)
    result = await attempt(request, problems, step) if not problems else None
    if problems or preview:
        return await numbering_page(request, ctx, {kind: typed}, {kind: problems},
                                    {kind: result["next_number"]} if result else {},
                                    status_code=422 if problems else 200)
    return redirect(f"{NUMBERING}?pesan=saved")


@router.get(LETTERS + "/{letter_id}", response_class=HTMLResponse)
async def letter_page(request: Request, letter_id: str) -> Response:
    """A letter: what it says, where it stands, its PDF; for the ketua LSP a draft's signing step, showing
    exactly what is signed; for its addressee, once signed, the receipt."""
    ctx = page_context(request, *LETTER_READERS, ASESOR)
    letter = letter_view(await usecases.get_letter(ctx, letter_id), page_lang(request))
    return render(request, "scheduling/letter.html", letter=letter,
                  may_sign=ctx.user.role == KETUA_LSP and letter["status"] == "draft",
                  may_confirm=(letter.get("addressee") or {}).get("id") == ctx.user.id
                  and letter["status"] == "signed",
                  may_revoke=ctx.user.role == ADMIN_LSP and letter["status"] != "revoked",
                  back=MY_LETTERS if ctx.user.role == ASESOR else LETTERS,
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


def letter_settled(letter_id: str, status: str) -> Any:
    async def shown(ctx: Context) -> bool:
        found = await queries.get_letter(ctx.store, ctx.tenant, letter_id)
        return bool(found and found["status"] == status)
    return shown


@router.post(LETTERS + "/{letter_id}/tandatangani")
async def sign_letter(request: Request, letter_id: str,
                      expected_version: Annotated[int | None, Form(ge=1)] = None) -> Response:
    return await form_step(request, (KETUA_LSP,), f"{LETTERS}/{letter_id}",
                           lambda ctx: usecases.sign_letter(ctx, letter_id, expected_version), "letter_signed",
                           settled=letter_settled(letter_id, "signed"))


@router.post(LETTERS + "/{letter_id}/batalkan")
async def revoke_letter(request: Request, letter_id: str, reason: Annotated[str, Form(max_length=500)] = "",
                        expected_version: Annotated[int | None, Form(ge=1)] = None) -> Response:
    """The admin LSP withdraws a letter, saying why; a new one for the same subject may then be issued."""
    return await form_step(request, (ADMIN_LSP,), f"{LETTERS}/{letter_id}", lambda ctx: usecases.revoke_letter(
        ctx, letter_id, reason, expected_version), "letter_revoked", settled=letter_settled(letter_id, "revoked"))


@router.post(LETTERS + "/{letter_id}/terima")
async def confirm_receipt(request: Request, letter_id: str) -> Response:
    """The addressee: "Saya telah menerima surat ini" (back to the page they confirmed on)."""
    user = page_context(request).user
    back = MY_LETTERS if user.role == ASESOR else f"{LETTERS}/{letter_id}"
    return await form_step(request, (), back, lambda ctx: usecases.confirm_receipt(ctx, letter_id),
                           "letter_received", settled=letter_settled(letter_id, "received"))


@router.get(MY_LETTERS, response_class=HTMLResponse)
async def my_letters(request: Request) -> Response:
    """The asesor's own SPTs (as assessor, or to verify a TUK): the PDF, and their receipt once signed."""
    ctx = page_context(request, ASESOR)
    lang = page_lang(request)
    return render(request, "scheduling/my_letters.html",
                  letters=[letter_view(letter, lang) for letter in await usecases.list_letters(ctx)],
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


# ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------------

RUNDOWN_ROWS = 3  # empty rundown rows offered below the saved ones


async def schedule_view(request: Request, ctx: Context, schedule: dict[str, Any], status_code: int = 200,
                        systems: tuple[dict[str, Any], dict[str, str]] | None = None,
                        rooms: tuple[dict[str, Any], dict[str, str]] | None = None) -> Response:
    """A schedule's seats, the cases of its scheme still waiting for a place and, for a remote one, its
    preparation: `systems` / `rooms` are (typed, problems) of a refused form, shown again as typed."""
    return render(request, "scheduling/schedule.html", status_code=status_code, schedule=schedule,
                  **await assignment_map(ctx, schedule), **await preparation(request, ctx, schedule, systems, rooms),
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


async def assignment_map(ctx: Context, schedule: dict[str, Any]) -> dict[str, Any]:
    """The peta penugasan: each seated case with its assessor (and whom else it could go to), the cases of the
    scheme still waiting for a seat, and the other sessions a case could move to."""
    cases = await queries.list_cases(ctx.store, ctx.tenant)
    schedules = await queries.list_schedules(ctx.store, ctx.tenant, "terjadwal")
    assessors = await queries.list_assessors(ctx.store, ctx.tenant)
    limit = await queries.asesi_per_assessor(ctx.store, ctx.tenant, ctx.settings.assessor_max_active_cases)
    return {"limit": limit, "names": {a["user_id"]: a["name"] for a in assessors},
            "waiting": [case for case in cases if case["scheme"]["number"] == schedule["skema"]
                        and not case.get("schedule_id") and case["status"] != "completed"],
            "participants": [{**case, "assessors": candidates(case, schedule, assessors, schedules, limit)}
                             for case in cases if case.get("schedule_id") == schedule["id"]],
            "elsewhere": [s for s in schedules if s["id"] != schedule["id"] and s["skema"] == schedule["skema"]
                          and s["placed"] < s["kuota_maks"]]}


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
VERIFIERS = usecases.VERIFIERS


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
