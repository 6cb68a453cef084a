"""What users do in scheduling, the same behind the JSON API (api.py) and the pages (web.py)."""
import asyncio
import hashlib
from datetime import date
from typing import Any

from fastapi.concurrency import run_in_threadpool

from services.scheduling import documents, planning, queries
from services.scheduling.domain import TUK_REMOTE_KIND
from services.scheduling.texts import TEXT
from shared.display import wib_today
from shared.errors import Conflict, DomainError, Invalid, NotFound
from shared.web import (
    ADMIN_LSP,
    ASESI,
    ASESOR,
    KETUA_LSP,
    MANAJER_SERTIFIKASI,
    PLATFORM_ADMIN,
    STAFF,
    Context,
    User,
    branch_user,
    found,
    letterhead,
)

SERVICE = "scheduling"
VERIFIERS = (ASESOR, ADMIN_LSP)  # who may be sent to verify a TUK
POSITIONS = {ASESOR: "Asesor Kompetensi", ADMIN_LSP: "Admin LSP"}  # how an SPT names the verifier's position


async def branch_asesor(ctx: Context, user_id: str) -> User:
    """The user to register: must exist in this branch with the asesor role."""
    candidate = await branch_user(ctx.request, user_id)
    if candidate is None or candidate.tenant != ctx.tenant or candidate.role != ASESOR:
        raise Invalid("must be a user of this branch with the role asesor", field="user_id")
    return candidate


async def register_assessor(ctx: Context, entry: dict[str, Any]) -> dict[str, Any]:
    """An asesor of the branch into the registry (Daftar Asesor), by their MET registration and schemes."""
    asesor = await branch_asesor(ctx, entry["user_id"])
    assessor_id = await ctx.command(SERVICE, "register_assessor", name=asesor.name, **entry)
    return {"id": assessor_id, "user_id": entry["user_id"]}


async def assign_assessor(ctx: Context, case_id: str, assessor_id: str,
                          expected_version: int | None = None) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "assign_assessor", case_id=case_id, assessor_user_id=assessor_id,
                                expected_version=expected_version)
    return {"id": case_id, "status": "appointed", "assessor_id": assessor_id, "version": version}


async def register_tuk(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """A TUK into the branch's registry (SOP 1.4)."""
    return {"id": await ctx.command(SERVICE, "register_tuk", data=data), "status": "aktif", "version": 1}


async def revise_tuk(ctx: Context, tuk_id: str, data: dict[str, Any], expected_version: int | None = None
                     ) -> dict[str, Any]:
    return {"id": tuk_id, "version": await ctx.command(SERVICE, "revise_tuk", tuk_id=tuk_id, data=data,
                                                       expected_version=expected_version)}


async def set_tuk_active(ctx: Context, tuk_id: str, active: bool, expected_version: int | None = None
                         ) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "set_tuk_active", tuk_id=tuk_id, active=active,
                                expected_version=expected_version)
    return {"id": tuk_id, "status": "aktif" if active else "nonaktif", "version": version}


async def create_schedule(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """A session of one scheme at a TUK (SOP 1.6.1)."""
    return {"id": await ctx.command(SERVICE, "create_schedule", data=data), "status": "terjadwal", "version": 1}


async def set_schedule_status(ctx: Context, schedule_id: str, status: str, reason: str = "") -> dict[str, Any]:
    """dibatalkan (with why; only once nobody is seated) or selesai (held: from its date on)."""
    if status == "dibatalkan":
        version = await ctx.command(SERVICE, "cancel_schedule", schedule_id=schedule_id, reason=reason)
    else:
        version = await ctx.command(SERVICE, "finish_schedule", schedule_id=schedule_id)
    return {"id": schedule_id, "status": status, "version": version}


async def place_case(ctx: Context, schedule_id: str, case_id: str, expected_version: int | None = None
                     ) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "place_case", schedule_id=schedule_id, case_id=case_id,
                                expected_version=expected_version, contact=await asesi_contact(ctx, case_id))
    return {"id": schedule_id, "case_id": case_id, "version": version}


async def sealed_email(ctx: Context, person_id: str) -> str:
    """A person's account e-mail, sealed for them in scheduling's vault: to tell them of their session. Personal
    data never travels plain, so the gateway seals it before the command goes to the service."""
    person = await branch_user(ctx.request, person_id)
    if person is None or person.tenant != ctx.tenant or not person.email:
        return ""
    return ctx.vault(SERVICE).seal(person.id, person.email)


