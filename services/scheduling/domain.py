"""Scheduling (SOP 1.5): the assessor registry and assigning a competent, free assessor to a case."""
import re
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from services.scheduling.forms import (
    CEK_SISTEM,
    JADWAL,
    LAYAK,
    TIDAK_LAYAK,
    TIDAK_SESUAI,
    TUK,
    TUK_ROWS,
    VERIFIKASI_TUK,
)
from shared.aggregate import Actor, CasePart, TenantAggregate, stable_id
from shared.errors import Conflict, Invalid
from shared.signing import sign
from shared.status import Transitions

MET_NUMBER = re.compile(r"^MET\.\d{3}\.\d{6}[ .]\d{4}$")  # e.g. MET.000.001668.2012
MAX_ACTIVE_CASES = 10  # "1 asesor <= 10 asesi" in independent LSP apps; no BNSP text found


def assessor_id(tenant: str, user_id: str) -> UUID:
    return stable_id("assessor", tenant, user_id)


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Invalid("must be a date (YYYY-MM-DD)", field=field) from None


class Assessor(TenantAggregate):
    """A licensed asesor of a branch (No. Reg. MET, expiry, schemes) and the cases they hold."""

    @staticmethod
    def create_id(tenant: str, user_id: str) -> UUID:
        return assessor_id(tenant, user_id)  # one registry entry per user per branch

    @event("AssessorRegistered")
    def __init__(self, tenant: str, actor: Actor, user_id: str, name: str, met_number: str,
                 valid_until: str, scheme_numbers: list[str]):
        self.tenant = tenant
        self.user_id = user_id
        self.name = name
        self.met_number = met_number
        self.valid_until = valid_until
        self.scheme_numbers = scheme_numbers
        self.active_cases: list[str] = []

    @classmethod
    def register(cls, tenant: str, actor: Actor, user_id: str, name: str, met_number: str,
                 valid_until: str, scheme_numbers: list[str]) -> "Assessor":
        met_number = met_number.strip()
        if not MET_NUMBER.match(met_number):
            raise Invalid("MET number must look like MET.000.001668.2012", field="met_number")
        parse_date(valid_until, "valid_until")
        numbers = list(dict.fromkeys(n.strip() for n in scheme_numbers if n.strip()))
        if not numbers:
            raise Invalid("an assessor needs at least one scheme", field="scheme_numbers")
        return cls(tenant=tenant, actor=actor, user_id=user_id, name=name, met_number=met_number,
                   valid_until=valid_until, scheme_numbers=numbers)

    def reference(self) -> dict[str, str]:
        """What a case keeps of its assessor (the AssessorAssigned contract's assessor)."""
        return {"id": self.user_id, "name": self.name, "met_number": self.met_number}

    def check_can_take(self, scheme_number: str, today: date, limit: int) -> None:
        if scheme_number not in self.scheme_numbers:
            raise Invalid("{name} is not registered as competent in scheme {scheme}; choose an assessor of this "
                          "scheme", field="assessor_id", name=self.name, scheme=scheme_number)
        if parse_date(self.valid_until, "valid_until") < today:
            raise Conflict("the MET registration of {name} expired on {date}; it must be renewed (RCC) before "
                           "assigning", field="assessor_id", name=self.name, date=self.valid_until)
        if len(self.active_cases) >= limit:
            raise Conflict("{name} already holds {count} active cases (limit {limit})", field="assessor_id",
                           name=self.name, count=len(self.active_cases), limit=limit)

    @event("AssessorCaseTaken")
    def take_case(self, actor: Actor, case_id: str) -> None:
        self.active_cases.append(case_id)

    @event("AssessorCaseReleased")
    def release_case(self, actor: Actor, case_id: str, caused_by: str) -> None:
        self.active_cases.remove(case_id)


class ScheduleStatus(StrEnum):
    AWAITING_ASSESSOR = "awaiting_assessor"
    ASSIGNED = "assigned"
    COMPLETED = "completed"


