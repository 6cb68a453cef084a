"""Scheduling (SOP 1.5): the assessor registry and assigning a competent, free assessor to a case."""
import re
import string
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from services.scheduling.forms import (
    CEK_SISTEM,
    JADWAL,
    KETIDAKBERPIHAKAN,
    LAYAK,
    LETTER_FORMS,
    PENOMORAN,
    TIDAK_LAYAK,
    TIDAK_SESUAI,
    TUK,
    TUK_ROWS,
    VERIFIKASI_TUK,
)
from services.scheduling.forms import LETTER_KINDS as FORM_KINDS
from shared.aggregate import Actor, CasePart, TenantAggregate, stable_id
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.signing import sign
from shared.status import Transitions

MET_NUMBER = re.compile(r"^MET\.\d{3}\.\d{6}[ .]\d{4}$")  # e.g. MET.000.001668.2012
SCHEME_NUMBER = re.compile(r"[A-Za-z0-9./_-]{1,64}")
ASESI_PER_ASSESSOR = 10  # per session: "1 asesor <= 10 asesi" in independent LSP apps; a branch may change it


def assessor_id(tenant: str, user_id: str) -> UUID:
    return stable_id("assessor", tenant, user_id)


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Invalid("must be a date (YYYY-MM-DD)", field=field) from None


class AssessorStatus(StrEnum):
    AKTIF = "aktif"
    NONAKTIF = "nonaktif"  # taken off the registry's active list (leave, suspension); "kedaluwarsa" is the MET date


def institution_key(name: str | None) -> str:
    """An institution's name as compared for conflicts of interest: case and spacing do not matter."""
    return " ".join(str(name or "").split()).casefold()


def checked_evidence(evidence: dict[str, str] | None, numbers: list[str]) -> dict[str, str]:
    """Technical-competence evidence per scheme the assessor holds (certificate, experience), as text."""
    evidence = {str(k).strip(): " ".join(str(v).split())[:500] for k, v in (evidence or {}).items() if str(v).strip()}
    if unknown := [k for k in evidence if k not in numbers]:
        raise Invalid("evidence is given for a scheme the assessor does not hold: {schemes}", field="evidence",
                      schemes=unknown)
    return evidence


