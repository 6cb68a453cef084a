"""Scheduling commands. Policies: a feasible review (SOP 1.3) opens a case; a recommendation closes it."""
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from services.scheduling.domain import (
    MAX_ACTIVE_CASES,
    SCHEDULE,
    Assessor,
    Calendar,
    Invitation,
    Jadwal,
    ScheduleCase,
    SessionPlan,
    Tuk,
    TukVerification,
    assessor_id,
)
from services.scheduling.forms import TIDAK_LAYAK
from services.scheduling.notices import NOTICES
from shared.aggregate import Actor, as_uuid, system_actor
from shared.contracts import Envelope
from shared.display import wib_today
from shared.errors import Conflict, Invalid, NotReady
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.privacy import Vault
from shared.settings import Settings

PLACEMENT_ATTEMPTS = 10  # a placement that lost a race for a seat looks again this often


class SchedulingApp(ServiceApplication):
    name = "scheduling"
    commands: ClassVar[tuple[str, ...]] = ("register_assessor", "assign_assessor", "register_tuk", "revise_tuk",
                                           "set_tuk_active", "create_schedule", "place_case", "case_timeline")

    def __init__(self, env: dict[str, str] | None = None, max_active_cases: int = MAX_ACTIVE_CASES):
        super().__init__(env)
        self.max_active_cases = max_active_cases

    def policies(self) -> dict[str, Policy]:
        return {"registration:FeasibilityReviewed": self.open_case,
                "assessment:RecommendationGiven": self.complete_case,
                **NOTICES.policies(self)}  # the remote session's invitation (SOP 3.2)

    def today(self) -> date:
        return wib_today()

    def register_assessor(self, tenant: str, actor: Actor, user_id: str, name: str, met_number: str,
                          valid_until: str, scheme_numbers: list[str]) -> str:
        if self.exists(assessor_id(tenant, user_id)):
            raise Conflict("this user is already registered as an assessor in this branch", field="user_id")
        assessor = Assessor.register(tenant, actor, user_id, name, met_number, valid_until, scheme_numbers)
        self.save_checked(assessor)
        return str(assessor.id)

    def assign_assessor(self, tenant: str, actor: Actor, case_id: str, assessor_user_id: str,
                        expected_version: int | None = None) -> int:
        case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
        case.check_version(expected_version)
        assessor = self._assessor(tenant, assessor_user_id)
        case.assign(actor, assessor, self.today(), self.max_active_cases)
        self.save_checked(case, assessor)  # the load check and the assignment commit together
        return case.version

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
        for _ in range(PLACEMENT_ATTEMPTS):
            schedule = self.get_owned(as_uuid(schedule_id, "schedule_id"), tenant, "schedule", Jadwal)
            schedule.check_version(expected_version)
            case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
            calendar = self._calendar(tenant, actor, case.asesi["id"])
            schedule.place(actor, case)
            calendar.book(actor, schedule)  # not in two overlapping sessions
            try:
                self.save(schedule, case, calendar)
                return schedule.version
            except IntegrityError:
                if expected_version is not None:  # the caller asked for that version: theirs to reload
                    break
                # another placement took a seat first: look again (the schedule may now be full)
        raise Conflict("the record was changed by someone else; reload and retry")

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
                                  data.invoice_number, data.amount)]

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

    # ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------

    commands = commands + ("check_systems", "plan_rooms", "appoint_verifier", "verify_tuk")
    vault: Vault  # set by build_application: the invited asesi's e-mail address is sealed with it
    public_url: str = ""

    def check_systems(self, tenant: str, actor: Actor, schedule_id: str, data: dict[str, Any]) -> int:
        schedule, plan = self._prepared(tenant, actor, schedule_id)
        plan.check_systems(actor, schedule, data)
        self.save_checked(plan)
        return plan.version

    def plan_rooms(self, tenant: str, actor: Actor, schedule_id: str, rooms: dict[str, str],
                   rundown: list[dict[str, str]], contacts: dict[str, str] | None = None) -> int:
        """The breakout rooms and the rundown; every seated asesi whose invitation changed is invited
        (saved together, so a plan never stands without its invitations). `contacts`: asesi id -> e-mail."""
        schedule, plan = self._prepared(tenant, actor, schedule_id)
        plan.plan_rooms(actor, schedule, rooms, rundown)
        changed: list[Any] = [plan]
        for case_id, room in plan.rooms.items():
            case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
            invitation = self._part(Invitation, actor, case)
            email = (contacts or {}).get(case.asesi["id"]) or ""
            contact = self.vault.seal(case.asesi["id"], email) if email else ""
            if invitation.issue(actor, schedule, room, plan.rundown, case.scheme, contact):
                changed.append(invitation)
        self.save_checked(*changed)
        return plan.version

    def appoint_verifier(self, tenant: str, actor: Actor, schedule_id: str, verifier: dict[str, str]) -> int:
        """verifier: {id, name, role} of a user of the branch (asesor or admin LSP), checked by the caller."""
        schedule, plan = self._prepared(tenant, actor, schedule_id)
        tuk = self.get_owned(as_uuid(schedule.data["tuk"]["id"], "tuk_id"), tenant, "TUK", Tuk)
        plan.appoint_verifier(actor, schedule, tuk, {k: str(verifier[k]) for k in ("id", "name", "role")})
        self.save_checked(plan)
        return plan.version

    def verify_tuk(self, tenant: str, actor: Actor, schedule_id: str, case_id: str,
                   data: dict[str, Any]) -> dict[str, Any]:
        """One participant's online TUK verification; TIDAK LAYAK holds the case for a new schedule (its
        assessment is refused by the assessment service, which hears TukVerified)."""
        schedule, plan = self._prepared(tenant, actor, schedule_id)
        case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
        verification = self._part(TukVerification, actor, case)
        conclusion = verification.verify(actor, plan, schedule, data)
        changed: list[Any] = [verification]
        if conclusion == TIDAK_LAYAK:
            case.hold_for_reschedule(actor, "tuk_tidak_layak")
            changed.append(case)
        self.save_checked(*changed)
        return {"case_id": case_id, "conclusion": conclusion, "version": verification.version}

    def _prepared(self, tenant: str, actor: Actor, schedule_id: str) -> tuple[Jadwal, SessionPlan]:
        schedule = self.get_owned(as_uuid(schedule_id, "schedule_id"), tenant, "schedule", Jadwal)
        plan_id = SessionPlan.create_id(tenant, schedule_id)
        if self.exists(plan_id):
            return schedule, self.repository.get(plan_id)
        return schedule, SessionPlan(tenant=tenant, actor=actor, schedule_id=str(schedule.id))

    def _part(self, kind: type, actor: Actor, case: ScheduleCase) -> Any:
        part_id = kind.id_for(case.id)
        return self.repository.get(part_id) if self.exists(part_id) else kind.open_for(actor, case)

    def case_parts(self, tenant: str | None, case_id: str) -> list[UUID]:
        """The case, its invitation and its TUK verification (the per-case log)."""
        return [as_uuid(case_id, "case_id"), Invitation.id_for(case_id), TukVerification.id_for(case_id)]

def build_application(settings: Settings) -> SchedulingApp:
    limit = settings.assessor_max_active_cases
    app = SchedulingApp(env=event_store_env(settings, SchedulingApp.name), max_active_cases=limit)
    app.vault = Vault.for_application(app, settings)  # seals the invited asesi's e-mail address
    app.public_url = settings.public_url
    return app