SCHEDULE = Transitions("case", ScheduleStatus, {
    ScheduleStatus.AWAITING_ASSESSOR: {"assign": ScheduleStatus.ASSIGNED},
    ScheduleStatus.ASSIGNED: {"complete": ScheduleStatus.COMPLETED},  # the assessor has recommended
    ScheduleStatus.COMPLETED: {},
})


class ScheduleCase(TenantAggregate):
    """One certification case as scheduling sees it; its id is the case id."""

    # An __init__ "id" parameter makes eventsourcing use the given case id as the aggregate id.
    @event("CaseOpened")
    def __init__(self, id: UUID, tenant: str, actor: Actor, caused_by: str,  # noqa: A002
                 asesi: dict[str, str], scheme: dict[str, Any], invoice_number: str, amount: int):
        self.tenant = tenant
        self.asesi = asesi
        self.scheme = scheme
        self.invoice_number = invoice_number
        self.amount = amount
        self.status = ScheduleStatus.AWAITING_ASSESSOR
        self.assessor: dict[str, str] | None = None

    @classmethod
    def open(cls, case_id: UUID, tenant: str, actor: Actor, caused_by: str, asesi: dict[str, str],
             scheme: dict[str, Any], invoice_number: str, amount: int) -> "ScheduleCase":
        return cls(id=case_id, tenant=tenant, actor=actor, caused_by=caused_by, asesi=asesi,
                   scheme=scheme, invoice_number=invoice_number, amount=amount)

    def place(self, actor: Actor, schedule_id: str) -> None:
        """Into a schedule (an asesi sits in one session at a time: another place is a reschedule)."""
        if getattr(self, "schedule_id", None):
            raise Conflict("the case already has a place in a schedule", field="case_id")
        if self.status == ScheduleStatus.COMPLETED:
            raise Conflict("not possible while the case is '{status}'", status=str(self.status))
        self._case_placed(actor=actor, schedule_id=schedule_id)

    @event("CaseScheduled")
    def _case_placed(self, actor: Actor, schedule_id: str) -> None:
        self.schedule_id = schedule_id

    def assign(self, actor: Actor, assessor: Assessor, today: date, limit: int) -> None:
        SCHEDULE.next(self.status, "assign")
        if assessor.tenant != self.tenant:
            raise Invalid("the assessor belongs to another branch", field="assessor_id")
        if assessor.user_id == self.asesi["id"]:
            raise Conflict("conflict of interest: an asesi cannot assess themself", field="assessor_id")
        assessor.check_can_take(self.scheme["number"], today, limit)
        assessor.take_case(actor=actor, case_id=str(self.id))
        self._assigned(actor=actor, asesi=self.asesi, scheme=self.scheme, assessor=assessor.reference())

    @event("AssessorAssigned")
    def _assigned(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                  assessor: dict[str, str]) -> None:
        self.assessor = assessor
        self.status = ScheduleStatus.ASSIGNED

    def complete(self, actor: Actor, caused_by: str, assessor: Assessor) -> None:
        """The assessor has recommended: the case no longer counts towards their load."""
        SCHEDULE.next(self.status, "complete")
        assessor.release_case(actor=actor, case_id=str(self.id), caused_by=caused_by)
        self._completed(actor=actor, caused_by=caused_by)

    @event("CaseCompleted")
    def _completed(self, actor: Actor, caused_by: str) -> None:
        self.status = ScheduleStatus.COMPLETED

    # -- a TUK found TIDAK LAYAK (SOP 2.4.1) sends the case back to be scheduled again --
    def hold_for_reschedule(self, actor: Actor, reason: str) -> None:
        """The case needs a new schedule (the orchestrator's rescheduling clears it); saying it twice
        for the same reason changes nothing."""
        if getattr(self, "needs_reschedule", None) == reason:
            return
        self._held_for_reschedule(actor=actor, reason=reason)

    @event("CaseHeldForReschedule")
    def _held_for_reschedule(self, actor: Actor, reason: str) -> None:
        self.needs_reschedule = reason