class Assessor(TenantAggregate):
    """A licensed asesor of a branch: No. Reg. MET and its expiry, status, the schemes they are competent in with
    their evidence, the institutions they belong to and the asesi they declared they trained (both keep them from
    assessing those asesi), and the cases they hold."""

    @staticmethod
    def create_id(tenant: str, user_id: str) -> UUID:
        return assessor_id(tenant, user_id)  # one registry entry per user per branch

    @event("AssessorRegistered")
    def __init__(self, tenant: str, actor: Actor, user_id: str, name: str, met_number: str,
                 valid_until: str, scheme_numbers: list[str], evidence: dict[str, str] | None = None,
                 institutions: list[str] | None = None, unavailable: list[str] | None = None):
        self.tenant = tenant
        self.user_id = user_id
        self.name = name
        self.met_number = met_number
        self.valid_until = valid_until
        self.scheme_numbers = scheme_numbers
        self.evidence = evidence or {}
        self.institutions = institutions or []
        self.unavailable = unavailable or []  # dates (YYYY-MM-DD) they cannot assess: leave, other duties
        self.trainees: list[str] = []
        self.status = AssessorStatus.AKTIF
        self.active_cases: list[str] = []

    @staticmethod
    def checked(met_number: str, valid_until: str, scheme_numbers: list[str], evidence: dict[str, str] | None,
                institutions: list[str] | None, unavailable: list[str] | None = None) -> dict[str, Any]:
        met_number = met_number.strip()
        if not MET_NUMBER.match(met_number):
            raise Invalid("MET number must look like MET.000.001668.2012", field="met_number")
        parse_date(valid_until, "valid_until")
        numbers = list(dict.fromkeys(n.strip() for n in scheme_numbers if n.strip()))
        if not numbers:
            raise Invalid("an assessor needs at least one scheme", field="scheme_numbers")
        if bad := [n for n in numbers if not SCHEME_NUMBER.fullmatch(n)]:
            raise Invalid("not a scheme number: {schemes}", field="scheme_numbers", schemes=bad[:3])
        names = list(dict.fromkeys(" ".join(i.split())[:300] for i in institutions or () if i.strip()))
        days = sorted({parse_date(day.strip(), "unavailable").isoformat() for day in unavailable or () if day.strip()})
        return {"met_number": met_number, "valid_until": valid_until, "scheme_numbers": numbers,
                "evidence": checked_evidence(evidence, numbers), "institutions": names, "unavailable": days[:366]}

    @classmethod
    def register(cls, tenant: str, actor: Actor, user_id: str, name: str, met_number: str,
                 valid_until: str, scheme_numbers: list[str], evidence: dict[str, str] | None = None,
                 institutions: list[str] | None = None, unavailable: list[str] | None = None) -> "Assessor":
        return cls(tenant=tenant, actor=actor, user_id=user_id, name=name,
                   **cls.checked(met_number, valid_until, scheme_numbers, evidence, institutions, unavailable))

    def revise(self, actor: Actor, met_number: str, valid_until: str, scheme_numbers: list[str],
               evidence: dict[str, str] | None, institutions: list[str] | None,
               unavailable: list[str] | None = None) -> None:
        """A renewed MET registration (RCC), schemes added or dropped, evidence, institutions, days away."""
        self._revised(actor=actor, **self.checked(met_number, valid_until, scheme_numbers, evidence, institutions,
                                                  unavailable))

    @event("AssessorRevised")
    def _revised(self, actor: Actor, met_number: str, valid_until: str, scheme_numbers: list[str],
                 evidence: dict[str, str], institutions: list[str], unavailable: list[str] | None = None) -> None:
        self.met_number, self.valid_until, self.scheme_numbers = met_number, valid_until, scheme_numbers
        self.evidence, self.institutions, self.unavailable = evidence, institutions, unavailable or []

    def set_active(self, actor: Actor, active: bool, reason: str) -> None:
        status = AssessorStatus.AKTIF if active else AssessorStatus.NONAKTIF
        if status == self.status:
            raise Conflict("the assessor is already '{status}'", field="status", status=status.value)
        if not active and not reason.strip():
            raise Invalid("say why the assessor is taken off the active list", field="reason")
        self._status_set(actor=actor, status=status.value, reason=reason.strip())

    @event("AssessorStatusSet")
    def _status_set(self, actor: Actor, status: str, reason: str) -> None:
        self.status = AssessorStatus(status)

    def reference(self) -> dict[str, str]:
        """What a case keeps of its assessor (the AssessorAssigned contract's assessor)."""
        return {"id": self.user_id, "name": self.name, "met_number": self.met_number}

    def check_can_assess(self, scheme_number: str, on: date, asesi: dict[str, Any]) -> None:
        """Competent in the scheme, active, MET valid on the assessment date, no conflict of interest."""
        if scheme_number not in self.scheme_numbers:
            raise Invalid("{name} is not registered as competent in scheme {scheme}; choose an assessor of this "
                          "scheme", field="assessor_id", name=self.name, scheme=scheme_number)
        if getattr(self, "status", AssessorStatus.AKTIF) != AssessorStatus.AKTIF:
            raise Conflict("{name} is not active in the assessor registry", field="assessor_id", name=self.name)
        if on.isoformat() in getattr(self, "unavailable", []):
            raise Conflict("{name} is not available on {date}", field="assessor_id", name=self.name,
                           date=on.isoformat())
        if parse_date(self.valid_until, "valid_until") < on:
            raise Conflict("the MET registration of {name} is not valid on {date} (it ends {until}); it must be "
                           "renewed (RCC) first", field="assessor_id", name=self.name, date=on.isoformat(),
                           until=self.valid_until)
        if self.user_id == asesi["id"]:
            raise Conflict("conflict of interest: an asesi cannot assess themself", field="assessor_id")
        institution = institution_key(asesi.get("institution"))
        if institution and institution in {institution_key(i) for i in getattr(self, "institutions", [])}:
            raise Conflict("conflict of interest: {name} is from the asesi's institution", field="assessor_id",
                           name=self.name)
        if asesi["id"] in getattr(self, "trainees", []):
            raise Conflict("conflict of interest: {name} declared they trained this asesi", field="assessor_id",
                           name=self.name)
        if asesi["id"] in getattr(self, "conflicts", {}):
            raise Conflict("conflict of interest: {name} declared one with this asesi", field="assessor_id",
                           name=self.name)

    @event("AssessorCaseTaken")
    def take_case(self, actor: Actor, case_id: str) -> None:
        self.active_cases.append(case_id)

    @event("AssessorCaseReleased")
    def release_case(self, actor: Actor, case_id: str, caused_by: str) -> None:
        self.active_cases.remove(case_id)

    @event("TraineeDeclared")
    def declare_trainee(self, actor: Actor, asesi_id: str, case_id: str) -> None:
        self.trainees = [*getattr(self, "trainees", []), asesi_id]

    @event("ConflictDeclared")
    def declare_conflict(self, actor: Actor, asesi_id: str, case_id: str, kind: str) -> None:
        """Same institution, family, another interest: as binding as having trained them."""
        self.conflicts = {**getattr(self, "conflicts", {}), asesi_id: kind}


class ScheduleStatus(StrEnum):
    AWAITING_ASSESSOR = "awaiting_assessor"
    APPOINTED = "appointed"  # the assessor is asked, and has not yet confirmed
    ASSIGNED = "assigned"  # the assessor confirmed, with their impartiality declaration (AssessorAssigned)
    COMPLETED = "completed"


SCHEDULE = Transitions("case", ScheduleStatus, {
    ScheduleStatus.AWAITING_ASSESSOR: {"appoint": ScheduleStatus.APPOINTED,
                                       "reschedule": ScheduleStatus.AWAITING_ASSESSOR},
    ScheduleStatus.APPOINTED: {"confirm": ScheduleStatus.ASSIGNED, "decline": ScheduleStatus.AWAITING_ASSESSOR,
                               "delegate": ScheduleStatus.APPOINTED, "reschedule": ScheduleStatus.AWAITING_ASSESSOR},
    ScheduleStatus.ASSIGNED: {"complete": ScheduleStatus.COMPLETED,  # the assessor has recommended
                              "delegate": ScheduleStatus.APPOINTED, "reschedule": ScheduleStatus.AWAITING_ASSESSOR},
    ScheduleStatus.COMPLETED: {},
})
CONFLICTS = ("melatih", "institusi_sama", "hubungan_keluarga", "kepentingan_lain")  # the declaration's questions