async def asesi_contact(ctx: Context, case_id: str) -> str:
    case = await queries.get_case(ctx.store, ctx.tenant, case_id)
    return await sealed_email(ctx, case["asesi"]["id"]) if case else ""


# -- the assessor's answer, delegation, rescheduling, the branch's limit (SOP 1.5, 1.6.4) ---------------------

async def revise_assessor(ctx: Context, user_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "revise_assessor", user_id=user_id, **entry)
    return {"id": user_id, "version": version}


async def set_assessor_active(ctx: Context, user_id: str, active: bool, reason: str = "") -> dict[str, Any]:
    version = await ctx.command(SERVICE, "set_assessor_active", user_id=user_id, active=active, reason=reason)
    return {"id": user_id, "status": "aktif" if active else "nonaktif", "version": version}


async def confirm_assignment(ctx: Context, case_id: str, declaration: dict[str, Any]) -> dict[str, Any]:
    """The appointed asesor accepts, signing their impartiality declaration about the asesi."""
    version = await ctx.command(SERVICE, "confirm_assignment", case_id=case_id, declaration=declaration)
    return {"id": case_id, "status": "assigned", "version": version}


async def decline_assignment(ctx: Context, case_id: str, reason: str, conflict: str = "") -> dict[str, Any]:
    version = await ctx.command(SERVICE, "decline_assignment", case_id=case_id, reason=reason, conflict=conflict)
    return {"id": case_id, "status": "awaiting_assessor", "version": version}


async def delegate_assignment(ctx: Context, case_id: str, assessor_id: str, reason: str,
                              expected_version: int | None = None) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "delegate_assignment", case_id=case_id, assessor_user_id=assessor_id,
                                reason=reason, expected_version=expected_version)
    return {"id": case_id, "status": "appointed", "assessor_id": assessor_id, "version": version}


async def reschedule_case(ctx: Context, case_id: str, schedule_id: str, reason: str,
                          expected_version: int | None = None) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "reschedule_case", case_id=case_id, schedule_id=schedule_id,
                                reason=reason, expected_version=expected_version)
    return {"id": case_id, "schedule_id": schedule_id, "status": "awaiting_assessor", "version": version}


async def set_asesi_per_assessor(ctx: Context, limit: int) -> dict[str, Any]:
    return {"asesi_per_assessor": await ctx.command(SERVICE, "set_asesi_per_assessor", limit=limit)}


# ---- the batch placement proposal (SOP 1.6.1-1.6.4; planning.py) ----------------------------------------------
# The plan is computed from the read models and applied row by row through the ordinary commands (place_case,
# then assign_assessor), so the domain checks every row again; a refused row is reported, the rest go on.
# Applying runs as a background task of this gateway process, its progress kept in app state under a batch id
# (derived from the branch and the plan's digest, so posting the same plan twice starts it once).