# -- the TUK registry (SOP 1.4) ------------------------------------------------------------------------------

class TukStatus(StrEnum):
    AKTIF = "aktif"  # schedules may be held there
    NONAKTIF = "nonaktif"  # kept for the record (past schedules name it), offered for none


TUK_STATUS = Transitions("TUK", TukStatus, {
    TukStatus.AKTIF: {"revise": TukStatus.AKTIF, "deactivate": TukStatus.NONAKTIF},
    TukStatus.NONAKTIF: {"revise": TukStatus.NONAKTIF, "activate": TukStatus.AKTIF},
})


def checked_tuk(values: dict[str, Any]) -> dict[str, Any]:
    """The TUK's data as its form defines it, and the rules across fields: an on-site TUK has an
    address; a decree number comes with its validity (and a validity with its number)."""
    data = TUK.check(values, partial=False)
    if data.get("jarak_jauh") == "tidak" and not data.get("alamat"):
        raise Invalid("an on-site TUK needs its address", field="alamat")
    if bool(data.get("nomor_sk")) != bool(data.get("sk_berlaku_sampai")):
        field = "sk_berlaku_sampai" if data.get("nomor_sk") else "nomor_sk"
        raise Invalid("the TUK's decree needs both its number and its validity", field=field)
    return {**data, "kapasitas": int(data["kapasitas"])}


class Tuk(TenantAggregate):
    """A test centre in the branch's registry: its kind, where (an address, or online), capacity, decree."""

    @event("TukRegistered")
    def __init__(self, tenant: str, actor: Actor, data: dict[str, Any], signature: dict[str, Any]):
        self.tenant = tenant
        self.data = data
        self.signature = signature
        self.status = TukStatus.AKTIF

    @classmethod
    def register(cls, tenant: str, actor: Actor, values: dict[str, Any]) -> "Tuk":
        data = checked_tuk(values)
        return cls(tenant=tenant, actor=actor, data=data, signature=sign(actor, TUK.content(data)))

    def revise(self, actor: Actor, values: dict[str, Any]) -> None:
        TUK_STATUS.next(self.status, "revise")
        data = checked_tuk(values)
        self._revised(actor=actor, data=data, signature=sign(actor, TUK.content(data)))

    @event("TukRevised")
    def _revised(self, actor: Actor, data: dict[str, Any], signature: dict[str, Any]) -> None:
        self.data = data
        self.signature = signature

    def set_active(self, actor: Actor, active: bool) -> None:
        status = TUK_STATUS.next(self.status, "activate" if active else "deactivate")
        self._status_set(actor=actor, status=status.value)

    @event("TukStatusSet")
    def _status_set(self, actor: Actor, status: str) -> None:
        self.status = TukStatus(status)


# -- schedules (SOP 1.6.1-1.6.4) -----------------------------------------------------------------------------

class JadwalStatus(StrEnum):
    TERJADWAL = "terjadwal"
    SELESAI = "selesai"
    DIBATALKAN = "dibatalkan"


JADWAL_STATUS = Transitions("schedule", JadwalStatus, {
    JadwalStatus.TERJADWAL: {"place": JadwalStatus.TERJADWAL, "finish": JadwalStatus.SELESAI,
                             "cancel": JadwalStatus.DIBATALKAN},
    JadwalStatus.SELESAI: {},
    JadwalStatus.DIBATALKAN: {},
})


