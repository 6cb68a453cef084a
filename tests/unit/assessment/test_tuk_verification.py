"""The online TUK verification (SOP 2.4.1) as assessment hears it (scheduling:TukVerified): TIDAK LAYAK refuses
the recommendation (in Indonesian) until a later verification clears it; heard before the assessment opens, it
is held and applies when it does; redelivered, it changes nothing."""
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.assessment.application import build_application
from services.assessment.domain import HeldTukVerification
from services.gateway.web.i18n import error_message
from shared.errors import Conflict
from tests.support.api import ASESOR_USER, MET, TENANT, envelope, inbox, scheme
from tests.support.samples import ASESI

ASSESSOR = {"id": ASESOR_USER["id"], "name": ASESOR_USER["name"], "met_number": MET}
SNAPSHOT = scheme(units=2)
ALL_K = [{"code": unit["code"], "result": "K"} for unit in SNAPSHOT["units"]]
PERSON = {"id": ASESI["id"], "name": ASESI["name"]}


@pytest.fixture
def app(settings):
    app = build_application(settings)
    yield app
    app.close()


def assigned(case_id: str, position: int) -> dict[str, Any]:
    return envelope("scheduling", "AssessorAssigned", position, case_id,
                    data={"asesi": PERSON, "scheme": SNAPSHOT, "assessor": ASSESSOR})


def verified(case_id: str, position: int, conclusion: str) -> dict[str, Any]:
    return envelope("scheduling", "TukVerified", position, case_id, data={
        "asesi": PERSON, "schedule_id": "jadwal-1", "conclusion": conclusion, "data": {}, "signature": {}})


def test_tidak_layak_refuses_the_recommendation_until_cleared(app):
    case_id, consumer = str(uuid4()), inbox(app)
    assert consumer.handle(assigned(case_id, 1)) == "processed"
    assert consumer.handle(verified(case_id, 2, "tidak_layak")) == "processed"
    assert consumer.handle(verified(case_id, 2, "tidak_layak")) == "duplicate"
    with pytest.raises(Conflict) as refused:
        app.give_recommendation(TENANT, {**ASESOR_USER}, case_id, ALL_K)
    assert refused.value.field == "case_id"
    assert error_message(refused.value, "id").startswith("TUK jarak jauh asesi diverifikasi TIDAK LAYAK")
    assert consumer.handle(verified(case_id, 3, "layak_dengan_perbaikan")) == "processed"
    assert app.give_recommendation(TENANT, {**ASESOR_USER}, case_id, ALL_K)["recommendation"] == "K"


def test_a_verification_before_the_assessment_opens_is_held_and_applied(app):
    case_id, consumer = str(uuid4()), inbox(app)
    assert consumer.handle(verified(case_id, 1, "tidak_layak")) == "processed"
    held: HeldTukVerification = app.repository.get(HeldTukVerification.id_for(case_id))
    assert held.latest["conclusion"] == "tidak_layak"
    assert consumer.handle(assigned(case_id, 2)) == "processed"
    opened = app.repository.get(UUID(case_id))
    assert opened.tuk_verification == {"schedule_id": "jadwal-1", "conclusion": "tidak_layak"}
    with pytest.raises(Conflict):
        app.give_recommendation(TENANT, {**ASESOR_USER}, case_id, ALL_K)
    types = [entry["type"] for entry in app.case_timeline(TENANT, case_id)]
    assert types == ["TukVerificationHeld", "AssessmentOpened", "TukVerificationRecorded"]


def test_a_layak_verification_never_blocks(app):
    case_id, consumer = str(uuid4()), inbox(app)
    consumer.handle(assigned(case_id, 1))
    consumer.handle(verified(case_id, 2, "layak"))
    assert app.give_recommendation(TENANT, {**ASESOR_USER}, case_id, ALL_K)["recommendation"] == "K"