def plan_input(cases: list[dict[str, Any]], schedules: list[dict[str, Any]], assessors: list[dict[str, Any]],
               today: date, scheme: str = "", per_schedule: int = planning.DEFAULT_PER_SCHEDULE
               ) -> planning.PlanInput:
    """The planner's input from the read models: a case's assessor and session from the cases read model, an
    assessor's status, institutions and declared trainees from the registry, the asesi's institution as FR.APL.01
    gave it, and the branch's limit of asesi per assessor in one session."""
    by_id = {s["id"]: s for s in schedules if s["status"] == "terjadwal"}  # a cancelled session holds no one

    def session(schedule_id: str) -> planning.Session:
        s = by_id[schedule_id]
        return planning.Session(schedule_id, str(s["tanggal"]), s["mulai"], s["selesai"])

    held = [c for c in cases if c.get("schedule_id") in by_id]
    asesi_sessions: dict[str, list[planning.Session]] = {}
    assessor_sessions: dict[str, list[planning.Session]] = {}
    on_schedule: dict[str, dict[str, list[str]]] = {}
    for case in held:
        asesi_sessions.setdefault(case["asesi"]["id"], []).append(session(case["schedule_id"]))
        if case.get("assessor") and case["status"] != "completed":
            assessor_sessions.setdefault(case["assessor"]["id"], []).append(session(case["schedule_id"]))
            on_schedule.setdefault(case["schedule_id"], {}).setdefault(case["assessor"]["id"], []).append(case["id"])
    open_ = [planning.OpenSchedule(s["id"], s["skema"], str(s["tanggal"]), s["mulai"], s["selesai"], s["kuota_maks"],
                                   [seat["case_id"] for seat in s.get("seats", [])], on_schedule.get(s["id"], {}))
             for s in schedules if s["status"] == "terjadwal" and str(s["tanggal"]) >= today.isoformat()
             and str(s.get("pendaftaran_dibuka") or "") <= today.isoformat()  # its registration window is open
             and str(s.get("pendaftaran_ditutup") or "9999") >= today.isoformat()
             and (not scheme or s["skema"] == scheme)]
    open_ids = {s.id for s in open_}  # a seated case is planned only its assessor, in its own session
    waiting = [planning.WaitingCase(c["id"], c["scheme"]["number"], c["asesi"]["id"], c.get("institution") or "",
                                    c.get("schedule_id") or "")
               for c in cases if c["status"] == "awaiting_assessor"
               and (not c.get("schedule_id") or c["schedule_id"] in open_ids)
               and (not scheme or c["scheme"]["number"] == scheme)]
    registry = [planning.RegistryAssessor(a["user_id"], a["name"], a["scheme_numbers"], str(a["valid_until"]),
                                          a.get("status") or planning.AKTIF, a.get("institutions") or [],
                                          [*(a.get("trainees") or []), *(a.get("conflicts") or {})],
                                          assessor_sessions.get(a["user_id"], []),
                                          a.get("load", 0), [str(d) for d in a.get("unavailable") or []])
                for a in assessors]
    return planning.PlanInput(waiting, open_, registry, asesi_sessions, per_schedule=per_schedule)


async def proposal(ctx: Context, scheme: str = "") -> dict[str, Any]:
    """The plan for the branch (one scheme, or all), with what a page or a client needs to read it."""
    cases = await queries.list_cases(ctx.store, ctx.tenant)
    schedules = await queries.list_schedules(ctx.store, ctx.tenant)
    assessors = await queries.list_assessors(ctx.store, ctx.tenant)
    limit = await queries.asesi_per_assessor(ctx.store, ctx.tenant, ctx.settings.assessor_max_active_cases)
    given = plan_input(cases, schedules, assessors, wib_today(), scheme, limit)
    plan = planning.propose(given)
    case_of = {c["id"]: c for c in cases}
    people = {a["user_id"]: a for a in assessors}
    planned = planning.loads(plan)
    rows = [{"case_id": r.case_id, "schedule_id": r.schedule_id, "assessor_id": r.assessor_id, "seated": r.seated,
             "asesi": case_of[r.case_id]["asesi"], "assessor_name": people[r.assessor_id]["name"]} for r in plan.rows]
    shown = {s.id for s in given.schedules}
    return {
        "scheme": scheme, "plan_hash": plan.digest(),
        "schemes": sorted({c["scheme"]["number"] for c in cases if c["status"] == "awaiting_assessor"}
                          | {s["skema"] for s in schedules if s["status"] == "terjadwal"}),
        "rows": rows,
        "unplaced": [{"case_id": u.case_id, "asesi": case_of[u.case_id]["asesi"],
                      "scheme_number": case_of[u.case_id]["scheme"]["number"], "reason": u.reason,
                      "text": {"id": TEXT[u.reason][0], "en": TEXT[u.reason][1]}} for u in plan.unplaced],
        "schedules": [{**s, "planned": [r for r in rows if r["schedule_id"] == s["id"]],
                       "seated": [{**seat, "assessor": (case_of.get(seat["case_id"]) or {}).get("assessor")}
                                  for seat in s.get("seats", [])]} for s in schedules if s["id"] in shown],
        "assessors": [{"user_id": a.user_id, "name": a.name, "load": a.load, "planned": planned.get(a.user_id, 0)}
                      for a in sorted(given.assessors, key=lambda a: a.name) if planned.get(a.user_id)],
    }


def batches(ctx: Context) -> dict[str, dict[str, Any]]:
    state = ctx.request.app.state
    if getattr(state, "plan_batches", None) is None:
        state.plan_batches, state.plan_tasks = {}, set()
    return state.plan_batches