def checked_schedule(values: dict[str, Any], tuk: "Tuk", today: date) -> dict[str, Any]:
    """The schedule as its form defines it, and the rules across fields and with its TUK: it ends after it
    starts, is not in the past, is held in a TUK in use that holds its maximum quota, and a remote TUK's
    schedule has its video-conference link."""
    data = JADWAL.check(values, partial=False)
    if data["selesai"] <= data["mulai"]:
        raise Invalid("the schedule must end after it starts", field="selesai")
    if date.fromisoformat(data["tanggal"]) < today:
        raise Invalid("a schedule cannot be set in the past", field="tanggal")
    low, high = int(data["kuota_min"]), int(data["kuota_maks"])
    if low > high:
        raise Invalid("the minimum quota cannot exceed the maximum", field="kuota_min")
    if tuk.status != TukStatus.AKTIF:
        raise Conflict("this TUK is not in use", field="tuk_id")
    if high > tuk.data["kapasitas"]:
        raise Invalid("the maximum quota exceeds the TUK's capacity of {capacity}", field="kuota_maks",
                      capacity=tuk.data["kapasitas"])
    if tuk.data["jarak_jauh"] == "ya" and not data.get("tautan"):
        raise Invalid("a remote schedule needs its video-conference link", field="tautan")
    return {**data, "kuota_min": low, "kuota_maks": high, "jarak_jauh": tuk.data["jarak_jauh"],
            "tuk": {"id": str(tuk.id), "nama": tuk.data["nama"]}}


class Jadwal(TenantAggregate):
    """An assessment session of one scheme at a TUK, with its seats. Placing a case takes a seat: two
    admins placing the last seat at once save the same version, and the store lets only one of them."""

    @event("ScheduleCreated")
    def __init__(self, tenant: str, actor: Actor, data: dict[str, Any]):
        self.tenant = tenant
        self.data = data
        self.status = JadwalStatus.TERJADWAL
        self.seats: list[str] = []

    @classmethod
    def create(cls, tenant: str, actor: Actor, values: dict[str, Any], tuk: "Tuk", today: date) -> "Jadwal":
        if tuk.tenant != tenant:
            raise Invalid("the TUK belongs to another branch", field="tuk_id")
        return cls(tenant=tenant, actor=actor, data=checked_schedule(values, tuk, today))

    def place(self, actor: Actor, case: "ScheduleCase") -> None:
        JADWAL_STATUS.next(self.status, "place")
        case_id = str(case.id)
        if case_id in self.seats:
            raise Conflict("this case is already placed in this schedule", field="case_id")
        if case.scheme["number"] != self.data["skema"]:
            raise Invalid("the case applied for scheme {scheme}, not this schedule's", field="case_id",
                          scheme=case.scheme["number"])
        if len(self.seats) >= self.data["kuota_maks"]:
            raise Conflict("the schedule is full ({count} of {quota} seats)", field="case_id",
                           count=len(self.seats), quota=self.data["kuota_maks"])
        case.place(actor, str(self.id))
        self._placed(actor=actor, case_id=case_id, asesi=case.asesi)

    @event("CasePlaced")
    def _placed(self, actor: Actor, case_id: str, asesi: dict[str, str]) -> None:
        self.seats.append(case_id)


