"""Assessment commands. Policy: an assigned assessor opens the case's assessment."""
from typing import Any, ClassVar

from services.assessment.domain import Assessment
from shared.aggregate import Actor, as_uuid, system_actor
from shared.contracts import Envelope
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.settings import Settings


class AssessmentApp(ServiceApplication):
    name = "assessment"
    commands: ClassVar[tuple[str, ...]] = ("give_recommendation", "case_timeline")

    def policies(self) -> dict[str, Policy]:
        return {"scheduling:AssessorAssigned": self.open_assessment}

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
        return [Assessment.open(case_id, envelope.tenant, system_actor(self.name), envelope.id,
                                data.asesi.model_dump(), data.scheme.model_dump(),
                                data.assessor.model_dump())]


def build_application(settings: Settings) -> AssessmentApp:
    return AssessmentApp(env=event_store_env(settings, AssessmentApp.name))
