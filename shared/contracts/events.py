"""Versioned data contracts of the events other services consume.

A published version is never edited: add a V2 model and an upcaster from V1.
Consumers always receive the newest version (parse_data upcasts).
"""
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Contract(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)  # producers may add fields


class Person(Contract):
    id: str
    name: str


class Unit(Contract):
    code: str
    title: str


class SchemeSnapshot(Contract):
    """The scheme version a case applied for; travels with the case so no service re-reads it."""
    id: str
    number: str
    title: str
    version: int
    units: list[Unit]
    validity_years: int = 3


class ApplicationSubmittedV1(Contract):
    asesi: Person
    scheme: SchemeSnapshot
    purpose: str


class PaymentVerifiedV1(Contract):
    asesi: Person
    scheme: SchemeSnapshot
    invoice_number: str
    amount: int


class FeasibilityReviewedV1(Contract):
    """SOP 1.3: the admin's review of FR.APL.01 and FR.APL.02; feasible cases go on to scheduling."""
    asesi: Person
    scheme: SchemeSnapshot
    invoice_number: str
    amount: int
    feasible: bool
    notes: str


class FeasibilityReviewedV2(FeasibilityReviewedV1):
    """V2 adds the asesi's institution as FR.APL.01 gives it (Bagian 1 (b)), for the conflict-of-interest check:
    no assessor from the asesi's own institution. "" when not given (and for V1 events)."""
    institution: str = ""


class Assessor(Contract):
    id: str
    name: str
    met_number: str


class AssessorAssignedV1(Contract):
    asesi: Person
    scheme: SchemeSnapshot
    assessor: Assessor


class ScheduleRef(Contract):
    """The session an assignment is for (date and times in WIB)."""
    id: str
    tanggal: str
    mulai: str
    selesai: str
    tuk: dict[str, str]
    jarak_jauh: str


class AssessorAssignedV2(AssessorAssignedV1):
    """V2: the assessor has confirmed (with their impartiality declaration) for a session; `replaces` names the
    assessor this one takes over from (a delegation or a new assignment after rescheduling), else None.
    V1 events (assigned before schedules existed) have neither."""
    schedule: ScheduleRef | None = None
    replaces: str | None = None


class UnitResult(Contract):
    code: str
    result: Literal["K", "BK"]


class RecommendationGivenV1(Contract):
    asesi: Person
    scheme: SchemeSnapshot
    assessor: Assessor
    units: list[UnitResult]
    recommendation: Literal["K", "BK"]


class CertificateIssuedV1(Contract):
    certificate_number: str
    holder: Person
    scheme_number: str
    scheme_title: str
    issued_on: str
    valid_until: str


class TukVerifiedV1(Contract):
    """SOP 2.4.1: the online verification of a participant's own place (remote TUK Sewaktu); TIDAK LAYAK
    means that participant's assessment may not go ahead (they are rescheduled); the latest one counts."""
    asesi: Person
    schedule_id: str
    conclusion: Literal["layak", "layak_dengan_perbaikan", "tidak_layak"]


CONTRACTS: dict[tuple[str, int], type[Contract]] = {
    ("ApplicationSubmitted", 1): ApplicationSubmittedV1,
    ("PaymentVerified", 1): PaymentVerifiedV1,
    ("FeasibilityReviewed", 1): FeasibilityReviewedV1,
    ("FeasibilityReviewed", 2): FeasibilityReviewedV2,
    ("AssessorAssigned", 1): AssessorAssignedV1,
    ("AssessorAssigned", 2): AssessorAssignedV2,
    ("RecommendationGiven", 1): RecommendationGivenV1,
    ("CertificateIssued", 1): CertificateIssuedV1,
    ("TukVerified", 1): TukVerifiedV1,
}

# (type, from_version) -> function turning that version's data into the next version's.
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {
    ("FeasibilityReviewed", 1): lambda data: {"institution": "", **data},
    ("AssessorAssigned", 1): lambda data: {"schedule": None, "replaces": None, **data},
}


def current_version(event_type: str) -> int:
    versions = [v for (t, v) in CONTRACTS if t == event_type]
    return max(versions, default=1)


def parse_data(event_type: str, version: int, data: dict[str, Any]) -> Contract | dict[str, Any]:
    """Validate (and upcast) event data; types without a contract pass through as dicts."""
    while (event_type, version) in UPCASTERS:
        data = UPCASTERS[(event_type, version)](data)
        version += 1
    model = CONTRACTS.get((event_type, version))
    return model.model_validate(data) if model else data


def json_schemas() -> dict[str, dict[str, Any]]:
    from shared.contracts.envelope import Envelope
    schemas = {f"{t}.v{v}": m.model_json_schema() for (t, v), m in CONTRACTS.items()}
    schemas["Envelope"] = Envelope.model_json_schema()
    return schemas
