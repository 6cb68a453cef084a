"""Scheduling's pages: the admin LSP's queue of feasible cases waiting for an asesor (SOP 1.5)."""
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from services.scheduling import queries, usecases
from services.scheduling.forms import JADWAL, LETTER_FORMS, PENOMORAN, TUK
from shared.display import tanggal, wib_today
from shared.errors import DomainError, NotFound
from shared.forms import say
from shared.web import (
    ADMIN_LSP,
    ASESOR,
    KETUA_LSP,
    MANAJER_SERTIFIKASI,
    Context,
    attempt,
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
    found = [letter_view(letter, lang) for letter in await usecases.list_letters(ctx)]
    issuing: dict[str, Any] = {}
    if ctx.user.role == ADMIN_LSP:
        assessors = await queries.list_assessors(ctx.store, ctx.tenant)
        schedules = []
        for schedule in await queries.list_schedules(ctx.store, ctx.tenant, "terjadwal"):
            held = await queries.assessor_cases_in(ctx.store, ctx.tenant, schedule["id"])
            competent = [{**a, "cases": held.get(a["user_id"], 0)} for a in assessors
                         if schedule["skema"] in a["scheme_numbers"]]
            schedules.append({**schedule, "assessors": sorted(competent, key=lambda a: (-a["cases"], a["name"]))})
        issuing = {"tuks": await queries.list_tuks(ctx.store, ctx.tenant, "aktif"), "schedules": schedules,
                   "verifiers": await usecases.verifiers(ctx)}
    return render(request, "scheduling/letters.html", letters=found, issuing=issuing,
                  waiting=[letter for letter in found if letter["status"] == "draft"]
                  if ctx.user.role == KETUA_LSP else [],
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


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
