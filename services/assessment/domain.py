"""Assessment (SOP 3.3.33-3.3.36): the assessor's K/BK recommendation per unit (FR.AK.02)."""
from collections import Counter
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from shared.aggregate import Actor, CasePart, TenantAggregate
from shared.errors import Conflict, Forbidden, Invalid
from shared.status import Transitions

RESULTS = ("K", "BK")  # Kompeten / Belum Kompeten
TUK_NOT_FIT = "tidak_layak"  # the TukVerified contract's conclusion that stops an assessment (SOP 2.4.1)


def check_unit_results(scheme_units: list[dict[str, Any]], units: list[dict[str, str]]) -> None:
    """Exactly one K or BK per unit of the scheme: FR.AK.02 records every unit."""
    expected = [unit["code"] for unit in scheme_units]
    given = Counter(unit.get("code") for unit in units)
    # one problem at a time, each its own message (the reader sees it in their language)
    if missing := [code for code in expected if code not in given]:
        raise Invalid("one result per unit of the scheme; missing: {units}", field="units", units=missing)
    if unknown := [str(code) for code in given if code not in expected]:
        raise Invalid("one result per unit of the scheme; not in the scheme: {units}", field="units", units=unknown)
    if duplicate := [str(code) for code, count in given.items() if count > 1]:
        raise Invalid("one result per unit of the scheme; given more than once: {units}", field="units",
                      units=duplicate)
    if wrong := [str(unit.get("code")) for unit in units if unit.get("result") not in RESULTS]:
        raise Invalid("one result per unit of the scheme; result must be K or BK: {units}", field="units",
                      units=wrong)


class AssessmentStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    RECOMMENDED = "recommended"


ASSESSMENT = Transitions("assessment", AssessmentStatus, {
    AssessmentStatus.IN_PROGRESS: {"recommend": AssessmentStatus.RECOMMENDED},
    AssessmentStatus.RECOMMENDED: {},
})


class Assessment(TenantAggregate):
    """One case's assessment by its assigned assessor; its id is the case id."""

    # An __init__ "id" parameter makes eventsourcing use the given case id as the aggregate id.
    @event("AssessmentOpened")
    def __init__(self, id: UUID, tenant: str, actor: Actor, caused_by: str,  # noqa: A002
                 asesi: dict[str, str], scheme: dict[str, Any], assessor: dict[str, str]):
        self.tenant = tenant
        self.asesi = asesi
        self.scheme = scheme
        self.assessor = assessor
        self.status = AssessmentStatus.IN_PROGRESS
        self.recommendation: str | None = None

    @classmethod
    def open(cls, case_id: UUID, tenant: str, actor: Actor, caused_by: str, asesi: dict[str, str],
             scheme: dict[str, Any], assessor: dict[str, str]) -> "Assessment":
        return cls(id=case_id, tenant=tenant, actor=actor, caused_by=caused_by, asesi=asesi,
                   scheme=scheme, assessor=assessor)

    def hand_over(self, actor: Actor, caused_by: str, assessor: dict[str, str]) -> bool:
        """Another assessor confirmed for the case (delegated, or after rescheduling): theirs from now on. Once
        the recommendation is given it stays with whoever gave it."""
        if assessor["id"] == self.assessor["id"] or not ASSESSMENT.can(self.status, "recommend"):
            return False
        self._handed_over(actor=actor, caused_by=caused_by, assessor=assessor)
        return True

    @event("AssessorChanged")
    def _handed_over(self, actor: Actor, caused_by: str, assessor: dict[str, str]) -> None:
        self.assessor = assessor

    def give_recommendation(self, actor: Actor, units: list[dict[str, str]]) -> None:
        if actor["id"] != self.assessor["id"]:
            raise Forbidden("only the assessor assigned to this case can give its recommendation")
        if not ASSESSMENT.can(self.status, "recommend"):
            raise Conflict("the recommendation for this case has already been given")
        self.check_tuk_cleared()
        check_unit_results(self.scheme["units"], units)
        order = {unit["code"]: index for index, unit in enumerate(self.scheme["units"])}
        results = sorted(({"code": unit["code"], "result": unit["result"]} for unit in units),
                         key=lambda unit: order[unit["code"]])
        recommendation = "K" if all(unit["result"] == "K" for unit in results) else "BK"
        self._recommendation_given(actor=actor, asesi=self.asesi, scheme=self.scheme,
                                   assessor=self.assessor, units=results, recommendation=recommendation)

    @event("RecommendationGiven")
    def _recommendation_given(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                              assessor: dict[str, str], units: list[dict[str, str]],
                              recommendation: str) -> None:
        self.recommendation = recommendation
        self.status = ASSESSMENT.next(self.status, "recommend")

    # -- the online TUK verification (SOP 2.4.1): TIDAK LAYAK stops the assessment until a later one clears it --
    def record_tuk_verification(self, actor: Actor, caused_by: str, schedule_id: str, conclusion: str) -> None:
        latest = getattr(self, "tuk_verification", None)
        if latest == {"schedule_id": schedule_id, "conclusion": conclusion}:
            return  # heard already: nothing changes
        self._tuk_verification_recorded(actor=actor, caused_by=caused_by, schedule_id=schedule_id,
                                        conclusion=conclusion)

    @event("TukVerificationRecorded")
    def _tuk_verification_recorded(self, actor: Actor, caused_by: str, schedule_id: str, conclusion: str) -> None:
        self.tuk_verification = {"schedule_id": schedule_id, "conclusion": conclusion}

    def check_tuk_cleared(self) -> None:
        latest = getattr(self, "tuk_verification", None)  # assessments opened before SOP 2.4.1 have none
        if latest and latest["conclusion"] == TUK_NOT_FIT:
            raise Conflict("the asesi's remote TUK was verified TIDAK LAYAK; the assessment cannot go ahead until "
                           "they are rescheduled and verified again", field="case_id")


class HeldTukVerification(CasePart):
    """A TUK verification heard before the case's assessment opened (no assessor yet): kept here and applied
    when it opens. Id case_part_id(case, "verifikasi_tuk")."""

    part = "verifikasi_tuk"

    @event("TukVerificationHeld")
    def __init__(self, id: UUID, tenant: str, actor: Actor, correlation_id: str,  # noqa: A002
                 caused_by: str, schedule_id: str, conclusion: str):
        self.tenant = tenant
        self.case_id = correlation_id
        self.latest = {"schedule_id": schedule_id, "conclusion": conclusion}

    def hold(self, actor: Actor, caused_by: str, schedule_id: str, conclusion: str) -> None:
        if self.latest == {"schedule_id": schedule_id, "conclusion": conclusion}:
            return
        self._held(actor=actor, caused_by=caused_by, schedule_id=schedule_id, conclusion=conclusion)

    @event("TukVerificationHeldAgain")
    def _held(self, actor: Actor, caused_by: str, schedule_id: str, conclusion: str) -> None:
        self.latest = {"schedule_id": schedule_id, "conclusion": conclusion}
