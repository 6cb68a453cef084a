"""Assessment (SOP 3.3.33-3.3.36, FR.AK.02): opening by policy, the recommendation rules, read model, API."""
import asyncio
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.assessment import api, queries
from services.assessment.application import build_application
from services.assessment.projections import PROJECTIONS
from shared.aggregate import system_actor
from shared.contracts.events import RecommendationGivenV1
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.projector import Projector
from tests.support.api import (
    ASESOR_USER,
    MET,
    TENANT,
    api_client,
    as_user,
    auth,
    envelope,
    inbox,
    published,
    scheme,
)
from tests.support.samples import ADMIN, ASESI

ASSESSOR = {"id": ASESOR_USER["id"], "name": ASESOR_USER["name"], "met_number": MET}
SNAPSHOT = scheme(units=3)
CODES = [unit["code"] for unit in SNAPSHOT["units"]]


@pytest.fixture
def app(settings):
    app = build_application(settings)
    yield app
    app.close()


def assessor_assigned(case_id: str, position: int = 1, tenant: str = TENANT,
                      assessor: dict = ASSESSOR) -> dict[str, Any]:
    return envelope("scheduling", "AssessorAssigned", position, case_id, tenant=tenant, data={
        "asesi": {"id": ASESI["id"], "name": ASESI["name"]}, "scheme": SNAPSHOT, "assessor": assessor})


def opened(app, position: int = 1, **kwargs: Any) -> str:
    case_id = str(uuid4())
    assert inbox(app).handle(assessor_assigned(case_id, position, **kwargs)) == "processed"
    return case_id


def results(*marks: str) -> list[dict[str, str]]:
    return [{"code": code, "result": mark} for code, mark in zip(CODES, marks, strict=False)]


# ---- policy ---------------------------------------------------------------------------------------

def test_an_assigned_assessor_opens_the_assessment_once(app):
    case_id = str(uuid4())
    body = assessor_assigned(case_id, position=4)
    assert inbox(app).handle(body) == "processed"
    assert inbox(app).handle(body) == "duplicate"
    assert inbox(app).handle(assessor_assigned(case_id, position=5)) == "processed"  # republished: no effect
    [event] = app.stored_events(UUID(case_id))
    assert event.caused_by == "scheduling:4" and event.actor == system_actor("assessment")
    assessment = app.repository.get(UUID(case_id))
    assert assessment.status == "in_progress" and assessment.assessor == ASSESSOR
    assert assessment.scheme["validity_years"] == 3


# ---- recommendation rules -------------------------------------------------------------------------

def test_all_units_k_recommends_k_and_only_once(app):
    case_id = opened(app)
    result = app.give_recommendation(TENANT, ASESOR_USER, case_id, results("K", "K", "K"), expected_version=1)
    assert result == {"recommendation": "K", "version": 2}
    with pytest.raises(Conflict):
        app.give_recommendation(TENANT, ASESOR_USER, case_id, results("K", "K", "K"))


def test_any_unit_bk_recommends_bk_and_units_keep_the_scheme_order(app):
    case_id = opened(app)
    given = list(reversed(results("K", "BK", "K")))
    assert app.give_recommendation(TENANT, ASESOR_USER, case_id, given)["recommendation"] == "BK"
    assert app.repository.get(UUID(case_id)).status == "recommended"
    recorded = app.stored_events(UUID(case_id))[-1]
    assert [u["code"] for u in recorded.units] == CODES


def test_only_the_assigned_assessor_may_recommend(app):
    case_id = opened(app)
    for actor in (ADMIN, {**ASESOR_USER, "id": "asesor-2"}):
        with pytest.raises(Forbidden):
            app.give_recommendation(TENANT, actor, case_id, results("K", "K", "K"))


@pytest.mark.parametrize("units, named", [
    (results("K", "K"), CODES[2]),  # missing
    (results("K", "K", "K") + [{"code": "X.1", "result": "K"}], "X.1"),  # not in the scheme
    (results("K", "K", "K") + results("K"), CODES[0]),  # duplicate
    (results("K", "K") + [{"code": CODES[2], "result": "AL"}], CODES[2]),  # not K/BK
])
def test_every_unit_needs_exactly_one_k_or_bk(app, units, named):
    case_id = opened(app)
    with pytest.raises(Invalid) as error:
        app.give_recommendation(TENANT, ASESOR_USER, case_id, units)
    assert error.value.field == "units" and named in error.value.message


