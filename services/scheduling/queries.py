"""Scheduling read-model queries (tenant-scoped, from the service's own read models)."""
from typing import Any

from shared.readstore import ReadStore
from shared.web import public

SERVICE = "scheduling"


async def list_assessors(store: ReadStore, tenant: str, scheme_number: str | None = None) -> list[dict[str, Any]]:
    query: dict[str, Any] = {"tenant": tenant}
    if scheme_number:
        query["scheme_numbers"] = scheme_number
    docs = await store.find(SERVICE, "assessors", query, sort=[("name", 1)])
    return [public(doc) for doc in docs]


async def list_cases(store: ReadStore, tenant: str, status: str | None = None) -> list[dict[str, Any]]:
    query: dict[str, Any] = {"tenant": tenant}
    if status:
        query["status"] = status
    docs = await store.find(SERVICE, "cases", query, sort=[("opened_at", 1)])
    return [public(doc) for doc in docs]


async def get_case(store: ReadStore, tenant: str, case_id: str) -> dict[str, Any] | None:
    return public(await store.find_one(SERVICE, "cases", {"_id": case_id, "tenant": tenant}))


async def case_part(store: ReadStore, tenant: str, case_id: str) -> dict[str, Any] | None:
    """What scheduling knows of a case, for the case page: its status and its asesor."""
    case = await get_case(store, tenant, case_id)
    if case is None:
        return None
    schedule = case.get("schedule_id") and await get_schedule(store, tenant, case["schedule_id"])
    return {"status": case["status"], "assessor": case.get("assessor"), "assigned_at": case.get("assigned_at"),
            "schedule": schedule and {key: schedule.get(key) for key in (
                "tanggal", "mulai", "selesai", "tuk", "jarak_jauh", "tautan", "status")},
            "history": case.get("history", []), **await session_part(store, tenant, case)}


async def list_assignments(store: ReadStore, tenant: str, assessor_id: str) -> list[dict[str, Any]]:
    """An asesor's own cases (appointed, confirmed, done), soonest session first, each with its session."""
    docs = await store.find(SERVICE, "cases", {"tenant": tenant, "assessor.id": assessor_id}, sort=[("opened_at", 1)])
    schedules = {s["id"]: session_fields(s) for s in await list_schedules(store, tenant)}
    found = [{**public(doc), "schedule": schedules.get(doc.get("schedule_id"))} for doc in docs]
    return sorted(found, key=lambda c: [(c["schedule"] or {}).get(key, "") for key in ("tanggal", "mulai")])


def session_fields(schedule: dict[str, Any]) -> dict[str, Any]:
    """What an asesor or asesi sees of a session (not its other participants)."""
    return {key: schedule.get(key) for key in ("id", "tanggal", "mulai", "selesai", "tuk", "jarak_jauh", "tautan",
                                               "status")}


async def cases_of_schedule(store: ReadStore, tenant: str, schedule_id: str) -> list[dict[str, Any]]:
    docs = await store.find(SERVICE, "cases", {"tenant": tenant, "schedule_id": schedule_id}, sort=[("opened_at", 1)])
    return [public(doc) for doc in docs]


async def asesi_per_assessor(store: ReadStore, tenant: str, default: int) -> int:
    """The branch's limit of asesi per assessor in one session (its own setting, else the platform's)."""
    doc = await store.find_one(SERVICE, "rules", {"tenant": tenant})
    return int(doc["asesi_per_assessor"]) if doc else default


async def list_tuks(store: ReadStore, tenant: str, status: str | None = None) -> list[dict[str, Any]]:
    """The branch's TUK registry, by name."""
    query: dict[str, Any] = {"tenant": tenant, **({"status": status} if status else {})}
    return [public(doc) for doc in await store.find(SERVICE, "tuks", query, sort=[("nama", 1)])]


async def get_tuk(store: ReadStore, tenant: str, tuk_id: str) -> dict[str, Any] | None:
    return public(await store.find_one(SERVICE, "tuks", {"_id": tuk_id, "tenant": tenant}))


