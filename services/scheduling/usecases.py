"""What users do in scheduling, the same behind the JSON API (api.py) and the pages (web.py)."""
from typing import Any

from services.scheduling import documents, queries
from services.scheduling.domain import TUK_REMOTE_KIND
from shared.errors import Invalid, NotFound
from shared.web import (
    ADMIN_LSP,
    ASESI,
    ASESOR,
    KETUA_LSP,
    MANAJER_SERTIFIKASI,
    Context,
    User,
    branch_user,
    found,
    letterhead,
)

SERVICE = "scheduling"


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
    return {"id": case_id, "status": "assigned", "assessor_id": assessor_id, "version": version}


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


async def place_case(ctx: Context, schedule_id: str, case_id: str, expected_version: int | None = None
                     ) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "place_case", schedule_id=schedule_id, case_id=case_id,
                                expected_version=expected_version)
    return {"id": schedule_id, "case_id": case_id, "version": version}


# ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------------

VERIFIER_ROLES = (ASESOR, ADMIN_LSP)
SCHEDULE_STAFF = (ADMIN_LSP, MANAJER_SERTIFIKASI, KETUA_LSP)


async def check_systems(ctx: Context, schedule_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The admin LSP's systems check before a remote session (SOP 3.1), signed; again, it replaces it."""
    version = await ctx.command(SERVICE, "check_systems", schedule_id=schedule_id, data=data)
    return {"id": schedule_id, "version": version}


async def plan_rooms(ctx: Context, schedule_id: str, rooms: dict[str, str], rundown: list[dict[str, str]]
                     ) -> dict[str, Any]:
    """The breakout rooms and the rundown (SOP 3.2); each seated asesi is invited at their account's e-mail."""
    schedule = await queries.get_schedule(ctx.store, ctx.tenant, schedule_id) or {}  # the command checks it is ours
    contacts = {}
    for seat in schedule.get("seats", []):
        person = await branch_user(ctx.request, seat["asesi"]["id"])
        if person is not None and person.tenant == ctx.tenant and person.email:
            contacts[person.id] = person.email
    version = await ctx.command(SERVICE, "plan_rooms", schedule_id=schedule_id, rooms=rooms, rundown=rundown,
                                contacts=contacts)
    return {"id": schedule_id, "version": version}


async def appoint_verifier(ctx: Context, schedule_id: str, user_id: str) -> dict[str, Any]:
    """The TUK verifier of a schedule: a user of this branch who is an asesor or an admin LSP."""
    person = await branch_user(ctx.request, user_id)
    if person is None or person.tenant != ctx.tenant or person.role not in VERIFIER_ROLES:
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
