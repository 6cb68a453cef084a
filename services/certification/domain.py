"""Certification (SOP 4.3-4.4): the LSP's decision on a recommended case and the certificate."""
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from shared.aggregate import Actor, TenantAggregate, YearlySequence
from shared.errors import Conflict, Invalid
from shared.status import Transitions

DECISIONS = ("K", "BK")


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=day.year + years, day=28)


class CertificationStatus(StrEnum):
    AWAITING_DECISION = "awaiting_decision"
    DECIDED = "decided"


CERTIFICATION = Transitions("case", CertificationStatus, {
    CertificationStatus.AWAITING_DECISION: {"decide": CertificationStatus.DECIDED},
    CertificationStatus.DECIDED: {},  # a K decision issues the certificate in the same step
})


class CertificationCase(TenantAggregate):
    """One case awaiting the LSP's certification decision; its id is the case id."""

    # An __init__ "id" parameter makes eventsourcing use the given case id as the aggregate id.
    @event("CaseReceived")
    def __init__(self, id: UUID, tenant: str, actor: Actor, caused_by: str,  # noqa: A002
                 asesi: dict[str, str], scheme: dict[str, Any], assessor: dict[str, str],
                 units: list[dict[str, str]], recommendation: str):
        self.tenant = tenant
        self.asesi = asesi
        self.scheme = scheme
        self.assessor = assessor
        self.units = units
        self.recommendation = recommendation
        self.status = CertificationStatus.AWAITING_DECISION
        self.decision: str | None = None
        self.certificate_number: str | None = None
        self.verification_token: str | None = None

    @classmethod
    def receive(cls, case_id: UUID, tenant: str, actor: Actor, caused_by: str, asesi: dict[str, str],
                scheme: dict[str, Any], assessor: dict[str, str], units: list[dict[str, str]],
                recommendation: str) -> "CertificationCase":
        return cls(id=case_id, tenant=tenant, actor=actor, caused_by=caused_by, asesi=asesi,
                   scheme=scheme, assessor=assessor, units=units, recommendation=recommendation)

    def decide(self, actor: Actor, decision: str, notes: str, today: date,
               certificates: YearlySequence | None, verification_token: str | None = None) -> None:
        """Decide; a K decision takes the branch's next certificate number and issues the certificate,
        with the random token its QR code carries (chosen by the caller: the domain stays deterministic)."""
        self.check_decision(actor, decision)
        self._decided(actor=actor, decision=decision, notes=notes)
        if decision == "K":
            assert certificates is not None and verification_token
            certificates.take(actor=actor, case_id=str(self.id))
            number = f"LSP-{self.tenant}-{certificates.year}-{certificates.last:05d}"  # no slashes: used in URLs
            self._issue(actor, number, today, self.scheme["validity_years"], verification_token)

    def check_decision(self, actor: Actor, decision: str) -> None:
        if decision not in DECISIONS:
            raise Invalid("decision must be K or BK", field="decision")
        if not CERTIFICATION.can(self.status, "decide"):
            raise Conflict("this case has already been decided")
        if actor["id"] == self.assessor["id"]:
            raise Conflict("conflict of interest: the assessor of this case cannot decide it")
        if decision == "K" and self.recommendation != "K":
            raise Conflict("the assessor recommended BK; the LSP can only confirm competence "
                           "that the assessor recommended", field="decision")

    def _issue(self, actor: Actor, number: str, today: date, years: int, verification_token: str) -> None:
        self._certificate_issued(
            actor=actor, certificate_number=number, holder=self.asesi,
            scheme_number=self.scheme["number"], scheme_title=self.scheme["title"],
            issued_on=today.isoformat(), valid_until=add_years(today, years).isoformat(),
            verification_token=verification_token)

    @event("CertificationDecided")
    def _decided(self, actor: Actor, decision: str, notes: str) -> None:
        self.decision = decision
        self.status = CERTIFICATION.next(self.status, "decide")

    @event("CertificateIssued")
    def _certificate_issued(self, actor: Actor, certificate_number: str, holder: dict[str, str],
                            scheme_number: str, scheme_title: str, issued_on: str,
                            valid_until: str, verification_token: str = "") -> None:
        # the token is in the event, so a replay rebuilds the same QR link; "" in events stored before it
        self.certificate_number = certificate_number
        self.verification_token = verification_token or None
