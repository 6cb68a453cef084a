"""Assessment commands. Policy: an assigned assessor opens the case's assessment."""
from typing import Any, ClassVar
from uuid import UUID

from services.assessment.domain import Assessment, HeldTukVerification
from shared.aggregate import Actor, as_uuid, system_actor
from shared.contracts import Envelope
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.settings import Settings


class AssessmentApp(ServiceApplication):
    name = "assessment"
    commands: ClassVar[tuple[str, ...]] = ("give_recommendation", "case_timeline")

    def policies(self) -> dict[str, Policy]:
        return {"scheduling:AssessorAssigned": self.open_assessment,
                "scheduling:TukVerified": self.record_tuk_verification}

    def give_recommendation(self, tenant: str, actor: Actor, case_id: str, units: list[dict[str, str]],
                            expected_version: int | None = None) -> dict[str, Any]:
        assessment = self.get_owned(as_uuid(case_id, "case_id"), tenant, "assessment", Assessment)
        assessment.check_version(expected_version)
        assessment.give_recommendation(actor, units)
        self.save_checked(assessment)
        return {"recommendation": assessment.recommendation, "version": assessment.version}

    def open_assessment(self, envelope: Envelope, data: Any) -> list[Any]:
        case_id = as_uuid(envelope.correlation_id, "case_id")
        if self.exists(case_id):  # a redelivery, or another assessor took over (delegated, rescheduled)
            assessment: Assessment = self.repository.get(case_id)
            changed = assessment.hand_over(system_actor(self.name), envelope.id, data.assessor.model_dump())
            return [assessment] if changed else []
        assessment = Assessment.open(case_id, envelope.tenant, system_actor(self.name), envelope.id,
                                     data.asesi.model_dump(), data.scheme.model_dump(), data.assessor.model_dump())
        return [assessment, *self._apply_held_verification(assessment, envelope)]

    # ---- the online TUK verification (SOP 2.4.1) ------------------------------------------------------------

    def record_tuk_verification(self, envelope: Envelope, data: Any) -> list[Any]:
        """TukVerified: the case's assessment records it (TIDAK LAYAK refuses its recommendation); before the
        assessment opens it is held and applied when it does."""
        case_id = as_uuid(envelope.correlation_id, "case_id")
        actor = system_actor(self.name)
        if self.exists(case_id):
            assessment: Assessment = self.repository.get(case_id)
            assessment.record_tuk_verification(actor, envelope.id, data.schedule_id, data.conclusion)
            return [assessment]
        held_id = HeldTukVerification.id_for(case_id)
        if self.exists(held_id):
            held: HeldTukVerification = self.repository.get(held_id)
            held.hold(actor, envelope.id, data.schedule_id, data.conclusion)
        else:
            held = HeldTukVerification(id=held_id, tenant=envelope.tenant, actor=actor, correlation_id=str(case_id),
                                       caused_by=envelope.id, schedule_id=data.schedule_id, conclusion=data.conclusion)
        return [held]

    def _apply_held_verification(self, assessment: Assessment, envelope: Envelope) -> list[Any]:
        held_id = HeldTukVerification.id_for(assessment.id)
        if not self.exists(held_id):
            return []
        held: HeldTukVerification = self.repository.get(held_id)
        assessment.record_tuk_verification(system_actor(self.name), envelope.id, **held.latest)
        return []

    def case_parts(self, tenant: str | None, case_id: str) -> list[UUID]:
        return [as_uuid(case_id, "case_id"), HeldTukVerification.id_for(case_id)]


def build_application(settings: Settings) -> AssessmentApp:
    return AssessmentApp(env=event_store_env(settings, AssessmentApp.name))