def session_of(schedule: "Jadwal") -> dict[str, Any]:
    """What a case and the AssessorAssigned contract keep of a session."""
    return {"id": str(schedule.id), **{k: schedule.data[k] for k in ("tanggal", "mulai", "selesai", "tuk",
                                                                      "jarak_jauh")}}


class ScheduleCase(TenantAggregate):
    """One certification case as scheduling sees it; its id is the case id. Placed in a schedule, then an
    assessor is appointed for that session, who confirms (signing their impartiality declaration) or declines;
    the office may delegate it to another assessor or move the case to another session."""

    # An __init__ "id" parameter makes eventsourcing use the given case id as the aggregate id.
    @event("CaseOpened")
    def __init__(self, id: UUID, tenant: str, actor: Actor, caused_by: str,  # noqa: A002
                 asesi: dict[str, str], scheme: dict[str, Any], invoice_number: str, amount: int,
                 institution: str = ""):
        self.tenant = tenant
        self.asesi = asesi
        self.scheme = scheme
        self.invoice_number = invoice_number
        self.amount = amount
        self.institution = institution
        self.status = ScheduleStatus.AWAITING_ASSESSOR
        self.assessor: dict[str, str] | None = None
        self.confirmed_by: str | None = None  # the last assessor who confirmed (assessment knows them)

    @classmethod
    def open(cls, case_id: UUID, tenant: str, actor: Actor, caused_by: str, asesi: dict[str, str],
             scheme: dict[str, Any], invoice_number: str, amount: int, institution: str = "") -> "ScheduleCase":
        return cls(id=case_id, tenant=tenant, actor=actor, caused_by=caused_by, asesi=asesi,
                   scheme=scheme, invoice_number=invoice_number, amount=amount, institution=institution)

    @property
    def party(self) -> dict[str, Any]:
        """The asesi as the conflict-of-interest check sees them."""
        return {**self.asesi, "institution": getattr(self, "institution", "")}

    def place(self, actor: Actor, schedule: "Jadwal", contact: str = "") -> None:
        """Into a schedule (an asesi sits in one session at a time: another place is a reschedule). `contact`:
        the asesi's e-mail, sealed for them, to tell them of their session (kept for later changes)."""
        if getattr(self, "schedule_id", None):
            raise Conflict("the case already has a place in a schedule", field="case_id")
        if self.status == ScheduleStatus.COMPLETED:
            raise Conflict("not possible while the case is '{status}'", status=str(self.status))
        self._case_placed(actor=actor, schedule_id=str(schedule.id), session=session_of(schedule),
                          contact=contact or getattr(self, "contact", ""))

    @event("CaseScheduled")
    def _case_placed(self, actor: Actor, schedule_id: str, session: dict[str, Any] | None = None,
                     contact: str = "") -> None:
        self.schedule_id = schedule_id
        self.contact = contact

    def appoint(self, actor: Actor, assessor: Assessor, schedule: "Jadwal", limit: int) -> None:
        """The office asks an assessor to assess this case in its session: every rule is checked here."""
        SCHEDULE.next(self.status, "appoint")
        if not getattr(self, "schedule_id", None):
            raise Conflict("place the case in a schedule before appointing its assessor", field="case_id")
        if assessor.tenant != self.tenant:
            raise Invalid("the assessor belongs to another branch", field="assessor_id")
        assert str(schedule.id) == self.schedule_id
        assessor.check_can_assess(self.scheme["number"], date.fromisoformat(schedule.data["tanggal"]), self.party)
        schedule.add_assessor(actor, assessor, str(self.id), limit)
        assessor.take_case(actor=actor, case_id=str(self.id))
        self._appointed(actor=actor, assessor=assessor.reference(), schedule_id=self.schedule_id)

    @event("AssessorAppointed")
    def _appointed(self, actor: Actor, assessor: dict[str, str], schedule_id: str) -> None:
        self.assessor = assessor
        self.status = ScheduleStatus.APPOINTED

    def check_appointed(self, actor: Actor) -> None:
        """Only the appointed assessor answers an appointment; to anyone else it does not exist."""
        if not self.assessor or self.assessor["id"] != actor["id"]:
            raise NotFound("{what} not found", what="assignment")

    def confirm(self, actor: Actor, schedule: "Jadwal", declaration: dict[str, Any]) -> None:
        """The assessor accepts, signing their impartiality declaration about this asesi; assessment opens."""
        self.check_appointed(actor)
        SCHEDULE.next(self.status, "confirm")
        answers = KETIDAKBERPIHAKAN.check(declaration, partial=False)
        if declared := [name for name in CONFLICTS if answers.get(name) == "ya"]:
            raise Conflict("you declared a conflict of interest with this asesi: decline the assignment instead",
                           field=declared[0])
        content = KETIDAKBERPIHAKAN.content(answers, case_id=str(self.id), asesi_id=self.asesi["id"],
                                            schedule_id=self.schedule_id)
        self._assigned(actor=actor, asesi=self.asesi, scheme=self.scheme, assessor=self.assessor,
                       schedule=session_of(schedule), replaces=self.confirmed_by_other(),
                       impartiality=sign(actor, content))

    def confirmed_by_other(self) -> str | None:
        previous = getattr(self, "confirmed_by", None)
        return previous if previous and previous != self.assessor["id"] else None

    @event("AssessorAssigned")
    def _assigned(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any], assessor: dict[str, str],
                  schedule: dict[str, Any] | None = None, replaces: str | None = None,
                  impartiality: dict[str, Any] | None = None) -> None:
        self.assessor = assessor
        self.confirmed_by = assessor["id"]
        self.status = ScheduleStatus.ASSIGNED

    def release(self, actor: Actor, action: str, schedule: "Jadwal", assessor: Assessor, reason: str) -> None:
        """The appointed assessor leaves the case (declined, delegated, or the case moved): their place in the
        session and their load are freed. The case's own step is the caller's event."""
        SCHEDULE.next(self.status, action)
        if action != "reschedule" and not reason.strip():
            raise Invalid("say why", field="reason")
        schedule.remove_assessor(actor, assessor.user_id, str(self.id), action)
        if str(self.id) in assessor.active_cases:
            assessor.release_case(actor=actor, case_id=str(self.id), caused_by=action)

    def decline(self, actor: Actor, schedule: "Jadwal", assessor: Assessor, reason: str, conflict: str) -> None:
        """The assessor declines with a reason; the case goes back to the queue. Declining for a conflict of
        interest (trained them, same institution, family, another interest) records it, so they are never
        appointed to this asesi again."""
        self.check_appointed(actor)
        if conflict and conflict not in CONFLICTS:
            raise Invalid("unknown kind of conflict of interest", field="conflict")
        self.release(actor, "decline", schedule, assessor, reason)
        asesi_id = self.asesi["id"]
        if conflict == "melatih" and asesi_id not in assessor.trainees:
            assessor.declare_trainee(actor=actor, asesi_id=asesi_id, case_id=str(self.id))
        elif conflict and conflict != "melatih" and asesi_id not in getattr(assessor, "conflicts", {}):
            assessor.declare_conflict(actor=actor, asesi_id=asesi_id, case_id=str(self.id), kind=conflict)
        self._declined(actor=actor, assessor=self.assessor, schedule_id=self.schedule_id, reason=reason.strip(),
                       conflict=conflict)

    @event("AssignmentDeclined")
    def _declined(self, actor: Actor, assessor: dict[str, str], schedule_id: str, reason: str, conflict: str
                  ) -> None:
        self.assessor = None
        self.status = ScheduleStatus.AWAITING_ASSESSOR

    def delegate(self, actor: Actor, schedule: "Jadwal", current: Assessor, to: Assessor, reason: str, limit: int
                 ) -> None:
        """The office hands the case to another assessor of the same session (who must then confirm)."""
        if current.user_id == to.user_id:
            raise Conflict("the case is already with this assessor", field="assessor_id")
        self.release(actor, "delegate", schedule, current, reason)
        self._delegated(actor=actor, assessor=self.assessor, to=to.reference(), schedule_id=self.schedule_id,
                        reason=reason.strip())
        self.appoint(actor, to, schedule, limit)

    @event("AssignmentDelegated")
    def _delegated(self, actor: Actor, assessor: dict[str, str], to: dict[str, str], schedule_id: str, reason: str
                   ) -> None:
        self.assessor = None
        self.status = ScheduleStatus.AWAITING_ASSESSOR

    def complete(self, actor: Actor, caused_by: str, assessor: Assessor) -> None:
        """The assessor has recommended: the case no longer counts towards their load."""
        SCHEDULE.next(self.status, "complete")
        if str(self.id) in assessor.active_cases:
            assessor.release_case(actor=actor, case_id=str(self.id), caused_by=caused_by)
        self._completed(actor=actor, caused_by=caused_by)

    @event("CaseCompleted")
    def _completed(self, actor: Actor, caused_by: str) -> None:
        self.status = ScheduleStatus.COMPLETED

    def reschedule(self, actor: Actor, old: "Jadwal", new: "Jadwal", reason: str,
                   assessor: Assessor | None, today: date | None = None) -> None:
        """To another session: the seat, the assessor's appointment and what was signed for the old session
        are given up (and listed), the history keeps who, when, why, from where to where."""
        if not reason.strip():
            raise Invalid("say why the case is rescheduled", field="reason")
        if str(new.id) == self.schedule_id:
            raise Conflict("the case is already in this schedule", field="schedule_id")
        invalidated = []
        if assessor is not None:
            self.release(actor, "reschedule", old, assessor, reason)
            invalidated.append("assessor_appointment")
            if self.status == ScheduleStatus.ASSIGNED:
                invalidated.append("impartiality_declaration")
        else:
            SCHEDULE.next(self.status, "reschedule")
        if old.data.get("jarak_jauh") == "ya":
            invalidated.append("session_invitation")  # its room and link were for the old session
        if getattr(self, "needs_reschedule", None):
            invalidated.append("tuk_verification")  # the TIDAK LAYAK that sent it here; the new session verifies anew
        old.unplace(actor, str(self.id), reason.strip())
        self._rescheduled(actor=actor, reason=reason.strip(), old=session_of(old), new=session_of(new),
                          assessor=self.assessor, invalidated=invalidated)
        new.place(actor, self, today=today)  # the new seat (CaseScheduled), or the refusal that undoes it all

    @event("CaseRescheduled")
    def _rescheduled(self, actor: Actor, reason: str, old: dict[str, Any], new: dict[str, Any],
                     assessor: dict[str, str] | None, invalidated: list[str]) -> None:
        self.assessor = None
        self.schedule_id = None
        self.status = ScheduleStatus.AWAITING_ASSESSOR
        self.needs_reschedule = None
        self.last_reschedule = {"reason": reason, "old": old}  # what the asesi is told with the new session

    # -- a TUK found TIDAK LAYAK (SOP 2.4.1) sends the case back to be scheduled again --
    def hold_for_reschedule(self, actor: Actor, reason: str) -> None:
        """The case needs a new schedule (rescheduling clears it); saying it twice
        for the same reason changes nothing."""
        if getattr(self, "needs_reschedule", None) == reason:
            return
        self._held_for_reschedule(actor=actor, reason=reason)

    @event("CaseHeldForReschedule")
    def _held_for_reschedule(self, actor: Actor, reason: str) -> None:
        self.needs_reschedule = reason


