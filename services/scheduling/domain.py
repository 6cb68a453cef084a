"""Scheduling (SOP 1.5): the assessor registry and assigning a competent, free assessor to a case."""
import re
import string
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from services.scheduling.forms import JADWAL, LETTER_FORMS, PENOMORAN, TUK
from services.scheduling.forms import LETTER_KINDS as FORM_KINDS
from shared.aggregate import Actor, TenantAggregate, stable_id
from shared.errors import Conflict, Forbidden, Invalid
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


LETTER_STATUS = Transitions("letter", LetterStatus, {
    LetterStatus.DRAFT: {"sign": LetterStatus.SIGNED},
    LetterStatus.SIGNED: {"confirm": LetterStatus.RECEIVED},
    LetterStatus.RECEIVED: {},
})


def letter_id(tenant: str, kind: str, *subject: str) -> UUID:
    """One letter per kind and subject (the TUK; the schedule and the person): issuing it again finds it."""
    return stable_id("letter", tenant, kind, *subject)


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

    def document(self) -> dict[str, Any]:
        """What its PDF is printed from (the same shape as its read model)."""
        return {"id": str(self.id), "kind": self.kind, "number": self.number, "status": str(self.status),
                "data": self.data, "letterhead": self.letterhead, "signature": self.signature,
                "addressee": self.addressee}
