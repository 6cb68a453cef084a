"""Scheduling (SOP 1.5): assessor registry, assignment rules, policies, contracts, read models, API."""
import asyncio
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.scheduling import api, queries
from services.scheduling.domain import Assessor
from services.scheduling.projections import PROJECTIONS
from shared.aggregate import system_actor
from shared.contracts import Envelope, parse_data
from shared.errors import Conflict, Invalid, NotFound
from shared.projector import Projector
from tests.support.api import (
    ASESOR_USER,
    MET,
    SCHEME_NUMBER,
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
from tests.support.scheduling import (
    CLEAR,
    assigned_case,
    feasibility_reviewed,
    opened_case,
    registered,
    session,
)

# ---- fixtures -----------------------------------------------------------------------------------



# ---- assessor registry --------------------------------------------------------------------------

def test_assessor_registration_is_stable_per_user_and_branch(app):
    first = registered(app)
    assert first == str(Assessor.create_id(TENANT, ASESOR_USER["id"]))
    assert registered(app, tenant="SBY01") != first  # the same person may serve another branch
    with pytest.raises(Conflict) as twice:
        registered(app)
    assert twice.value.field == "user_id"


@pytest.mark.parametrize("met", [MET, "MET.000.011411 2019"])
def test_both_met_number_spellings_are_accepted(app, met):
    app.register_assessor(TENANT, ADMIN, "asesor-9", "Dewi", met, "2030-01-01", [SCHEME_NUMBER])


@pytest.mark.parametrize("met, valid_until, schemes, field", [
    ("MET-000-001668-2012", "2030-01-01", [SCHEME_NUMBER], "met_number"),
    ("MET.000.1668.2012", "2030-01-01", [SCHEME_NUMBER], "met_number"),
    (MET, "31/12/2030", [SCHEME_NUMBER], "valid_until"),
    (MET, "2030-01-01", [], "scheme_numbers"),
    (MET, "2030-01-01", ["  "], "scheme_numbers"),
])
def test_assessor_registration_rejects_bad_input_naming_the_field(app, met, valid_until, schemes, field):
    with pytest.raises(Invalid) as error:
        app.register_assessor(TENANT, ADMIN, "asesor-9", "Dewi", met, valid_until, schemes)
    assert error.value.field == field


# ---- policy: registration:FeasibilityReviewed (feasible) opens a case ---------------------------

def test_a_feasible_review_opens_a_case_once(app):
    case_id = str(uuid4())
    body = feasibility_reviewed(case_id, position=7)
    assert inbox(app).handle(body) == "processed"
    assert inbox(app).handle(body) == "duplicate"
    case = app.repository.get(UUID(case_id))
    assert case.status == "awaiting_assessor" and case.tenant == TENANT
    assert case.scheme["validity_years"] == 3  # producer extras travel on with the snapshot
    opened = app.stored_events(UUID(case_id))
    assert len(opened) == 1
    assert opened[0].caused_by == "registration:7" and opened[0].actor == system_actor("scheduling")


def test_a_not_feasible_review_opens_nothing(app):
    case_id = str(uuid4())
    body = feasibility_reviewed(case_id, position=3, feasible=False)
    parsed = Envelope.model_validate(body)
    data = parse_data(parsed.type, parsed.schema_version, parsed.data)
    assert app.policies()["registration:FeasibilityReviewed"](parsed, data) == []
    assert inbox(app).handle(body) == "processed"
    assert not app.exists(UUID(case_id))
    registered(app)
    with pytest.raises(NotFound):
        app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])


def test_a_verified_payment_alone_no_longer_opens_a_case(app):
    assert "registration:PaymentVerified" not in app.policies()


def test_a_republished_review_with_a_new_position_has_no_second_effect(app):
    case_id = opened_case(app, position=1)
    assert inbox(app).handle(feasibility_reviewed(case_id, position=2)) == "processed"
    assert len(app.stored_events(UUID(case_id))) == 1