def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two sessions (tanggal, mulai, selesai in WIB) share any minute."""
    return a["tanggal"] == b["tanggal"] and a["mulai"] < b["selesai"] and b["mulai"] < a["selesai"]


class Calendar(TenantAggregate):
    """A person's sessions in a branch (an asesi's, later an assessor's): saved with every placement, so
    two placements of one person in overlapping sessions cannot both succeed, even at the same moment."""

    @staticmethod
    def create_id(tenant: str, person_id: str) -> UUID:
        return stable_id("calendar", tenant, person_id)

    @event("CalendarOpened")
    def __init__(self, tenant: str, actor: Actor, person_id: str):
        self.tenant = tenant
        self.person_id = person_id
        self.sessions: dict[str, dict[str, str]] = {}

    def book(self, actor: Actor, schedule: "Jadwal") -> None:
        session = {key: schedule.data[key] for key in ("tanggal", "mulai", "selesai")}
        for schedule_id, other in self.sessions.items():
            if schedule_id != str(schedule.id) and overlaps(session, other):
                raise Conflict("the asesi already has a session at that time ({date} {start}-{end} WIB)",
                               field="case_id", date=other["tanggal"], start=other["mulai"], end=other["selesai"])
        self._booked(actor=actor, schedule_id=str(schedule.id), session=session)

    @event("SessionBooked")
    def _booked(self, actor: Actor, schedule_id: str, session: dict[str, str]) -> None:
        self.sessions[schedule_id] = session


# -- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) -------------------

ROOM_NAME = re.compile(r"^[^\s].{0,59}$")
RUNDOWN_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](\s*-\s*([01][0-9]|2[0-3]):[0-5][0-9])?$")
MAX_RUNDOWN_LINES = 30
TUK_REMOTE_KIND = "sewaktu"  # SOP 2.4.1 verifies online the asesi's own place: a remote TUK Sewaktu


def session_plan_id(schedule_id: str | UUID) -> UUID:
    """The preparation of one schedule: derived from its id, so whoever knows the schedule finds it."""
    return stable_id("session-plan", str(schedule_id))


def default_rooms(schedule: "Jadwal") -> dict[str, str]:
    """The proposal the admin starts from: one breakout room per seated case, in seat order."""
    return {case_id: f"Ruang {number}" for number, case_id in enumerate(schedule.seats, start=1)}


def check_preparable(schedule: "Jadwal") -> None:
    if schedule.status != JadwalStatus.TERJADWAL:
        raise Conflict("not possible while the schedule is '{status}'", status=str(schedule.status))
    if schedule.data.get("jarak_jauh") != "ya":
        raise Conflict("only a remote schedule (online TUK) is prepared this way", field="schedule_id")


def checked_rooms(schedule: "Jadwal", rooms: dict[str, str]) -> dict[str, str]:
    """One room per seated case, each asesi alone in theirs (with their assessor), names trimmed."""
    plan: dict[str, str] = {}
    taken: dict[str, str] = {}
    for case_id, name in rooms.items():
        if case_id not in schedule.seats:
            raise Invalid("case {case} is not seated in this schedule", field="rooms", case=case_id)
        room = " ".join(str(name or "").split())
        if not ROOM_NAME.match(room):
            raise Invalid("every participant needs a room name (up to 60 characters)", field="rooms")
        if room.casefold() in taken:
            raise Invalid("two asesi cannot share the room {room}", field="rooms", room=room)
        taken[room.casefold()] = case_id
        plan[case_id] = room
    if missing := [case_id for case_id in schedule.seats if case_id not in plan]:
        raise Invalid("every seated participant needs a room; missing: {cases}", field="rooms", cases=missing)
    return {case_id: plan[case_id] for case_id in schedule.seats}  # in seat order


def checked_rundown(lines: list[dict[str, str]]) -> list[dict[str, str]]:
    """The session's rundown: (time WIB, activity) lines, in the order given."""
    if len(lines) > MAX_RUNDOWN_LINES:
        raise Invalid("a rundown has at most {count} lines", field="rundown", count=MAX_RUNDOWN_LINES)
    kept = []
    for line in lines:
        time, activity = " ".join(str(line.get("waktu") or "").split()), " ".join(
            str(line.get("kegiatan") or "").split())
        if not time and not activity:
            continue  # an empty row of the page's form
        if not RUNDOWN_TIME.match(time):
            raise Invalid("each rundown line needs its time as HH:MM or HH:MM-HH:MM", field="rundown")
        if not activity or len(activity) > 200:
            raise Invalid("each rundown line needs its activity (up to 200 characters)", field="rundown")
        kept.append({"waktu": time, "kegiatan": activity})
    return kept