async def apply_proposal(ctx: Context, scheme: str, plan_hash: str) -> dict[str, Any]:
    """Apply the plan the user saw: recomputed now, and refused if it is no longer the one shown (409)."""
    current = await proposal(ctx, scheme)
    known = batches(ctx)
    batch_id = hashlib.sha256(f"{ctx.tenant}:{scheme}:{plan_hash}".encode()).hexdigest()[:16]
    if batch_id in known:  # the same plan posted again (a double click, a retry): the batch already under way
        return known[batch_id]
    if current["plan_hash"] != plan_hash:
        raise Conflict("the proposal changed since it was shown; review the new one before applying",
                       field="plan_hash")
    forget_finished(known)
    batch = known[batch_id] = {"id": batch_id, "tenant": ctx.tenant, "scheme": scheme, "plan_hash": plan_hash,
                               "total": len(current["rows"]), "done": 0, "applied": 0, "refused": [],
                               "finished": False, "started_by": ctx.user.id}
    task = asyncio.create_task(run_batch(ctx, batch, current["rows"]))
    ctx.request.app.state.plan_tasks.add(task)  # a reference, so the task is not collected while it runs
    task.add_done_callback(ctx.request.app.state.plan_tasks.discard)
    return batch


KEPT_BATCHES = 200  # finished batches kept for their progress page; older ones are forgotten


def forget_finished(known: dict[str, dict[str, Any]]) -> None:
    finished = [batch_id for batch_id, batch in known.items() if batch["finished"]]
    for batch_id in finished[:max(0, len(finished) - KEPT_BATCHES)]:  # dicts keep their order: oldest first
        del known[batch_id]


