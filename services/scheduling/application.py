"""Scheduling commands. Policies: a feasible review (SOP 1.3) opens a case; a recommendation closes it."""
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from eventsourcing.persistence import IntegrityError

from services.scheduling.domain import (
    ASESI_PER_ASSESSOR,
    SCHEDULE,
    Assessor,
    Calendar,
    Jadwal,
    ScheduleCase,
    SchedulingRules,
    Tuk,
    assessor_id,
)
from shared.aggregate import Actor, as_uuid, system_actor
from shared.contracts import Envelope
from shared.display import wib_today
from shared.errors import Conflict, Invalid, NotReady
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.settings import Settings

PLACEMENT_ATTEMPTS = 10  # a placement that lost a race for a seat (or an assessor's place) looks again this often


class SchedulingApp(ServiceApplication):
    name = "scheduling"
    commands: ClassVar[tuple[str, ...]] = (
        "register_assessor", "revise_assessor", "set_assessor_active", "assign_assessor", "confirm_assignment",
        "decline_assignment", "delegate_assignment", "reschedule_case", "set_asesi_per_assessor", "register_tuk",
        "revise_tuk", "set_tuk_active", "create_schedule", "place_case", "case_timeline")

    def __init__(self, env: dict[str, str] | None = None, asesi_per_assessor: int = ASESI_PER_ASSESSOR):
        super().__init__(env)
        self.asesi_per_assessor = asesi_per_assessor  # the default; a branch may set its own (SchedulingRules)

    def policies(self) -> dict[str, Policy]:
        return {"registration:FeasibilityReviewed": self.open_case,
                "assessment:RecommendationGiven": self.complete_case}

    def today(self) -> date:
        return wib_today()

    def register_assessor(self, tenant: str, actor: Actor, user_id: str, name: str, met_number: str,
                          valid_until: str, scheme_numbers: list[str], evidence: dict[str, str] | None = None,
                          institutions: list[str] | None = None) -> str:
        if self.exists(assessor_id(tenant, user_id)):
            raise Conflict("this user is already registered as an assessor in this branch", field="user_id")
        assessor = Assessor.register(tenant, actor, user_id, name, met_number, valid_until, scheme_numbers,
                                     evidence, institutions)
        self.save_checked(assessor)
        return str(assessor.id)

    def revise_assessor(self, tenant: str, actor: Actor, user_id: str, met_number: str, valid_until: str,
                        scheme_numbers: list[str], evidence: dict[str, str] | None = None,
                        institutions: list[str] | None = None, expected_version: int | None = None) -> int:
        assessor = self._assessor(tenant, user_id)
        assessor.check_version(expected_version)
        assessor.revise(actor, met_number, valid_until, scheme_numbers, evidence, institutions)
        self.save_checked(assessor)
        return assessor.version

    def set_assessor_active(self, tenant: str, actor: Actor, user_id: str, active: bool, reason: str = "") -> int:
        assessor = self._assessor(tenant, user_id)
        assessor.set_active(actor, active, reason)
        self.save_checked(assessor)
        return assessor.version

    def set_asesi_per_assessor(self, tenant: str, actor: Actor, limit: Any) -> int:
        """The branch's limit of asesi per assessor in one session (default ASESI_PER_ASSESSOR)."""
        limit = SchedulingRules.checked_limit(limit)
        rules_id = SchedulingRules.create_id(tenant)
        if self.exists(rules_id):
            rules = self.repository.get(rules_id)
            rules.change(actor, limit)
        else:
            rules = SchedulingRules(tenant=tenant, actor=actor, asesi_per_assessor=limit)
        self.save_checked(rules)
        return limit

    def limit_of(self, tenant: str) -> int:
        rules_id = SchedulingRules.create_id(tenant)
        return self.repository.get(rules_id).asesi_per_assessor if self.exists(rules_id) else self.asesi_per_assessor

    # -- assignment: appointed for a session, confirmed or declined, delegated (SOP 1.5, 1.6.4) -----------------

    def assign_assessor(self, tenant: str, actor: Actor, case_id: str, assessor_user_id: str,
                        expected_version: int | None = None) -> int:
        """Appoint an assessor for the case's session; they confirm or decline on their page."""
        def attempt() -> tuple[Any, ...]:
            case, schedule = self._placed_case(tenant, case_id, expected_version)
            assessor = self._assessor(tenant, assessor_user_id)
            calendar = self._calendar(tenant, actor, assessor.user_id)
            case.appoint(actor, assessor, schedule, self.limit_of(tenant))
            calendar.book(actor, schedule, who="assessor")  # not in two overlapping sessions
            return case, schedule, assessor, calendar
        return self._retrying(attempt, expected_version)

    def confirm_assignment(self, tenant: str, actor: Actor, case_id: str, declaration: dict[str, Any]) -> int:
        """The appointed assessor confirms, signing the impartiality declaration: AssessorAssigned."""
        case, schedule = self._placed_case(tenant, case_id, None)
        case.confirm(actor, schedule, declaration)
        self.save_checked(case)
        return case.version

    def decline_assignment(self, tenant: str, actor: Actor, case_id: str, reason: str, conflict: str = "") -> int:
        def attempt() -> tuple[Any, ...]:
            case, schedule = self._placed_case(tenant, case_id, None)
            case.check_appointed(actor)
            assessor, calendar = self._held_by(tenant, actor, case)
            case.decline(actor, schedule, assessor, reason, conflict)
            return case, schedule, assessor, *self._freed(actor, calendar, schedule, assessor)
        return self._retrying(attempt, None)

    def delegate_assignment(self, tenant: str, actor: Actor, case_id: str, assessor_user_id: str, reason: str,
                            expected_version: int | None = None) -> int:
        """The office hands the case to another assessor of its session (who then confirms)."""
        def attempt() -> tuple[Any, ...]:
            case, schedule = self._placed_case(tenant, case_id, expected_version)
            if case.assessor is None:
                raise Conflict("the case has no assessor to delegate from; appoint one", field="case_id")
            current, calendar = self._held_by(tenant, actor, case)
            to = self._assessor(tenant, assessor_user_id)
            to_calendar = self._calendar(tenant, actor, to.user_id)
            case.delegate(actor, schedule, current, to, reason, self.limit_of(tenant))
            to_calendar.book(actor, schedule, who="assessor")
            return case, schedule, current, to, to_calendar, *self._freed(actor, calendar, schedule, current)
        return self._retrying(attempt, expected_version)

    def reschedule_case(self, tenant: str, actor: Actor, case_id: str, schedule_id: str, reason: str,
                        expected_version: int | None = None) -> int:
        """To another session; the history keeps who, when, why, the old and new session, what it undid."""
        def attempt() -> tuple[Any, ...]:
            case, old = self._placed_case(tenant, case_id, expected_version)
            new = self.get_owned(as_uuid(schedule_id, "schedule_id"), tenant, "schedule", Jadwal)
            asesi_calendar = self._calendar(tenant, actor, case.asesi["id"])
            assessor, calendar = self._held_by(tenant, actor, case) if case.assessor else (None, None)
            case.reschedule(actor, old, new, reason, assessor)
            asesi_calendar.free(actor, str(old.id))
            asesi_calendar.book(actor, new)
            changed = [case, old, new, asesi_calendar]
            if assessor is not None:
                changed += [assessor, *self._freed(actor, calendar, old, assessor)]
            return tuple(changed)
        return self._retrying(attempt, expected_version)

    def _placed_case(self, tenant: str, case_id: str, expected_version: int | None) -> tuple[ScheduleCase, Jadwal]:
        case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
        case.check_version(expected_version)
        if not getattr(case, "schedule_id", None):
            raise Conflict("place the case in a schedule before appointing its assessor", field="case_id")
        return case, self.repository.get(as_uuid(case.schedule_id, "schedule_id"))

    def _held_by(self, tenant: str, actor: Actor, case: ScheduleCase) -> tuple[Assessor, Calendar]:
        assessor = self._assessor(tenant, case.assessor["id"])
        return assessor, self._calendar(tenant, actor, assessor.user_id)

    @staticmethod
    def _freed(actor: Actor, calendar: Calendar, schedule: Jadwal, assessor: Assessor) -> tuple[Calendar, ...]:
        """The assessor's session is free again once they assess nobody else in it."""
        if schedule.has_assessor(assessor.user_id):
            return ()
        calendar.free(actor, str(schedule.id))
        return (calendar,)

    def _retrying(self, attempt: Callable[[], tuple[Any, ...]], expected_version: int | None) -> int:
        """Run a command over several aggregates and save them together; one that lost a race (another saved
        first) looks again, so a full session or a taken assessor is then refused for what it is (409)."""
        for _ in range(PLACEMENT_ATTEMPTS):
            changed = attempt()
            try:
                self.save(*changed)
                return changed[0].version
            except IntegrityError:
                if expected_version is not None:  # the caller asked for that version: theirs to reload
                    break
        raise Conflict("the record was changed by someone else; reload and retry")

    def register_tuk(self, tenant: str, actor: Actor, data: dict[str, Any]) -> str:
        tuk = Tuk.register(tenant, actor, data)
        self.save_checked(tuk)
        return str(tuk.id)

    def revise_tuk(self, tenant: str, actor: Actor, tuk_id: str, data: dict[str, Any],
                   expected_version: int | None = None) -> int:
        tuk = self._tuk(tenant, tuk_id, expected_version)
        tuk.revise(actor, data)
        self.save_checked(tuk)
        return tuk.version

    def set_tuk_active(self, tenant: str, actor: Actor, tuk_id: str, active: bool,
                       expected_version: int | None = None) -> int:
        tuk = self._tuk(tenant, tuk_id, expected_version)
        tuk.set_active(actor, active)
        self.save_checked(tuk)
        return tuk.version

    def create_schedule(self, tenant: str, actor: Actor, data: dict[str, Any]) -> str:
        tuk = self.get_owned(as_uuid(str(data.get("tuk_id") or ""), "tuk_id"), tenant, "TUK", Tuk)
        schedule = Jadwal.create(tenant, actor, data, tuk, self.today())
        self.save_checked(schedule)
        return str(schedule.id)

    def place_case(self, tenant: str, actor: Actor, schedule_id: str, case_id: str,
                   expected_version: int | None = None) -> int:
        """A paid, feasible case into a seat of a schedule; the seat count and the case's place are saved
        together, so two placements racing for the last seat cannot both succeed (the loser gets 409)."""
        def attempt() -> tuple[Any, ...]:
            schedule = self.get_owned(as_uuid(schedule_id, "schedule_id"), tenant, "schedule", Jadwal)
            schedule.check_version(expected_version)
            case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
            calendar = self._calendar(tenant, actor, case.asesi["id"])
            schedule.place(actor, case)
            calendar.book(actor, schedule)  # not in two overlapping sessions
            return schedule, case, calendar
        return self._retrying(attempt, expected_version)

    def _calendar(self, tenant: str, actor: Actor, person_id: str) -> Calendar:
        calendar_id = Calendar.create_id(tenant, person_id)
        if self.exists(calendar_id):
            return self.repository.get(calendar_id)
        return Calendar(tenant=tenant, actor=actor, person_id=person_id)

    def _tuk(self, tenant: str, tuk_id: str, expected_version: int | None) -> Tuk:
        tuk = self.get_owned(as_uuid(tuk_id, "tuk_id"), tenant, "TUK", Tuk)
        tuk.check_version(expected_version)
        return tuk

    def _assessor(self, tenant: str, user_id: str) -> Assessor:
        aggregate_id = assessor_id(tenant, user_id)
        if not self.exists(aggregate_id):
            raise Invalid("no registered assessor with this id in this branch", field="assessor_id")
        return self.repository.get(aggregate_id)

    def open_case(self, envelope: Envelope, data: Any) -> list[Any]:
        """A case found feasible (FR.APL.01 and FR.APL.02 reviewed) waits for an assessor; one found
        not feasible stops in registration and opens nothing."""
        if not data.feasible:
            return []
        case_id = as_uuid(envelope.correlation_id, "case_id")
        if self.exists(case_id):
            return []
        return [ScheduleCase.open(case_id, envelope.tenant, system_actor(self.name), envelope.id,
                                  data.asesi.model_dump(), data.scheme.model_dump(),
                                  data.invoice_number, data.amount, data.institution)]

    def complete_case(self, envelope: Envelope, data: Any) -> list[Any]:
        case_id = as_uuid(envelope.correlation_id, "case_id")
        if not self.exists(case_id):
            raise NotReady("the case is not yet known to scheduling")
        case: ScheduleCase = self.repository.get(case_id)
        if not SCHEDULE.can(case.status, "complete"):
            return []  # already completed, or never assigned: nothing to release
        assessor: Assessor = self.repository.get(assessor_id(case.tenant, case.assessor["id"]))
        case.complete(system_actor(self.name), envelope.id, assessor)
        return [case, assessor]


def build_application(settings: Settings) -> SchedulingApp:
    limit = settings.assessor_max_active_cases  # the default of asesi per assessor per session
    return SchedulingApp(env=event_store_env(settings, SchedulingApp.name), asesi_per_assessor=limit)