class SessionPlan(TenantAggregate):
    """How a remote schedule is prepared: the admin's systems check (SOP 3.1), the breakout rooms and the
    rundown (SOP 3.2), and the TUK verifier appointed (SOP 2.4.1). Its own aggregate beside the schedule,
    so preparing a session never collides (409) with placing cases into its seats."""

    @staticmethod
    def create_id(tenant: str, schedule_id: str) -> UUID:
        return session_plan_id(schedule_id)

    @event("SessionPlanOpened")
    def __init__(self, tenant: str, actor: Actor, schedule_id: str):
        self.tenant = tenant
        self.schedule_id = schedule_id
        self.systems_check: dict[str, Any] | None = None
        self.rooms: dict[str, str] = {}
        self.rundown: list[dict[str, str]] = []
        self.verifier: dict[str, str] | None = None

    def check_systems(self, actor: Actor, schedule: "Jadwal", values: dict[str, Any]) -> None:
        """Recorded again, it replaces the previous check (each stays in the history)."""
        check_preparable(schedule)
        data = CEK_SISTEM.check(values, partial=False)
        self._systems_checked(actor=actor, schedule_id=self.schedule_id, data=data,
                              signature=sign(actor, CEK_SISTEM.content(data, schedule_id=self.schedule_id)))

    @event("SystemsChecked")
    def _systems_checked(self, actor: Actor, schedule_id: str, data: dict[str, Any],
                         signature: dict[str, Any]) -> None:
        self.systems_check = {"data": data, "signature": signature}

    def plan_rooms(self, actor: Actor, schedule: "Jadwal", rooms: dict[str, str],
                   rundown: list[dict[str, str]]) -> None:
        check_preparable(schedule)
        rooms, rundown = checked_rooms(schedule, rooms), checked_rundown(rundown)
        if (rooms, rundown) == (self.rooms, self.rundown):
            return  # saved again unchanged: nothing happens
        self._rooms_planned(actor=actor, schedule_id=self.schedule_id, rooms=rooms, rundown=rundown)

    @event("RoomsPlanned")
    def _rooms_planned(self, actor: Actor, schedule_id: str, rooms: dict[str, str],
                       rundown: list[dict[str, str]]) -> None:
        self.rooms = rooms
        self.rundown = rundown

    def appoint_verifier(self, actor: Actor, schedule: "Jadwal", tuk: "Tuk", verifier: dict[str, str]) -> None:
        check_preparable(schedule)
        if tuk.data.get("jenis") != TUK_REMOTE_KIND:
            raise Conflict("only a remote TUK Sewaktu is verified online", field="schedule_id")
        if self.verifier and self.verifier["id"] == verifier["id"]:
            return  # appointed already: nothing changes
        self._verifier_appointed(actor=actor, schedule_id=self.schedule_id, verifier=verifier)

    @event("VerifierAppointed")
    def _verifier_appointed(self, actor: Actor, schedule_id: str, verifier: dict[str, str]) -> None:
        self.verifier = verifier


class Invitation(CasePart):
    """The seated asesi's invitation to a remote session (date, time, link, their room, the rundown); issued
    again whenever the room plan changes. Its id is case_part_id(case, "undangan")."""

    part = "undangan"

    @event("InvitationOpened")
    def __init__(self, id: UUID, tenant: str, actor: Actor, correlation_id: str,  # noqa: A002
                 asesi: dict[str, str]):
        self.tenant = tenant
        self.case_id = correlation_id
        self.asesi = asesi
        self.current: dict[str, Any] | None = None

    @classmethod
    def open_for(cls, actor: Actor, case: "ScheduleCase") -> "Invitation":
        return cls(id=cls.id_for(case.id), tenant=case.tenant, actor=actor, correlation_id=str(case.id),
                   asesi=case.asesi)

    def issue(self, actor: Actor, schedule: "Jadwal", room: str, rundown: list[dict[str, str]],
              scheme: dict[str, Any], contact: str = "") -> bool:
        """Whether anything changed (an unchanged plan saved again invites nobody twice). `contact`: the
        asesi's e-mail address, already sealed with the service's vault (the event holds no personal data)."""
        session = {key: schedule.data.get(key) for key in ("tanggal", "mulai", "selesai", "tautan", "tuk", "skema")}
        invitation = {"schedule_id": str(schedule.id), "session": session, "room": room, "rundown": rundown,
                      "scheme": {"number": scheme.get("number"), "title": scheme.get("title")}}
        if invitation == self.current:
            return False
        self._issued(actor=actor, asesi=self.asesi, contact=contact, **invitation)
        return True

    @event("InvitationIssued")
    def _issued(self, actor: Actor, asesi: dict[str, str], contact: str, schedule_id: str, session: dict[str, Any],
                room: str, rundown: list[dict[str, str]], scheme: dict[str, Any]) -> None:
        self.contact = contact
        self.current = {"schedule_id": schedule_id, "session": session, "room": room, "rundown": rundown,
                        "scheme": scheme}


