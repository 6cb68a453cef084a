"""Certification commands. Policy: a recommendation puts the case before the LSP's decision."""
import secrets
from datetime import date
from typing import Any, ClassVar

from services.certification.domain import CertificationCase
from shared.aggregate import Actor, as_uuid, system_actor
from shared.contracts import Envelope
from shared.display import wib_today
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.settings import Settings


class CertificationApp(ServiceApplication):
    name = "certification"
    commands: ClassVar[tuple[str, ...]] = ("decide", "case_timeline")

    def policies(self) -> dict[str, Policy]:
        return {"assessment:RecommendationGiven": self.receive_case}

    def today(self) -> date:
        return wib_today()

    def decide(self, tenant: str, actor: Actor, case_id: str, decision: str, notes: str = "",
               expected_version: int | None = None) -> dict[str, Any]:
        def attempt() -> dict[str, Any]:
            case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", CertificationCase)
            case.check_version(expected_version)
            today = self.today()
            certificates = self.sequence(tenant, actor, "certificate", today.year) if decision == "K" else None
            # the QR code's token: unguessable, unlike the sequential number (recorded in the event)
            token = secrets.token_urlsafe(24) if decision == "K" else None
            case.decide(actor, decision, notes, today, certificates, token)
            self.save(case, *([certificates] if certificates else []))  # number and certificate commit together
            return {"certificate_number": case.certificate_number, "version": case.version}
        return self.retry_on_conflict(attempt)

    def receive_case(self, envelope: Envelope, data: Any) -> list[Any]:
        case_id = as_uuid(envelope.correlation_id, "case_id")
        if self.exists(case_id):
            return []
        return [CertificationCase.receive(
            case_id, envelope.tenant, system_actor(self.name), envelope.id, data.asesi.model_dump(),
            data.scheme.model_dump(), data.assessor.model_dump(),
            [unit.model_dump() for unit in data.units], data.recommendation)]


def build_application(settings: Settings) -> CertificationApp:
    return CertificationApp(env=event_store_env(settings, CertificationApp.name))
