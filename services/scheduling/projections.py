"""Scheduling read models: the assessor registry (with current load) and the cases to assign."""
from services.scheduling.domain import ScheduleStatus
from shared.contracts import Envelope
from shared.notices import OUTBOX_PROJECTIONS
from shared.readstore import ReadStore

SERVICE = "scheduling"


async def assessor_registered(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "assessors", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "active_cases": [], "load": 0, "registered_at": env.occurred_at, "status": "aktif",
        "evidence": env.data.get("evidence") or {}, "institutions": env.data.get("institutions") or [],
        "trainees": [], "unavailable": env.data.get("unavailable") or [],
        **{k: env.data[k] for k in ("user_id", "name", "met_number", "valid_until", "scheme_numbers")}})


async def assessor_revised(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "assessors", env.aggregate_id, env.aggregate_version, {
        "unavailable": env.data.get("unavailable") or [],
        **{k: env.data[k] for k in ("met_number", "valid_until", "scheme_numbers", "evidence", "institutions")}})


async def assessor_status_set(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "assessors", env.aggregate_id, env.aggregate_version, {
        "status": env.data["status"], "status_reason": env.data["reason"]})


async def trainee_declared(store: ReadStore, env: Envelope) -> None:
    doc = await store.find_one(SERVICE, "assessors", {"_id": env.aggregate_id}) or {}
    await store.upsert_versioned(SERVICE, "assessors", env.aggregate_id, env.aggregate_version, {
        "trainees": [*doc.get("trainees", []), env.data["asesi_id"]]})


async def conflict_declared(store: ReadStore, env: Envelope) -> None:
    """Kept with the trainees: both keep the assessor from that asesi (the planner reads one list)."""
    doc = await store.find_one(SERVICE, "assessors", {"_id": env.aggregate_id}) or {}
    await store.upsert_versioned(SERVICE, "assessors", env.aggregate_id, env.aggregate_version, {
        "conflicts": {**doc.get("conflicts", {}), env.data["asesi_id"]: env.data["kind"]}})


def assessor_load(change: int):
    """Add (+1) or remove (-1) the event's case from the assessor's active cases."""
    async def project(store: ReadStore, env: Envelope) -> None:
        # Read-then-set is safe: one projector applies a service's log in order, version-guarded.
        doc = await store.find_one(SERVICE, "assessors", {"_id": env.aggregate_id}) or {}
        cases = [c for c in doc.get("active_cases", []) if c != env.data["case_id"]]
        if change > 0:
            cases.append(env.data["case_id"])
        await store.upsert_versioned(SERVICE, "assessors", env.aggregate_id, env.aggregate_version,
                                     {"active_cases": cases, "load": len(cases)})
    return project


async def case_opened(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "asesi": env.data["asesi"], "scheme": env.data["scheme"],
        "invoice_number": env.data["invoice_number"], "status": ScheduleStatus.AWAITING_ASSESSOR.value,
        "institution": env.data.get("institution", ""), "assessor": None, "history": [],
        "opened_at": env.occurred_at, "updated_at": env.occurred_at})


async def assessor_appointed(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version, {
        "status": ScheduleStatus.APPOINTED.value, "assessor": env.data["assessor"], "appointed_at": env.occurred_at,
        "updated_at": env.occurred_at})


async def assessor_assigned(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version, {
        "status": ScheduleStatus.ASSIGNED.value, "assessor": env.data["assessor"], "assigned_at": env.occurred_at,
        "impartiality": env.data.get("impartiality"), "updated_at": env.occurred_at})


def case_step(kind: str, *fields: str):
    """A step that gives the assessor up (declined, delegated, rescheduled): back to waiting for an assessor,
    and kept in the case's history with who, when and the event's own details."""
    async def project(store: ReadStore, env: Envelope) -> None:
        doc = await store.find_one(SERVICE, "cases", {"_id": env.aggregate_id}) or {}
        step = {"kind": kind, "at": env.occurred_at, "by": env.actor.name,
                **{name: env.data.get(name) for name in fields}}
        await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version, {
            "status": ScheduleStatus.AWAITING_ASSESSOR.value, "assessor": None, "impartiality": None,
            "history": [*doc.get("history", []), step], "updated_at": env.occurred_at,
            **({"needs_reschedule": None} if kind == "rescheduled" else {})})
    return project