def checked_verification(values: dict[str, Any]) -> dict[str, Any]:
    """The checklist as its form defines it, and its rules across fields: a row found "tidak sesuai" says
    why; a conclusion LAYAK needs every row "sesuai" (else at least LAYAK DENGAN PERBAIKAN)."""
    data = VERIFIKASI_TUK.check(values, partial=False)
    failing = [name for name, _ in TUK_ROWS if data.get(name) == TIDAK_SESUAI]
    for name in failing:
        if not data.get(f"{name}_catatan"):
            raise Invalid("a row found 'tidak sesuai' needs a note saying why", field=f"{name}_catatan")
    if failing and data["kesimpulan"] == LAYAK:
        raise Invalid("LAYAK cannot be concluded with a row 'tidak sesuai'; at least LAYAK DENGAN PERBAIKAN",
                      field="kesimpulan")
    return data


class TukVerification(CasePart):
    """The online verification of one participant's own place (SOP 2.4.1), signed by the appointed verifier;
    verified again (e.g. after rescheduling), the latest counts. Id case_part_id(case, "verifikasi_tuk")."""

    part = "verifikasi_tuk"

    @event("TukVerificationOpened")
    def __init__(self, id: UUID, tenant: str, actor: Actor, correlation_id: str,  # noqa: A002
                 asesi: dict[str, str]):
        self.tenant = tenant
        self.case_id = correlation_id
        self.asesi = asesi
        self.latest: dict[str, Any] | None = None

    @classmethod
    def open_for(cls, actor: Actor, case: "ScheduleCase") -> "TukVerification":
        return cls(id=cls.id_for(case.id), tenant=case.tenant, actor=actor, correlation_id=str(case.id),
                   asesi=case.asesi)

    def verify(self, actor: Actor, plan: SessionPlan, schedule: "Jadwal", values: dict[str, Any]) -> str:
        """Records the checklist; returns its conclusion."""
        check_preparable(schedule)
        if not plan.verifier or plan.verifier["id"] != actor["id"]:
            raise Conflict("only the verifier appointed on this schedule signs its TUK verification",
                           field="verifier")
        if self.case_id not in schedule.seats:
            raise Invalid("case {case} is not seated in this schedule", field="case_id", case=self.case_id)
        data = checked_verification(values)
        content = VERIFIKASI_TUK.content(data, case_id=self.case_id, schedule_id=str(schedule.id))
        self._verified(actor=actor, asesi=self.asesi, schedule_id=str(schedule.id), conclusion=data["kesimpulan"],
                       data=data, signature=sign(actor, content))
        return data["kesimpulan"]

    @event("TukVerified")
    def _verified(self, actor: Actor, asesi: dict[str, str], schedule_id: str, conclusion: str,
                  data: dict[str, Any], signature: dict[str, Any]) -> None:
        self.latest = {"schedule_id": schedule_id, "conclusion": conclusion, "data": data, "signature": signature}

    @property
    def blocks(self) -> bool:
        return bool(self.latest and self.latest["conclusion"] == TIDAK_LAYAK)
