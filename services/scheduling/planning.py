"""A batch placement proposal (SOP 1.6.1-1.6.4): the cases waiting for a place, seated in the branch's open
schedules, each with an assessor, keeping every rule the domain keeps on apply, spread evenly.

Pure domain code: plain dataclasses in, plain dataclasses out; nothing here reads a store. The same rules are
written twice on purpose: once as the planner's quick tests while it searches (`Planner`), once as a plain
check of a finished assignment (`rule_breaks`), so the tests and the benchmark can prove the planner's result
instead of trusting it.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from services.scheduling.domain import institution_key

DEFAULT_PER_SCHEDULE = 10  # asesi per assessor in one schedule ("1 asesor <= 10 asesi")
AKTIF = "aktif"


# ---- input ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Session:
    """A sitting a person already holds: which schedule, its date and WIB times ("HH:MM")."""
    schedule_id: str
    tanggal: str
    mulai: str
    selesai: str


@dataclass(frozen=True)
class WaitingCase:
    id: str
    scheme_number: str
    asesi_id: str
    institution: str = ""
    seated_in: str = ""  # the schedule it already sits in, waiting only for its assessor


@dataclass
class OpenSchedule:
    id: str
    skema: str
    tanggal: str  # YYYY-MM-DD
    mulai: str
    selesai: str
    kuota_maks: int
    seated: list[str] = field(default_factory=list)  # case ids already in its seats
    assessors: dict[str, list[str]] = field(default_factory=dict)  # assessor user id -> their case ids in it

    def session(self) -> Session:
        return Session(self.id, self.tanggal, self.mulai, self.selesai)


@dataclass
class RegistryAssessor:
    user_id: str
    name: str
    scheme_numbers: list[str]
    valid_until: str  # MET registration, YYYY-MM-DD
    status: str = AKTIF
    institutions: list[str] = field(default_factory=list)
    trainees: list[str] = field(default_factory=list)  # asesi ids they declared they trained
    sessions: list[Session] = field(default_factory=list)  # held in schedules, here or elsewhere
    load: int = 0  # active cases now: the least loaded is asked first
    unavailable: list[str] = field(default_factory=list)  # days (YYYY-MM-DD) they cannot assess


@dataclass
class PlanInput:
    cases: list[WaitingCase]
    schedules: list[OpenSchedule]
    assessors: list[RegistryAssessor]
    asesi_sessions: dict[str, list[Session]] = field(default_factory=dict)  # asesi id -> sessions booked
    per_schedule: int = DEFAULT_PER_SCHEDULE


# ---- output ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    case_id: str
    schedule_id: str
    assessor_id: str
    seated: bool = False  # the case already has this seat: only its assessor is applied


# why a case found no place: a text key of services/scheduling/texts.py TEXT, in the order the planner
# eliminates possibilities (the first that applies to every option is named)
NO_SCHEDULE = "plan_no_schedule"  # no open schedule of the case's scheme
SCHEDULES_FULL = "plan_schedules_full"  # every schedule of the scheme is full
ASESI_BUSY = "plan_asesi_busy"  # the asesi has an overlapping session at every schedule with a seat
NO_ASSESSOR = "plan_no_assessor"  # no assessor can take the case in any schedule with a seat


@dataclass(frozen=True)
class Unplaced:
    case_id: str
    reason: str


@dataclass
class Plan:
    rows: list[Row]
    unplaced: list[Unplaced]

    def digest(self) -> str:
        """The plan's fingerprint, to tell a plan shown from one recomputed later (a stale plan)."""
        body = json.dumps([[asdict(r) for r in self.rows], [asdict(u) for u in self.unplaced]], sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:16]


# ---- the rules, shared by the planner and the check --------------------------------------------------------------

def overlap(a: Session, b: Session) -> bool:
    """Same date and [mulai, selesai) intersect: back to back is fine."""
    return a.tanggal == b.tanggal and a.mulai < b.selesai and b.mulai < a.selesai


def same_institution(case: WaitingCase, assessor: RegistryAssessor) -> bool:
    """An empty institution never conflicts."""
    mine = institution_key(case.institution)
    return bool(mine) and any(institution_key(other) == mine for other in assessor.institutions)


def fixed_refusal(case: WaitingCase, schedule: OpenSchedule, assessor: RegistryAssessor) -> str:
    """The rule (a key) an assessor breaks for this case in this schedule whatever else is planned; "" if none."""
    if case.scheme_number not in assessor.scheme_numbers:
        return "not_competent"
    if assessor.status != AKTIF:
        return "assessor_inactive"
    if schedule.tanggal in assessor.unavailable:
        return "assessor_unavailable"
    if str(assessor.valid_until) < schedule.tanggal:
        return "met_expired"
    if assessor.user_id == case.asesi_id:
        return "assesses_themself"
    if same_institution(case, assessor):
        return "same_institution"
    if case.asesi_id in assessor.trainees:
        return "trained_the_asesi"
    return ""