async def run_batch(ctx: Context, batch: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    try:
        for row in rows:
            step = "place"
            try:
                if not row.get("seated"):  # a case already seated needs only its assessor
                    await place_case(ctx, row["schedule_id"], row["case_id"])
                step = "assign"
                await assign_assessor(ctx, row["case_id"], row["assessor_id"])
                batch["applied"] += 1
            except Exception as error:  # noqa: BLE001  every refusal is reported; nothing is dropped silently
                known = error if isinstance(error, DomainError) else DomainError(
                    "the row could not be applied: {reason}", reason=str(error))
                batch["refused"].append({"case_id": row["case_id"], "schedule_id": row["schedule_id"],
                                         "assessor_id": row["assessor_id"], "asesi": row["asesi"], "step": step,
                                         "error": refusal(ctx, known)})
            batch["done"] += 1
    finally:
        batch["finished"] = True


def refusal(ctx: Context, error: DomainError) -> dict[str, Any]:
    """The domain's refusal, kept with its text in both languages (the batch outlives the request)."""
    translate = getattr(ctx.request.app.state, "error_text", None)
    return {"field": error.field, "template": error.template, "params": error.params,
            "text": {lang: translate(error, lang) if translate else error.message for lang in ("id", "en")}}


def get_batch(ctx: Context, batch_id: str) -> dict[str, Any]:
    batch = batches(ctx).get(batch_id)
    if batch is None or batch["tenant"] != ctx.tenant:  # another branch's batch does not exist for this one
        raise NotFound("{what} not found", what="proposal batch")
    return batch

# ---- official letters (SOP 1.4, 1.6.5-1.6.6) ----------------------------------------------------------------

def office(user: User) -> bool:
    """The branch's office sees every letter of the branch; anyone else only the letters addressed to them."""
    return user.role in (*STAFF, PLATFORM_ADMIN)


async def letter_addressee(ctx: Context, kind: str, user_id: str) -> User:
    """The account an SPT is addressed to: an asesor of the branch (the assessor's SPT), or an asesor or admin
    LSP of the branch (the TUK verifier's)."""
    person = await branch_user(ctx.request, user_id) if user_id else None
    if kind == "spt_asesor":
        if person is None or person.tenant != ctx.tenant or person.role != ASESOR:
            raise Invalid("must be a user of this branch with the role asesor", field="user_id")
    elif person is None or person.tenant != ctx.tenant or person.role not in VERIFIERS:
        raise Invalid("must be a user of this branch with the role asesor or admin LSP", field="user_id")
    return person


async def issue_letter(ctx: Context, kind: str, tuk_id: str | None = None, schedule_id: str | None = None,
                       user_id: str | None = None, valid_until: str | None = None) -> dict[str, Any]:
    """An SK TUK for a TUK of the registry, or an SPT for a schedule and a person; issued once (again: the same
    letter, no second number). The addressee's account e-mail is sealed for them here, before the command
    leaves the gateway, for the e-mail that brings them the signed letter."""
    head = await letterhead(ctx.request, ctx.tenant)
    arguments: dict[str, Any] = {
        "kind": kind, "letterhead": {key: getattr(head, key) for key in ("name", "address", "licence", "phone",
                                                                          "email")}}
    if kind == "sk_tuk":
        arguments.update(tuk_id=tuk_id or "", valid_until=valid_until or "")
    elif kind in ("spt_asesor", "spt_verifikasi"):
        person = await letter_addressee(ctx, kind, user_id or "")
        arguments.update(schedule_id=schedule_id or "", user_id=person.id, addressee_name=person.name,
                         position=POSITIONS.get(person.role, person.role),
                         contact=ctx.vault(SERVICE).seal(person.id, person.email) if person.email else "")
    return await ctx.command(SERVICE, "issue_letter", **arguments)


async def list_letters(ctx: Context, kind: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    return await queries.list_letters(ctx.store, ctx.tenant, kind, status,
                                      addressee_id=None if office(ctx.user) else ctx.user.id)


async def get_letter(ctx: Context, letter_id: str) -> dict[str, Any]:
    """A letter of the branch for its office, or for its addressee; anyone else: not found."""
    letter = found(await queries.get_letter(ctx.store, ctx.tenant, letter_id), "letter")
    if not office(ctx.user) and (letter.get("addressee") or {}).get("id") != ctx.user.id:
        raise NotFound("{what} not found", what="letter")
    return letter


async def revoke_letter(ctx: Context, letter_id: str, reason: str, expected_version: int | None = None
                        ) -> dict[str, Any]:
    return await ctx.command(SERVICE, "revoke_letter", letter_id=letter_id, reason=reason,
                             expected_version=expected_version)


async def sign_letter(ctx: Context, letter_id: str, expected_version: int | None = None) -> dict[str, Any]:
    return await ctx.command(SERVICE, "sign_letter", letter_id=letter_id, expected_version=expected_version)


async def confirm_receipt(ctx: Context, letter_id: str, expected_version: int | None = None) -> dict[str, Any]:
    await get_letter(ctx, letter_id)  # another's letter: not found, as on every read
    return await ctx.command(SERVICE, "confirm_receipt", letter_id=letter_id, expected_version=expected_version)


async def letter_pdf(ctx: Context, letter_id: str) -> tuple[bytes, str]:
    """The letter as a PDF (DRAF until the ketua LSP signs it) and its file name."""
    letter = await get_letter(ctx, letter_id)
    head = await letterhead(ctx.request, ctx.tenant)
    pdf = await run_in_threadpool(documents.letter_pdf, letter, head.logo)
    return pdf, documents.letter_filename(letter)


async def letter_numbering(ctx: Context) -> list[dict[str, Any]]:
    return await ctx.command(SERVICE, "letter_numbering")


async def set_letter_numbering(ctx: Context, kind: str, settings: dict[str, Any],
                               expected_version: int | None = None) -> dict[str, Any]:
    return await ctx.command(SERVICE, "set_letter_numbering", kind=kind, settings=settings,
                             expected_version=expected_version)


async def preview_letter_number(ctx: Context, kind: str, settings: dict[str, Any]) -> dict[str, Any]:
    return await ctx.command(SERVICE, "preview_letter_number", kind=kind, settings=settings)



# ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------------

SCHEDULE_STAFF = (ADMIN_LSP, MANAJER_SERTIFIKASI, KETUA_LSP)


async def check_systems(ctx: Context, schedule_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The admin LSP's systems check before a remote session (SOP 3.1), signed; again, it replaces it."""
    version = await ctx.command(SERVICE, "check_systems", schedule_id=schedule_id, data=data)
    return {"id": schedule_id, "version": version}


async def plan_rooms(ctx: Context, schedule_id: str, rooms: dict[str, str], rundown: list[dict[str, str]]
                     ) -> dict[str, Any]:
    """The breakout rooms and the rundown (SOP 3.2); each seated asesi is invited at their account's e-mail."""
    schedule = await queries.get_schedule(ctx.store, ctx.tenant, schedule_id) or {}  # the command checks it is ours
    contacts = {seat["asesi"]["id"]: await sealed_email(ctx, seat["asesi"]["id"]) for seat in schedule.get("seats", [])}
    version = await ctx.command(SERVICE, "plan_rooms", schedule_id=schedule_id, rooms=rooms, rundown=rundown,
                                contacts=contacts)
    return {"id": schedule_id, "version": version}


async def appoint_verifier(ctx: Context, schedule_id: str, user_id: str) -> dict[str, Any]:
    """The TUK verifier of a schedule: a user of this branch who is an asesor or an admin LSP."""
    person = await branch_user(ctx.request, user_id)
    if person is None or person.tenant != ctx.tenant or person.role not in VERIFIERS:
        raise Invalid("the verifier must be a user of this branch with the role asesor or admin LSP",
                      field="user_id")
    version = await ctx.command(SERVICE, "appoint_verifier", schedule_id=schedule_id,
                                verifier={"id": person.id, "name": person.name, "role": person.role})
    return {"id": schedule_id, "verifier": {"id": person.id, "name": person.name}, "version": version}


async def verify_tuk(ctx: Context, schedule_id: str, case_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """One participant's online TUK checklist, signed by the appointed verifier."""
    return await ctx.command(SERVICE, "verify_tuk", schedule_id=schedule_id, case_id=case_id, data=data)


async def session_plan(ctx: Context, schedule_id: str) -> dict[str, Any]:
    """The schedule's preparation as the office (or its verifier) sees it: the systems check, the rooms
    (the saved plan, else the default proposal) with each case's assessor, the rundown, the verifier and
    each participant's verification."""
    schedule = found(await queries.get_schedule(ctx.store, ctx.tenant, schedule_id), "schedule")
    plan = await queries.get_session_plan(ctx.store, ctx.tenant, schedule_id) or {}
    if ctx.user.role not in SCHEDULE_STAFF and (plan.get("verifier") or {}).get("id") != ctx.user.id:
        raise NotFound("{what} not found", what="schedule")
    rooms = queries.proposed_rooms(schedule, plan)
    verifications = await queries.list_tuk_verifications(ctx.store, ctx.tenant, schedule_id)
    participants = []
    for seat in schedule.get("seats", []):
        case = await queries.get_case(ctx.store, ctx.tenant, seat["case_id"]) or {}
        verification = verifications.get(seat["case_id"])
        participants.append({
            "case_id": seat["case_id"], "asesi": seat["asesi"], "room": rooms.get(seat["case_id"]),
            "assessor": case.get("assessor"), "needs_reschedule": case.get("needs_reschedule"),
            "verification": verification and {key: verification.get(key) for key in (
                "conclusion", "data", "verifier", "verified_at", "signature")}})
    tuk = await queries.get_tuk(ctx.store, ctx.tenant, schedule["tuk"]["id"]) or {}
    return {"schedule_id": schedule_id, "verifiable": tuk.get("jenis") == TUK_REMOTE_KIND,
            "systems_check": plan.get("systems_check"),
            "rooms_saved": bool(plan.get("rooms")), "planned_at": plan.get("planned_at"),
            "rundown": plan.get("rundown") or [], "verifier": plan.get("verifier"), "participants": participants}


async def own_session(ctx: Context, case_id: str) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """(case, schedule, room) of a case's session: for its own asesi and the branch's staff; anyone else,
    and another branch, is told it does not exist."""
    case = await queries.get_case(ctx.store, ctx.tenant, case_id)
    if case is None or (ctx.user.role == ASESI and case["asesi"]["id"] != ctx.user.id):
        raise NotFound("{what} not found", what="case")
    schedule = case.get("schedule_id") and await queries.get_schedule(ctx.store, ctx.tenant, case["schedule_id"])
    if not schedule:
        raise NotFound("{what} not found", what="schedule")
    invitation = await queries.get_invitation(ctx.store, ctx.tenant, case_id)
    room = invitation["room"] if invitation and invitation.get("schedule_id") == schedule["id"] else None
    return case, schedule, room


async def invitation_ics(ctx: Context, case_id: str) -> bytes:
    case, schedule, room = await own_session(ctx, case_id)
    return documents.invitation_ics(schedule, case, room or "-")


async def kartu_peserta(ctx: Context, case_id: str) -> bytes:
    """The participant card. Its photo box stays empty: the pas foto is registration's (its read model and
    documents), which scheduling does not read."""
    case, schedule, room = await own_session(ctx, case_id)
    return documents.kartu_peserta_pdf(schedule, case, room, await letterhead(ctx.request, ctx.tenant))