async def schedule_assessors(store: ReadStore, env: Envelope) -> None:
    """The session's peta penugasan counts: assessor id -> the cases they assess in it."""
    doc = await store.find_one(SERVICE, "schedules", {"_id": env.aggregate_id}) or {}
    held = {k: list(v) for k, v in (doc.get("assessors") or {}).items()}
    if "assessor" in env.data:
        held.setdefault(env.data["assessor"]["id"], []).append(env.data["case_id"])
    else:
        held[env.data["assessor_id"]] = [c for c in held.get(env.data["assessor_id"], []) if c != env.data["case_id"]]
    await store.upsert_versioned(SERVICE, "schedules", env.aggregate_id, env.aggregate_version, {
        "assessors": {k: v for k, v in held.items() if v}, "updated_at": env.occurred_at})


async def case_unplaced(store: ReadStore, env: Envelope) -> None:
    doc = await store.find_one(SERVICE, "schedules", {"_id": env.aggregate_id}) or {}
    seats = [seat for seat in doc.get("seats", []) if seat["case_id"] != env.data["case_id"]]
    await store.upsert_versioned(SERVICE, "schedules", env.aggregate_id, env.aggregate_version,
                                 {"seats": seats, "placed": len(seats), "updated_at": env.occurred_at})


async def rules_set(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "rules", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "asesi_per_assessor": env.data["asesi_per_assessor"], "updated_at": env.occurred_at})


async def case_completed(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version, {
        "status": ScheduleStatus.COMPLETED.value, "updated_at": env.occurred_at})


async def tuk_registered(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "tuks", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "status": "aktif", "registered_at": env.occurred_at, "updated_at": env.occurred_at,
        **env.data["data"]})


async def tuk_revised(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "tuks", env.aggregate_id, env.aggregate_version,
                                 {**env.data["data"], "updated_at": env.occurred_at})


async def tuk_status_set(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "tuks", env.aggregate_id, env.aggregate_version,
                                 {"status": env.data["status"], "updated_at": env.occurred_at})


async def schedule_created(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "schedules", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "status": "terjadwal", "seats": [], "placed": 0, "created_at": env.occurred_at,
        "updated_at": env.occurred_at, **env.data["data"]})


async def case_placed(store: ReadStore, env: Envelope) -> None:
    doc = await store.find_one(SERVICE, "schedules", {"_id": env.aggregate_id}) or {}
    seats = [seat for seat in doc.get("seats", []) if seat["case_id"] != env.data["case_id"]]
    seats.append({"case_id": env.data["case_id"], "asesi": env.data["asesi"], "placed_at": env.occurred_at})
    await store.upsert_versioned(SERVICE, "schedules", env.aggregate_id, env.aggregate_version,
                                 {"seats": seats, "placed": len(seats), "updated_at": env.occurred_at})


async def case_scheduled(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version,
                                 {"schedule_id": env.data["schedule_id"], "updated_at": env.occurred_at})


# ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------------
# Each aggregate has its own read model (the schedule's and the case's documents follow their own versions):
# session_plans (one per schedule), invitations and tuk_verifications (one per case).

async def session_plan_opened(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "session_plans", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "schedule_id": env.data["schedule_id"], "systems_check": None, "rooms": {},
        "rundown": [], "verifier": None, "updated_at": env.occurred_at})


async def systems_checked(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "session_plans", env.aggregate_id, env.aggregate_version, {
        "systems_check": {**env.data["data"], "signature": env.data["signature"], "checked_at": env.occurred_at,
                          "checked_by": env.actor.name},
        "updated_at": env.occurred_at})


async def rooms_planned(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "session_plans", env.aggregate_id, env.aggregate_version, {
        "rooms": env.data["rooms"], "rundown": env.data["rundown"], "planned_at": env.occurred_at,
        "updated_at": env.occurred_at})


async def verifier_appointed(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "session_plans", env.aggregate_id, env.aggregate_version, {
        "verifier": env.data["verifier"], "updated_at": env.occurred_at})


async def invitation_issued(store: ReadStore, env: Envelope) -> None:
    """What the asesi's case page shows (not the sealed e-mail address)."""
    await store.upsert_versioned(SERVICE, "invitations", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "case_id": env.correlation_id, "asesi": env.data["asesi"],
        **{key: env.data[key] for key in ("schedule_id", "session", "room", "rundown", "scheme")},
        "issued_at": env.occurred_at})