class Calendars:
    """People's sessions by date, so an overlap test looks only at that day's few sessions."""

    def __init__(self) -> None:
        self.days: dict[str, dict[str, list[Session]]] = defaultdict(lambda: defaultdict(list))

    def add(self, person: str, session: Session) -> None:
        day = self.days[person][session.tanggal]
        if all(held.schedule_id != session.schedule_id for held in day):
            day.append(session)

    def clash(self, person: str, session: Session, same_schedule_ok: bool) -> Session | None:
        for held in self.days[person].get(session.tanggal, ()):
            if held.schedule_id == session.schedule_id:
                if not same_schedule_ok:
                    return held
            elif overlap(held, session):
                return held
        return None


# ---- the planner ------------------------------------------------------------------------------------------------

class Planner:
    """Greedy, first come first served (the cases in the order given): each case goes to the earliest date with a
    seat it can take; on that date to the least filled schedule (so two schedules of a scheme on one day fill
    evenly); in it to the least loaded assessor who may take it (ties by name). Indexes by scheme and by date keep
    each step to that scheme's few schedules and assessors."""

    def __init__(self, given: PlanInput):
        self.given = given
        self.by_id = {s.id: s for s in given.schedules}
        self.by_scheme: dict[str, list[OpenSchedule]] = defaultdict(list)
        for schedule in sorted(given.schedules, key=lambda s: (s.tanggal, s.mulai, s.id)):
            self.by_scheme[schedule.skema].append(schedule)
        self.competent: dict[str, list[RegistryAssessor]] = defaultdict(list)
        for assessor in given.assessors:
            for number in dict.fromkeys(assessor.scheme_numbers):
                self.competent[number].append(assessor)
        self.taken = {s.id: len(s.seated) for s in given.schedules}  # seats taken, planned included
        self.with_assessor = {(s.id, a): len(cases) for s in given.schedules for a, cases in s.assessors.items()}
        self.load = {a.user_id: a.load for a in given.assessors}
        self.planned = dict.fromkeys((a.user_id for a in given.assessors), 0)
        self.people = Calendars()
        for asesi_id, sessions in given.asesi_sessions.items():
            for session in sessions:
                self.people.add("asesi:" + asesi_id, session)
        for assessor in given.assessors:
            for session in assessor.sessions:
                self.people.add("asesor:" + assessor.user_id, session)
        for schedule in given.schedules:
            for user_id in schedule.assessors:
                self.people.add("asesor:" + user_id, schedule.session())

    def plan(self) -> Plan:
        rows, unplaced = [], []
        for case in self.given.cases:
            row, why = self.place(case)
            if row:
                rows.append(row)
            else:
                unplaced.append(Unplaced(case.id, why))
        return Plan(rows, unplaced)

    def place(self, case: WaitingCase) -> tuple[Row | None, str]:
        if case.seated_in:
            return self.assessor_for_seat(case)
        schedules = self.by_scheme.get(case.scheme_number, [])
        if not schedules:
            return None, NO_SCHEDULE
        free = [s for s in schedules if self.taken[s.id] < s.kuota_maks]
        if not free:
            return None, SCHEDULES_FULL
        asesi = "asesi:" + case.asesi_id
        open_to_asesi = [s for s in free if not self.people.clash(asesi, s.session(), same_schedule_ok=False)]
        if not open_to_asesi:
            return None, ASESI_BUSY
        for schedule in self.in_order(open_to_asesi):
            assessor = self.best_assessor(case, schedule)
            if assessor:
                self.take(case, schedule, assessor)
                return Row(case.id, schedule.id, assessor.user_id), ""
        return None, NO_ASSESSOR

    def assessor_for_seat(self, case: WaitingCase) -> tuple[Row | None, str]:
        """A case already seated (an assessor declined, or a seat taken before a crash): its assessor only."""
        schedule = self.by_id.get(case.seated_in)
        if schedule is None:
            return None, NO_SCHEDULE
        assessor = self.best_assessor(case, schedule)
        if assessor is None:
            return None, NO_ASSESSOR
        self.take(case, schedule, assessor, seated=True)
        return Row(case.id, schedule.id, assessor.user_id, seated=True), ""

    def in_order(self, schedules: list[OpenSchedule]) -> list[OpenSchedule]:
        """Earliest date first; within a date the least filled (by share of its quota), then the earliest."""
        return sorted(schedules, key=lambda s: (s.tanggal, self.taken[s.id] / s.kuota_maks, s.mulai, s.id))

    def best_assessor(self, case: WaitingCase, schedule: OpenSchedule) -> RegistryAssessor | None:
        best, best_key = None, None
        for assessor in self.competent.get(case.scheme_number, ()):
            key = (self.load[assessor.user_id] + self.planned[assessor.user_id], assessor.name, assessor.user_id)
            if best_key is not None and key >= best_key:
                continue  # cheap ordering test first: the rules only for a better candidate
            if self.may_take(case, schedule, assessor):
                best, best_key = assessor, key
        return best

    def may_take(self, case: WaitingCase, schedule: OpenSchedule, assessor: RegistryAssessor) -> bool:
        if fixed_refusal(case, schedule, assessor):
            return False
        if self.with_assessor.get((schedule.id, assessor.user_id), 0) >= self.given.per_schedule:
            return False
        return not self.people.clash("asesor:" + assessor.user_id, schedule.session(), same_schedule_ok=True)

    def take(self, case: WaitingCase, schedule: OpenSchedule, assessor: RegistryAssessor, seated: bool = False
             ) -> None:
        if not seated:  # a seated case holds its seat and its session already
            self.taken[schedule.id] += 1
            self.people.add("asesi:" + case.asesi_id, schedule.session())
        key = (schedule.id, assessor.user_id)
        self.with_assessor[key] = self.with_assessor.get(key, 0) + 1
        self.planned[assessor.user_id] += 1
        self.people.add("asesor:" + assessor.user_id, schedule.session())