class SchedulingRules(TenantAggregate):
    """A branch's own scheduling settings: how many asesi one assessor may take in one session."""

    @staticmethod
    def create_id(tenant: str) -> UUID:
        return stable_id("scheduling-rules", tenant)

    @event("SchedulingRulesSet")
    def __init__(self, tenant: str, actor: Actor, asesi_per_assessor: int):
        self.tenant = tenant
        self.asesi_per_assessor = asesi_per_assessor

    @staticmethod
    def checked_limit(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 50:
            raise Invalid("must be a whole number from 1 to 50", field="asesi_per_assessor")
        return value

    def change(self, actor: Actor, asesi_per_assessor: int) -> None:
        self._changed(actor=actor, asesi_per_assessor=self.checked_limit(asesi_per_assessor))

    @event("SchedulingRulesChanged")
    def _changed(self, actor: Actor, asesi_per_assessor: int) -> None:
        self.asesi_per_assessor = asesi_per_assessor


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
    opens, closes = data.get("pendaftaran_dibuka"), data.get("pendaftaran_ditutup")
    if closes and closes > data["tanggal"]:
        raise Invalid("registration must close by the assessment date", field="pendaftaran_ditutup")
    if opens and closes and opens > closes:
        raise Invalid("registration must open before it closes", field="pendaftaran_dibuka")
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
        self.assessors: dict[str, list[str]] = {}  # assessor user id -> the cases they assess in this session

    @classmethod
    def create(cls, tenant: str, actor: Actor, values: dict[str, Any], tuk: "Tuk", today: date) -> "Jadwal":
        if tuk.tenant != tenant:
            raise Invalid("the TUK belongs to another branch", field="tuk_id")
        return cls(tenant=tenant, actor=actor, data=checked_schedule(values, tuk, today))

    def place(self, actor: Actor, case: "ScheduleCase", contact: str = "", today: date | None = None) -> None:
        JADWAL_STATUS.next(self.status, "place")
        if today is not None:
            self.check_registration_open(today)
        case_id = str(case.id)
        if case_id in self.seats:
            raise Conflict("this case is already placed in this schedule", field="case_id")
        if case.scheme["number"] != self.data["skema"]:
            raise Invalid("the case applied for scheme {scheme}, not this schedule's", field="case_id",
                          scheme=case.scheme["number"])
        if len(self.seats) >= self.data["kuota_maks"]:
            raise Conflict("the schedule is full ({count} of {quota} seats)", field="case_id",
                           count=len(self.seats), quota=self.data["kuota_maks"])
        case.place(actor, self, contact)
        self._placed(actor=actor, case_id=case_id, asesi=case.asesi)

    @event("CasePlaced")
    def _placed(self, actor: Actor, case_id: str, asesi: dict[str, str]) -> None:
        self.seats.append(case_id)

    def check_registration_open(self, today: date) -> None:
        """Within the schedule's registration window, when it has one (either end may be open)."""
        opens, closes = self.data.get("pendaftaran_dibuka"), self.data.get("pendaftaran_ditutup")
        if opens and today.isoformat() < opens:
            raise Conflict("registration for this schedule opens on {date}", field="schedule_id", date=opens)
        if closes and today.isoformat() > closes:
            raise Conflict("registration for this schedule closed on {date}", field="schedule_id", date=closes)

    def cancel(self, actor: Actor, reason: str) -> None:
        """Called off: only once nobody is seated (each case is moved to another session first, with its
        history), so no asesi is left without a session."""
        JADWAL_STATUS.next(self.status, "cancel")
        if not reason.strip():
            raise Invalid("say why the schedule is cancelled", field="reason")
        if self.seats:
            raise Conflict("{count} asesi are still seated: reschedule them before cancelling", field="schedule_id",
                           count=len(self.seats))
        self._cancelled(actor=actor, reason=reason.strip())

    @event("ScheduleCancelled")
    def _cancelled(self, actor: Actor, reason: str) -> None:
        self.status = JadwalStatus.DIBATALKAN

    def finish(self, actor: Actor, today: date) -> None:
        """Held: from its date on."""
        JADWAL_STATUS.next(self.status, "finish")
        if today.isoformat() < self.data["tanggal"]:
            raise Conflict("a schedule is finished on or after its date ({date})", field="schedule_id",
                           date=self.data["tanggal"])
        self._finished(actor=actor)

    @event("ScheduleFinished")
    def _finished(self, actor: Actor) -> None:
        self.status = JadwalStatus.SELESAI

    def unplace(self, actor: Actor, case_id: str, reason: str) -> None:
        """The case leaves its seat (rescheduled): the seat is free again."""
        if case_id not in self.seats:
            raise Conflict("this case has no seat in this schedule", field="case_id")
        self._unplaced(actor=actor, case_id=case_id, reason=reason)

    @event("CaseUnplaced")
    def _unplaced(self, actor: Actor, case_id: str, reason: str) -> None:
        self.seats.remove(case_id)

    def has_assessor(self, user_id: str) -> bool:
        return bool(getattr(self, "assessors", {}).get(user_id))

    def add_assessor(self, actor: Actor, assessor: "Assessor", case_id: str, limit: int) -> None:
        """The peta penugasan: at most `limit` asesi per assessor in one session. Saved with the case, so two
        appointments racing past the limit cannot both succeed."""
        JADWAL_STATUS.next(self.status, "place")
        held = getattr(self, "assessors", {}).get(assessor.user_id, [])
        if len(held) >= limit:
            raise Conflict("{name} already assesses {count} asesi in this session (limit {limit})",
                           field="assessor_id", name=assessor.name, count=len(held), limit=limit)
        self._assessor_added(actor=actor, assessor=assessor.reference(), case_id=case_id)

    @event("ScheduleAssessorAdded")
    def _assessor_added(self, actor: Actor, assessor: dict[str, str], case_id: str) -> None:
        self.assessors = getattr(self, "assessors", {})
        self.assessors.setdefault(assessor["id"], []).append(case_id)

    def remove_assessor(self, actor: Actor, user_id: str, case_id: str, why: str) -> None:
        if case_id in getattr(self, "assessors", {}).get(user_id, []):
            self._assessor_removed(actor=actor, assessor_id=user_id, case_id=case_id, why=why)

    @event("ScheduleAssessorRemoved")
    def _assessor_removed(self, actor: Actor, assessor_id: str, case_id: str, why: str) -> None:
        self.assessors[assessor_id].remove(case_id)
        if not self.assessors[assessor_id]:
            del self.assessors[assessor_id]


def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two sessions (tanggal, mulai, selesai in WIB) share any minute."""
    return a["tanggal"] == b["tanggal"] and a["mulai"] < b["selesai"] and b["mulai"] < a["selesai"]


class Calendar(TenantAggregate):
    """A person's sessions in a branch (an asesi's or an assessor's): saved with every placement and
    appointment, so two of one person in overlapping sessions cannot both succeed, even at the same moment."""

    @staticmethod
    def create_id(tenant: str, person_id: str) -> UUID:
        return stable_id("calendar", tenant, person_id)

    @event("CalendarOpened")
    def __init__(self, tenant: str, actor: Actor, person_id: str):
        self.tenant = tenant
        self.person_id = person_id
        self.sessions: dict[str, dict[str, str]] = {}

    def book(self, actor: Actor, schedule: "Jadwal", who: str = "asesi") -> None:
        """who: "asesi" or "assessor" (whose refusal it is, and the field it names)."""
        if str(schedule.id) in self.sessions:
            return  # an assessor with several asesi in one session
        session = {key: schedule.data[key] for key in ("tanggal", "mulai", "selesai")}
        for other in self.sessions.values():
            if not overlaps(session, other):
                continue
            when = {"date": other["tanggal"], "start": other["mulai"], "end": other["selesai"]}
            if who == "asesi":
                raise Conflict("the asesi already has a session at that time ({date} {start}-{end} WIB)",
                               field="case_id", **when)
            raise Conflict("the assessor already has a session at that time ({date} {start}-{end} WIB)",
                           field="assessor_id", **when)
        self._booked(actor=actor, schedule_id=str(schedule.id), session=session)

    @event("SessionBooked")
    def _booked(self, actor: Actor, schedule_id: str, session: dict[str, str]) -> None:
        self.sessions[schedule_id] = session

    def free(self, actor: Actor, schedule_id: str) -> None:
        if schedule_id in self.sessions:
            self._freed(actor=actor, schedule_id=schedule_id)

    @event("SessionFreed")
    def _freed(self, actor: Actor, schedule_id: str) -> None:
        del self.sessions[schedule_id]


# -- official letters (SOP 1.4, 1.6.5-1.6.6): numbered per branch, kind and year; signed by the ketua LSP -----

KETUA_LSP = "ketua_lsp"  # the role that signs letters (shared.web's name; domain code does not import it)
LETTER_KINDS = tuple(kind for kind, *_ in FORM_KINDS)
SK_TUK, SPT_ASESOR, SPT_VERIFIKASI = LETTER_KINDS
DEFAULT_PATTERNS = {SK_TUK: "{nomor}/SK-TUK/{kode}/{bulan_romawi}/{tahun}",
                    SPT_ASESOR: "{nomor}/SPT/{kode}/{bulan_romawi}/{tahun}",
                    SPT_VERIFIKASI: "{nomor}/SPT-VT/{kode}/{bulan_romawi}/{tahun}"}
DEFAULT_WIDTH = 3
PLACEHOLDERS = ("nomor", "kode", "bulan_romawi", "bulan", "tahun")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
CARRY_BACK_YEARS = 25  # without a yearly reset, a new year's counter goes on from the latest earlier one


def letter_kind(kind: str) -> str:
    if kind not in LETTER_KINDS:
        raise Invalid("not a kind of letter: {kind}", field="kind", kind=str(kind))
    return kind


def roman_month(month: int) -> str:
    return ROMAN_MONTHS[month - 1]


def default_numbering(tenant: str, kind: str) -> dict[str, Any]:
    return {"pola": DEFAULT_PATTERNS[kind], "kode": tenant, "lebar": DEFAULT_WIDTH, "reset_tahunan": True}


def checked_numbering(values: dict[str, Any]) -> dict[str, Any]:
    """A branch's number format for one kind of letter, as its form defines it, and its pattern's rules: it
    holds the running number, names no unknown placeholder and, restarting every year, holds the year (else
    two letters of different years would carry the same number)."""
    data = PENOMORAN.check(values, partial=False)
    pattern = data["pola"]
    try:
        parts = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(pattern)
                 if name is not None]
    except ValueError:
        raise Invalid("the pattern has an unmatched brace", field="pola") from None
    fields = [name for name, _, _ in parts]
    unknown = [f"{{{name}}}" for name, spec, conversion in parts
               if name not in PLACEHOLDERS or spec or conversion]
    if unknown:
        raise Invalid("unknown placeholder in the pattern: {names}; use {known}", field="pola",
                      names=unknown, known=[f"{{{p}}}" for p in PLACEHOLDERS])
    if "nomor" not in fields:
        raise Invalid("the pattern needs the running number {{nomor}}", field="pola")
    if data["reset_tahunan"] == "ya" and "tahun" not in fields:
        raise Invalid("a number restarting every year needs the year {{tahun}} in the pattern", field="pola")
    return {"pola": pattern, "kode": data["kode"], "lebar": int(data["lebar"]),
            "reset_tahunan": data["reset_tahunan"] == "ya"}


def numbering_values(settings: dict[str, Any]) -> dict[str, str]:
    """The settings as their form's fields (what the admin LSP's signature over them hashes)."""
    return {"pola": settings["pola"], "kode": settings["kode"], "lebar": str(settings["lebar"]),
            "reset_tahunan": "ya" if settings["reset_tahunan"] else "tidak"}


def format_number(settings: dict[str, Any], sequence: int, day: date) -> str:
    """The letter's number: `007/SPT/LSP-K3/XI/2026` from `{nomor}/SPT/{kode}/{bulan_romawi}/{tahun}`."""
    return settings["pola"].format(nomor=str(sequence).zfill(settings["lebar"]), kode=settings["kode"],
                                   bulan_romawi=roman_month(day.month), bulan=f"{day.month:02d}", tahun=day.year)