def test_another_branch_or_unknown_case_is_not_found_and_stale_is_conflict(app):
    case_id = opened(app)
    with pytest.raises(NotFound):
        app.give_recommendation("SBY01", ASESOR_USER, case_id, results("K", "K", "K"))
    with pytest.raises(NotFound):
        app.give_recommendation(TENANT, ASESOR_USER, str(uuid4()), results("K", "K", "K"))
    with pytest.raises(Conflict) as stale:
        app.give_recommendation(TENANT, ASESOR_USER, case_id, results("K", "K", "K"), expected_version=3)
    assert stale.value.field == "expected_version"


# ---- contracts, read model, API -------------------------------------------------------------------

def test_recommendation_meets_its_contract(app):
    case_id = opened(app)
    app.give_recommendation(TENANT, ASESOR_USER, case_id, results("K", "BK", "K"))
    envelopes = {e.type: e for e in published(app)}
    given = envelopes["RecommendationGiven"]
    contract = RecommendationGivenV1.model_validate(given.data)
    assert contract.recommendation == "BK" and contract.assessor.met_number == MET
    assert given.correlation_id == case_id and given.actor.id == ASESOR_USER["id"]
    assert given.data["scheme"]["validity_years"] == 3  # certification reads it
    assert envelopes["AssessmentOpened"].causation_id == "scheduling:1"
    assert [e["type"] for e in app.case_timeline(TENANT, case_id)] == ["AssessmentOpened", "RecommendationGiven"]


async def test_read_model_lists_per_assessor_and_branch(app, store):
    mine, theirs = opened(app, position=1), opened(app, position=2, assessor={**ASSESSOR, "id": "asesor-2"})
    opened(app, position=3, tenant="SBY01")
    app.give_recommendation(TENANT, ASESOR_USER, mine, results("K", "K", "K"))
    await Projector(app, store, PROJECTIONS).catch_up()
    assert {d["id"] for d in await queries.list_assessments(store, TENANT)} == {mine, theirs}
    [own] = await queries.list_assessments(store, TENANT, assessor_id=ASESOR_USER["id"])
    assert own["recommendation"] == "K" and own["status"] == "recommended" and len(own["units"]) == 3
    assert await queries.get_assessment(store, TENANT, theirs, assessor_id=ASESOR_USER["id"]) is None
    assert await queries.get_assessment(store, "SBY01", mine) is None


def test_api_recommendation_and_visibility(app, store):
    asesor, admin = as_user(ASESOR_USER), as_user(ADMIN)
    other, asesi = as_user({**ASESOR_USER, "id": "asesor-2"}), as_user(ASESI)
    client = api_client(api.router, {"assessment": app}, store, asesor, admin, other, asesi)
    case_id = opened(app)
    path = f"/api/assessments/{case_id}"
    body = {"units": results("K", "K", "K"), "expected_version": 1}
    assert client.post(f"{path}/recommendation", json=body, headers=auth(admin)).status_code == 403
    assert client.post(f"{path}/recommendation", json=body, headers=auth(other)).status_code == 403
    bad = client.post(f"{path}/recommendation", json={"units": results("K", "K", "X")}, headers=auth(asesor))
    assert bad.status_code == 422 and "result" in bad.json()["detail"][0]["loc"]
    missing = client.post(f"{path}/recommendation", json={"units": results("K")}, headers=auth(asesor))
    assert missing.status_code == 422 and missing.json()["detail"]["field"] == "units"
    given = client.post(f"{path}/recommendation", json=body, headers=auth(asesor))
    assert given.status_code == 200 and given.json()["recommendation"] == "K"
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())
    assert client.get(path, headers=auth(asesor)).json()["recommendation"] == "K"
    assert client.get(path, headers=auth(other)).status_code == 404
    assert client.get("/api/assessments", headers=auth(other)).json() == []
    assert len(client.get("/api/assessments?status=recommended", headers=auth(admin)).json()) == 1
    assert client.get("/api/assessments", headers=auth(asesi)).status_code == 403