def propose(given: PlanInput) -> Plan:
    return Planner(given).plan()


# ---- the check of a finished assignment -------------------------------------------------------------------------

@dataclass(frozen=True)
class Break:
    rule: str  # a key: not_competent, schedule_full, asesi_overlap, ...
    case_id: str = ""
    schedule_id: str = ""
    assessor_id: str = ""


def rule_breaks(given: PlanInput, rows: Iterable[Row]) -> list[Break]:
    """Every rule the assignment `rows` (on top of what `given` already holds) breaks, each once."""
    rows = list(rows)
    cases = {c.id: c for c in given.cases}
    schedules = {s.id: s for s in given.schedules}
    assessors = {a.user_id: a for a in given.assessors}
    found: list[Break] = []
    seen: set[str] = set()
    known: list[tuple[Row, WaitingCase, OpenSchedule, RegistryAssessor]] = []
    for row in rows:
        case, schedule, assessor = cases.get(row.case_id), schedules.get(row.schedule_id), assessors.get(
            row.assessor_id)
        if row.case_id in seen:
            found.append(Break("case_twice", row.case_id))
        seen.add(row.case_id)
        if not (case and schedule and assessor):
            found.append(Break("unknown_record", row.case_id, row.schedule_id, row.assessor_id))
            continue
        if case.scheme_number != schedule.skema:
            found.append(Break("wrong_scheme", row.case_id, row.schedule_id))
        if row.seated != bool(case.seated_in) or (case.seated_in and case.seated_in != row.schedule_id):
            found.append(Break("wrong_seat", row.case_id, row.schedule_id))
        if why := fixed_refusal(case, schedule, assessor):
            found.append(Break(why, row.case_id, row.schedule_id, row.assessor_id))
        known.append((row, case, schedule, assessor))
    found += seat_breaks(given, known) + asesi_breaks(given, known) + assessor_breaks(given, known)
    return found


def seat_breaks(given: PlanInput, known: list) -> list[Break]:
    taken = {s.id: len(s.seated) for s in given.schedules}
    found = []
    for row, _case, schedule, _assessor in known:
        if row.seated:
            continue  # counted in the schedule's seats already
        taken[schedule.id] += 1
        if taken[schedule.id] > schedule.kuota_maks:
            found.append(Break("schedule_full", row.case_id, schedule.id))
    return found


def asesi_breaks(given: PlanInput, known: list) -> list[Break]:
    held: dict[str, list[Session]] = {a: list(s) for a, s in given.asesi_sessions.items()}
    found = []
    for row, case, schedule, _assessor in known:
        if row.seated:
            continue  # their session is booked already
        mine = held.setdefault(case.asesi_id, [])
        session = schedule.session()
        if any(overlap(session, other) for other in mine):
            found.append(Break("asesi_overlap", row.case_id, schedule.id))
        mine.append(session)
    return found


def assessor_breaks(given: PlanInput, known: list) -> list[Break]:
    per_schedule = {(s.id, a): len(c) for s in given.schedules for a, c in s.assessors.items()}
    held: dict[str, dict[str, Session]] = {a.user_id: {s.schedule_id: s for s in a.sessions}
                                           for a in given.assessors}
    for schedule in given.schedules:
        for user_id in schedule.assessors:
            held.setdefault(user_id, {})[schedule.id] = schedule.session()
    found = []
    for row, _case, schedule, assessor in known:
        key = (schedule.id, assessor.user_id)
        per_schedule[key] = per_schedule.get(key, 0) + 1
        if per_schedule[key] > given.per_schedule:
            found.append(Break("assessor_schedule_full", row.case_id, schedule.id, assessor.user_id))
        mine = held.setdefault(assessor.user_id, {})
        if any(other_id != schedule.id and overlap(schedule.session(), other) for other_id, other in mine.items()):
            found.append(Break("assessor_overlap", row.case_id, schedule.id, assessor.user_id))
        mine[schedule.id] = schedule.session()
    return found


def loads(plan: Plan) -> dict[str, int]:
    """Cases per assessor in a plan."""
    counted: dict[str, int] = defaultdict(int)
    for row in plan.rows:
        counted[row.assessor_id] += 1
    return dict(counted)