# ---- policy: assessment:RecommendationGiven releases the assessor's load --------------------------

def recommendation_given(case_id: str, position: int = 1) -> dict[str, Any]:
    return envelope("assessment", "RecommendationGiven", position, case_id, actor=ASESOR_USER, data={
        "asesi": {"id": ASESI["id"], "name": ASESI["name"]}, "scheme": scheme(),
        "assessor": {"id": ASESOR_USER["id"], "name": ASESOR_USER["name"], "met_number": MET},
        "units": [{"code": "M.71KKK01.001.1", "result": "K"}], "recommendation": "K"})


def test_a_recommendation_frees_the_assessor_once(app):
    case_id = assigned_case(app)
    assert inbox(app).handle(recommendation_given(case_id)) == "processed"
    assert inbox(app).handle(recommendation_given(case_id)) == "duplicate"
    assert inbox(app).handle(recommendation_given(case_id, position=2)) == "processed"  # no effect
    assert app.repository.get(UUID(case_id)).status == "completed"
    assert app.repository.get(Assessor.create_id(TENANT, ASESOR_USER["id"])).active_cases == []


def test_a_recommendation_before_the_case_is_known_is_not_ready_then_parked(app):
    case_id = str(uuid4())
    assert inbox(app).handle(recommendation_given(case_id)) == "parked"
    letters = [e for e in published(app) if e.type == "DeadLetterParked"]
    assert "NotReady" in letters[0].data["error"]


# ---- contracts, timeline, read models -----------------------------------------------------------

def test_recorded_events_meet_their_contracts(app):
    case_id = assigned_case(app)
    envelopes = {e.type: e for e in published(app)}
    assigned = envelopes["AssessorAssigned"]
    assert assigned.correlation_id == case_id and assigned.actor.id == ASESOR_USER["id"]
    assert parse_data("AssessorAssigned", assigned.schema_version, assigned.data).schedule.tanggal
    assert assigned.data["assessor"]["met_number"] == MET
    assert envelopes["AssessorCaseTaken"].correlation_id == case_id
    timeline = app.case_timeline(TENANT, case_id)
    assert [e["type"] for e in timeline] == ["CaseOpened", "CaseScheduled", "AssessorAppointed", "AssessorAssigned"]
    assert app.case_timeline("SBY01", case_id) == []


async def test_projections_list_cases_and_assessor_load(app, store):
    waiting, assigned = opened_case(app, position=1), assigned_case(app, position=2)
    opened_case(app, tenant="SBY01", position=3)
    await Projector(app, store, PROJECTIONS).catch_up()
    cases = await queries.list_cases(store, TENANT)
    assert {c["id"]: c["status"] for c in cases} == {waiting: "awaiting_assessor", assigned: "assigned"}
    assert [c["id"] for c in await queries.list_cases(store, TENANT, "assigned")] == [assigned]
    assert (await queries.get_case(store, TENANT, assigned))["assessor"]["id"] == ASESOR_USER["id"]
    assert await queries.get_case(store, "SBY01", assigned) is None
    [assessor] = await queries.list_assessors(store, TENANT, SCHEME_NUMBER)
    assert assessor["load"] == 1 and assessor["active_cases"] == [assigned]
    assert await queries.list_assessors(store, TENANT, "OTHER") == []
    assert await queries.list_assessors(store, "SBY01") == []


# ---- HTTP API -----------------------------------------------------------------------------------