class LetterNumbering(TenantAggregate):
    """How a branch numbers one kind of letter (set, and signed, by its admin LSP; the defaults until then)."""

    @staticmethod
    def create_id(tenant: str, kind: str) -> UUID:
        return stable_id("letter-numbering", tenant, kind)

    @event("LetterNumberingSet")
    def __init__(self, tenant: str, actor: Actor, kind: str, settings: dict[str, Any], signature: dict[str, Any]):
        self.tenant = tenant
        self.kind = kind
        self.settings = settings
        self.signature = signature

    @classmethod
    def set(cls, tenant: str, actor: Actor, kind: str, settings: dict[str, Any]) -> "LetterNumbering":
        return cls(tenant=tenant, actor=actor, kind=kind, settings=settings,
                   signature=sign(actor, PENOMORAN.content(numbering_values(settings))))

    def change(self, actor: Actor, settings: dict[str, Any]) -> None:
        self._changed(actor=actor, settings=settings,
                      signature=sign(actor, PENOMORAN.content(numbering_values(settings))))

    @event("LetterNumberingChanged")
    def _changed(self, actor: Actor, settings: dict[str, Any], signature: dict[str, Any]) -> None:
        self.settings = settings
        self.signature = signature


class LetterCounter(TenantAggregate):
    """The running number of one kind of letter in a branch and year. It is saved in the same transaction
    as the letter it numbers, so two letters issued at once cannot take one number (the second save fails
    on the counter's version and is tried again) and an aborted letter leaves no gap."""

    @staticmethod
    def create_id(tenant: str, kind: str, year: int) -> UUID:
        return stable_id("letter-counter", tenant, kind, str(year))

    @event("LetterCounterOpened")
    def __init__(self, tenant: str, actor: Actor, kind: str, year: int, start: int):
        self.tenant = tenant
        self.kind = kind
        self.year = year
        self.last = start  # 0, or where the previous year ended when the branch does not restart yearly

    def take(self, actor: Actor, letter_id: str) -> int:
        self._taken(actor=actor, letter_id=letter_id, sequence=self.last + 1)
        return self.last

    @event("LetterNumberTaken")
    def _taken(self, actor: Actor, letter_id: str, sequence: int) -> None:
        self.last = sequence


