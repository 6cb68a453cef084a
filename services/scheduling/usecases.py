"""What users do in scheduling, the same behind the JSON API (api.py) and the pages (web.py)."""
from typing import Any

from shared.errors import Invalid
from shared.web import ASESOR, Context, User, branch_user

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


async def place_case(ctx: Context, schedule_id: str, case_id: str, expected_version: int | None = None
                     ) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "place_case", schedule_id=schedule_id, case_id=case_id,
                                expected_version=expected_version)
    return {"id": schedule_id, "case_id": case_id, "version": version}


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