async def list_schedules(store: ReadStore, tenant: str, status: str | None = None) -> list[dict[str, Any]]:
    """The branch's schedules, soonest first."""
    query: dict[str, Any] = {"tenant": tenant, **({"status": status} if status else {})}
    docs = await store.find(SERVICE, "schedules", query, sort=[("tanggal", 1), ("mulai", 1)])
    return [public(doc) for doc in docs]


async def get_schedule(store: ReadStore, tenant: str, schedule_id: str) -> dict[str, Any] | None:
    return public(await store.find_one(SERVICE, "schedules", {"_id": schedule_id, "tenant": tenant}))


async def list_letters(store: ReadStore, tenant: str, kind: str | None = None, status: str | None = None,
                       addressee_id: str | None = None) -> list[dict[str, Any]]:
    """The branch's letters, the latest first; an addressee's own only when `addressee_id` is given."""
    query: dict[str, Any] = {"tenant": tenant}
    for name, value in (("kind", kind), ("status", status), ("addressee.id", addressee_id)):
        if value:
            query[name] = value
    docs = await store.find(SERVICE, "letters", query, sort=[("issued_at", -1)])
    return [public(doc) for doc in docs]


async def get_letter(store: ReadStore, tenant: str, letter_id: str) -> dict[str, Any] | None:
    return public(await store.find_one(SERVICE, "letters", {"_id": letter_id, "tenant": tenant}))


# ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------------

async def session_part(store: ReadStore, tenant: str, case: dict[str, Any]) -> dict[str, Any]:
    """The case page's room, rundown, invitation and TUK verification, and whether it waits for a new schedule."""
    invitation = await get_invitation(store, tenant, case["id"])
    verification = await get_tuk_verification(store, tenant, case["id"])
    return {"case_id": case["id"],
            "invitation": invitation and {key: invitation.get(key) for key in ("room", "rundown", "issued_at")},
            "tuk_verification": verification and {key: verification.get(key) for key in (
                "conclusion", "verified_at", "schedule_id")},
            "needs_reschedule": case.get("needs_reschedule")}


async def get_session_plan(store: ReadStore, tenant: str, schedule_id: str) -> dict[str, Any] | None:
    return public(await store.find_one(SERVICE, "session_plans", {"schedule_id": schedule_id, "tenant": tenant}))


def proposed_rooms(schedule: dict[str, Any], plan: dict[str, Any] | None) -> dict[str, str]:
    """The saved plan's rooms; a seated case without one gets the next "Ruang N" (the default: one room per
    seated case, in seat order)."""
    saved = dict((plan or {}).get("rooms") or {})
    taken = set(saved.values())
    rooms, number = {}, 0
    for seat in schedule.get("seats", []):
        if seat["case_id"] in saved:
            rooms[seat["case_id"]] = saved[seat["case_id"]]
            continue
        number += 1
        while f"Ruang {number}" in taken:
            number += 1
        rooms[seat["case_id"]] = f"Ruang {number}"
        taken.add(rooms[seat["case_id"]])
    return rooms


async def get_invitation(store: ReadStore, tenant: str, case_id: str) -> dict[str, Any] | None:
    return public(await store.find_one(SERVICE, "invitations", {"case_id": case_id, "tenant": tenant}))


async def get_tuk_verification(store: ReadStore, tenant: str, case_id: str) -> dict[str, Any] | None:
    return public(await store.find_one(SERVICE, "tuk_verifications", {"case_id": case_id, "tenant": tenant}))


async def list_tuk_verifications(store: ReadStore, tenant: str, schedule_id: str) -> dict[str, dict[str, Any]]:
    """The schedule's participants' latest verifications, by case id."""
    docs = await store.find(SERVICE, "tuk_verifications", {"schedule_id": schedule_id, "tenant": tenant})
    return {doc["case_id"]: public(doc) for doc in docs}


async def schedules_verified_by(store: ReadStore, tenant: str, user_id: str) -> list[dict[str, Any]]:
    """The schedules a verifier is appointed on, soonest first."""
    plans = await store.find(SERVICE, "session_plans", {"tenant": tenant, "verifier.id": user_id})
    schedules = [await get_schedule(store, tenant, plan["schedule_id"]) for plan in plans]
    return sorted((s for s in schedules if s), key=lambda s: (str(s["tanggal"]), s["mulai"]))