class LetterStatus(StrEnum):
    DRAFT = "draft"  # issued by the admin LSP, not yet signed
    SIGNED = "signed"  # signed by the ketua LSP
    RECEIVED = "received"  # the addressee confirmed receiving it
    REVOKED = "revoked"  # withdrawn (the assessor no longer serves the session, a mistake): a new one may be issued


LETTER_STATUS = Transitions("letter", LetterStatus, {
    LetterStatus.DRAFT: {"sign": LetterStatus.SIGNED, "revoke": LetterStatus.REVOKED},
    LetterStatus.SIGNED: {"confirm": LetterStatus.RECEIVED, "revoke": LetterStatus.REVOKED},
    LetterStatus.RECEIVED: {"revoke": LetterStatus.REVOKED},
    LetterStatus.REVOKED: {},
})


def letter_id(tenant: str, kind: str, *subject: str, revision: int = 0) -> UUID:
    """One letter per kind and subject (the TUK; the schedule and the person): issuing it again finds it. Once
    revoked, the next one issued for the same subject is its next revision (a new letter, a new number)."""
    return stable_id("letter", tenant, kind, *subject, *([f"revision-{revision}"] if revision else []))


class Letter(TenantAggregate):
    """An official letter: an SK appointing a TUK, or an SPT assigning a person to a schedule (as its assessor
    or to verify its TUK). Its content (`data`, its form's fields) is fixed when it is issued; the ketua LSP
    signs the SHA-256 of exactly that content; the addressee of an SPT confirms receiving it."""

    @event("LetterIssued")
    def __init__(self, id: UUID, tenant: str, actor: Actor, kind: str, number: str,  # noqa: A002
                 sequence: int, year: int, subject: dict[str, str], addressee: dict[str, str] | None,
                 data: dict[str, Any], letterhead: dict[str, str], contact: str = ""):
        self.tenant = tenant
        self.kind = kind
        self.number = number
        self.sequence = sequence
        self.year = year
        self.subject = subject
        self.addressee = addressee
        self.data = data
        self.letterhead = letterhead
        self.contact = contact  # the addressee's e-mail, sealed for them (scheduling's vault), or ""
        self.status = LetterStatus.DRAFT
        self.signature: dict[str, Any] | None = None

    @property
    def form(self) -> Any:
        return LETTER_FORMS[self.kind]

    def content(self) -> dict[str, Any]:
        """What the ketua LSP signs: the letter's form with its fields (its number among them)."""
        return self.form.content(self.data)

    def sign(self, actor: Actor) -> None:
        if actor.get("role") != KETUA_LSP:
            raise Forbidden("only the ketua LSP signs letters")
        LETTER_STATUS.next(self.status, "sign")
        self._signed(actor=actor, signature=sign(actor, self.content(), role=KETUA_LSP))

    @event("LetterSigned")
    def _signed(self, actor: Actor, signature: dict[str, Any]) -> None:
        self.signature = signature
        self.status = LetterStatus.SIGNED

    def confirm_receipt(self, actor: Actor) -> None:
        if not self.addressee or actor.get("id") != self.addressee["id"]:
            raise Forbidden("only the addressee can confirm receiving this letter")
        LETTER_STATUS.next(self.status, "confirm")
        self._received(actor=actor)

    @event("LetterReceiptConfirmed")
    def _received(self, actor: Actor) -> None:
        self.status = LetterStatus.RECEIVED

    def revoke(self, actor: Actor, reason: str) -> None:
        LETTER_STATUS.next(self.status, "revoke")
        if not reason.strip():
            raise Invalid("say why the letter is revoked", field="reason")
        self._revoked(actor=actor, reason=reason.strip()[:500])

    @event("LetterRevoked")
    def _revoked(self, actor: Actor, reason: str) -> None:
        self.status = LetterStatus.REVOKED
        self.revoked_because = reason

    def document(self) -> dict[str, Any]:
        """What its PDF is printed from (the same shape as its read model)."""
        return {"id": str(self.id), "kind": self.kind, "number": self.number, "status": str(self.status),
                "data": self.data, "letterhead": self.letterhead, "signature": self.signature,
                "addressee": self.addressee}


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