async def tuk_verified(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "tuk_verifications", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "case_id": env.correlation_id, "asesi": env.data["asesi"],
        "schedule_id": env.data["schedule_id"], "conclusion": env.data["conclusion"], "data": env.data["data"],
        "signature": env.data["signature"], "verifier": {"id": env.actor.id, "name": env.actor.name},
        "verified_at": env.occurred_at})


async def case_held_for_reschedule(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version, {
        "needs_reschedule": env.data["reason"], "updated_at": env.occurred_at})


def schedule_status(status: str):
    async def project(store: ReadStore, env: Envelope) -> None:
        await store.upsert_versioned(SERVICE, "schedules", env.aggregate_id, env.aggregate_version, {
            "status": status, "status_reason": env.data.get("reason"), "updated_at": env.occurred_at})
    return project


PROJECTIONS = {
    "ScheduleCancelled": schedule_status("dibatalkan"),
    "ScheduleFinished": schedule_status("selesai"),
    "AssessorRevised": assessor_revised,
    "AssessorStatusSet": assessor_status_set,
    "TraineeDeclared": trainee_declared,
    "ConflictDeclared": conflict_declared,
    "AssessorAppointed": assessor_appointed,
    "AssignmentDeclined": case_step("declined", "assessor", "reason", "conflict"),
    "AssignmentDelegated": case_step("delegated", "assessor", "to", "reason"),
    "CaseRescheduled": case_step("rescheduled", "assessor", "reason", "old", "new", "invalidated"),
    "ScheduleAssessorAdded": schedule_assessors,
    "ScheduleAssessorRemoved": schedule_assessors,
    "CaseUnplaced": case_unplaced,
    "SchedulingRulesSet": rules_set,
    "SchedulingRulesChanged": rules_set,
    "ScheduleCreated": schedule_created,
    "CasePlaced": case_placed,
    "CaseScheduled": case_scheduled,
    "TukRegistered": tuk_registered,
    "TukRevised": tuk_revised,
    "TukStatusSet": tuk_status_set,
    "AssessorRegistered": assessor_registered,
    "AssessorCaseTaken": assessor_load(+1),
    "AssessorCaseReleased": assessor_load(-1),
    "CaseOpened": case_opened,
    "AssessorAssigned": assessor_assigned,
    "CaseCompleted": case_completed,
    # remote session preparation and the TUK verification
    "SessionPlanOpened": session_plan_opened,
    "SystemsChecked": systems_checked,
    "RoomsPlanned": rooms_planned,
    "VerifierAppointed": verifier_appointed,
    "InvitationIssued": invitation_issued,
    "TukVerified": tuk_verified,
    "CaseHeldForReschedule": case_held_for_reschedule,
    **OUTBOX_PROJECTIONS,
}


# ---- official letters (SOP 1.4, 1.6.5-1.6.6) and the outbox of scheduling's e-mail notices -----------------

async def letter_issued(store: ReadStore, env: Envelope) -> None:
    """A letter as its list, its page and its PDF show it (the addressee's sealed e-mail stays in the event)."""
    await store.upsert_versioned(SERVICE, "letters", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "status": "draft", "signature": None, "issued_at": env.occurred_at,
        "issued_by": {"id": env.actor.id, "name": env.actor.name}, "updated_at": env.occurred_at,
        **{key: env.data[key] for key in ("kind", "number", "year", "subject", "addressee", "data", "letterhead")}})


async def letter_signed(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "letters", env.aggregate_id, env.aggregate_version, {
        "status": "signed", "signature": env.data["signature"], "signed_at": env.occurred_at,
        "updated_at": env.occurred_at})


async def letter_received(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "letters", env.aggregate_id, env.aggregate_version, {
        "status": "received", "received_at": env.occurred_at, "updated_at": env.occurred_at})


async def letter_revoked(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "letters", env.aggregate_id, env.aggregate_version, {
        "status": "revoked", "revoked_because": env.data["reason"], "revoked_at": env.occurred_at,
        "updated_at": env.occurred_at})


PROJECTIONS.update({
    **OUTBOX_PROJECTIONS,
    "LetterRevoked": letter_revoked,
    "LetterIssued": letter_issued,
    "LetterSigned": letter_signed,
    "LetterReceiptConfirmed": letter_received,
})