def test_api_registers_assessors_from_the_branch_user_directory(app, store):
    admin, asesor = as_user(ADMIN), as_user(ASESOR_USER)
    outsider, asesi = as_user({**ASESOR_USER, "id": "asesor-x"}, "SBY01"), as_user(ASESI)
    client = api_client(api.router, {"scheduling": app}, store, admin, asesor, outsider, asesi)
    body = {"user_id": asesor.id, "met_number": MET, "valid_until": "2030-12-31",
            "scheme_numbers": [SCHEME_NUMBER]}
    assert client.post("/api/assessors", json=body, headers=auth(asesi)).status_code == 403
    created = client.post("/api/assessors", json=body, headers=auth(admin))
    assert created.status_code == 201
    assert app.repository.get(UUID(created.json()["id"])).name == ASESOR_USER["name"]
    assert client.post("/api/assessors", json=body, headers=auth(admin)).status_code == 409
    for user_id in ("unknown", outsider.id, asesi.id):  # missing, other branch, not an asesor
        refused = client.post("/api/assessors", json={**body, "user_id": user_id}, headers=auth(admin))
        assert refused.status_code == 422 and refused.json()["detail"]["field"] == "user_id"
    bad_met = client.post("/api/assessors", json={**body, "met_number": "MET 1"}, headers=auth(admin))
    assert bad_met.status_code == 422 and bad_met.json()["detail"][0]["loc"][-1] == "met_number"


def test_api_assigns_and_lists_cases(app, store):
    admin, manajer = as_user(ADMIN), as_user({"id": "m-1", "role": "manajer_sertifikasi", "name": "Eko"})
    asesi, other_admin = as_user(ASESI), as_user({**ADMIN, "id": "admin-sby"}, "SBY01")
    asesor, other_asesor = as_user(ASESOR_USER), as_user({**ASESOR_USER, "id": "asesor-2"})
    client = api_client(api.router, {"scheduling": app}, store, admin, manajer, asesi, other_admin, asesor,
                        other_asesor)
    case_id = opened_case(app)
    registered(app)
    app.place_case(TENANT, ADMIN, session(app), case_id)
    path = f"/api/scheduling/cases/{case_id}"
    assert client.post(f"/api/scheduling/cases/{uuid4()}/assign", json={"assessor_id": ASESOR_USER["id"]},
                       headers=auth(admin)).status_code == 404
    assert client.post(f"{path}/assign", json={"assessor_id": ASESOR_USER["id"]},
                       headers=auth(asesi)).status_code == 403
    assert client.post(f"{path}/assign", json={"assessor_id": ASESOR_USER["id"]},
                       headers=auth(other_admin)).status_code == 404
    assigned = client.post(f"{path}/assign", json={"assessor_id": ASESOR_USER["id"], "expected_version": 2},
                           headers=auth(manajer))
    assert assigned.status_code == 200 and assigned.json()["version"] == 3
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())
    mine = client.get("/api/asesor/assignments", headers=auth(asesor)).json()
    assert [(c["id"], c["status"]) for c in mine] == [(case_id, "appointed")]
    assert client.get("/api/asesor/assignments", headers=auth(other_asesor)).json() == []
    confirm = f"/api/asesor/assignments/{case_id}/confirm"
    assert client.post(confirm, json=CLEAR, headers=auth(other_asesor)).status_code == 404  # not theirs
    refused = client.post(confirm, json={**CLEAR, "melatih": "ya"}, headers=auth(asesor))
    assert refused.status_code == 409 and refused.json()["detail"]["field"] == "melatih"
    bad = client.post(confirm, json={**CLEAR, "melatih": "mungkin"}, headers=auth(asesor))
    assert bad.status_code == 422
    assert client.post(confirm, json=CLEAR, headers=auth(asesor)).json()["status"] == "assigned"
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())
    [listed_session] = client.get("/api/schedules", headers=auth(admin)).json()  # the peta penugasan
    assert listed_session["assessors"] == {ASESOR_USER["id"]: [case_id]}
    listed = client.get("/api/scheduling/cases?status=assigned", headers=auth(admin)).json()
    assert [c["id"] for c in listed] == [case_id]
    assert client.get("/api/scheduling/cases?status=bogus", headers=auth(admin)).status_code == 422
    assert client.get(path, headers=auth(admin)).json()["assessor"]["met_number"] == MET
    assert client.get(path, headers=auth(other_admin)).status_code == 404
    assert client.get("/api/assessors", headers=auth(asesi)).status_code == 403
    assert len(client.get("/api/assessors", headers=auth(manajer)).json()) == 1
