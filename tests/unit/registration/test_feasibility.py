"""SOP 1.3: the admin's signed feasibility review of FR.APL.01 and FR.APL.02, and what scheduling makes of it."""
import asyncio
from uuid import UUID

import pytest
from fastapi.exceptions import RequestValidationError

from services.registration import api
from services.registration.domain import assessment_items, content_sha256
from services.registration.forms import KELAYAKAN
from services.registration.projections import PROJECTIONS
from services.scheduling.application import build_application as build_scheduling
from shared.errors import Conflict, Invalid, NotFound
from shared.projector import Projector
from tests.support.api import (
    OWNER,
    SBY_ADMIN,
    STAFF_ADMIN,
    TENANT,
    api_client,
    auth,
    inbox,
    paid,
    published,
    validation_error,
)
from tests.support.samples import ADMIN, ASESI


@pytest.fixture
def scheduling(settings):
    app = build_scheduling(settings)
    yield app
    app.close()


def self_assessed(app, scheme_id) -> str:
    case_id = paid(app, scheme_id)
    scheme = app.repository.get(UUID(case_id)).scheme
    app.update_self_assessment(TENANT, ASESI, case_id, [
        {"unit_code": unit, "element_no": element, "answer": "K", "evidence": []}
        for unit, element in assessment_items(scheme)])
    app.submit_self_assessment(TENANT, ASESI, case_id)
    return case_id


def project(app, store) -> None:
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())


def reviewed_envelope(app, case_id: str) -> dict:
    env = next(e for e in published(app) if e.type == "FeasibilityReviewed" and e.correlation_id == case_id)
    return env.model_dump(mode="json")


# ---- the domain ----------------------------------------------------------------------------------------

def test_review_only_after_the_self_assessment(app, scheme_id):
    case_id = paid(app, scheme_id)
    with pytest.raises(Conflict):
        app.review_feasibility(TENANT, ADMIN, case_id, True, "layak")
    draft = app.draft_application(TENANT, ASESI, scheme_id, "Sertifikasi")
    with pytest.raises(Conflict):
        app.review_feasibility(TENANT, ADMIN, draft, True)


def test_feasible_review_is_signed_over_both_forms_and_the_decision(app, scheme_id):
    case_id = self_assessed(app, scheme_id)
    result = app.review_feasibility(TENANT, ADMIN, case_id, True, " layak ")
    case = app.case(TENANT, case_id)
    assert result["status"] == case.status == "ready_for_scheduling"
    signed = result["feasibility"]["signature"]
    assert signed["signer"] == {"id": ADMIN["id"], "name": ADMIN["name"]} and signed["role"] == ADMIN["role"]
    assert signed["signed_at"]
    assert signed["sha256"] == content_sha256(KELAYAKAN.content(
        {"feasible": "layak", "notes": "layak"}, application_id=case_id,
        apl01_sha256=case.application.signature["sha256"], apl02_sha256=case.self_assessment.signature["sha256"]))
    env = next(e for e in published(app) if e.type == "FeasibilityReviewed")  # to_envelope checks the contract
    assert env.data["feasible"] is True and env.data["invoice_number"] == case.invoice["number"]
    assert env.data["amount"] == case.invoice["amount"] and env.data["scheme"]["id"] == case.application.scheme["id"]
    assert env.data["asesi"] == case.application.asesi and env.data["signature"] == signed
    assert env.correlation_id == case_id  # the self-assessment's event names its case
    with pytest.raises(Conflict):  # once
        app.review_feasibility(TENANT, ADMIN, case_id, False, "berubah pikiran")


def test_not_feasible_needs_a_reason_and_stops_the_case(app, scheme_id):
    case_id = self_assessed(app, scheme_id)
    with pytest.raises(Invalid) as no_reason:
        app.review_feasibility(TENANT, ADMIN, case_id, False, "  ")
    assert no_reason.value.field == "notes"
    app.review_feasibility(TENANT, ADMIN, case_id, False, "bukti portofolio tidak relevan")
    assert app.case(TENANT, case_id).status == "not_feasible"
    with pytest.raises(Conflict):
        app.review_feasibility(TENANT, ADMIN, case_id, True, "")


def test_other_branch_cannot_review(app, scheme_id):
    case_id = self_assessed(app, scheme_id)
    with pytest.raises(NotFound):
        app.review_feasibility("SBY01", ADMIN, case_id, True)


# ---- scheduling reacts to the review ---------------------------------------------------------------------

def test_feasible_review_opens_the_case_in_scheduling_once(app, scheduling, scheme_id):
    case_id = self_assessed(app, scheme_id)
    assert "registration:PaymentVerified" not in scheduling.policies()  # a payment alone opens nothing
    app.review_feasibility(TENANT, ADMIN, case_id, True, "layak")
    body = reviewed_envelope(app, case_id)
    assert inbox(scheduling).handle(body) == "processed"
    assert inbox(scheduling).handle(body) == "duplicate"
    republished = {**body, "id": "registration:99999", "position": 99999}
    assert inbox(scheduling).handle(republished) == "processed"
    opened = scheduling.stored_events(UUID(case_id))
    assert len(opened) == 1 and opened[0].caused_by == body["id"]
    case = scheduling.repository.get(UUID(case_id))
    assert case.status == "awaiting_assessor" and case.tenant == TENANT
    assert case.invoice_number == body["data"]["invoice_number"]


def test_not_feasible_review_opens_nothing_in_scheduling(app, scheduling, scheme_id):
    case_id = self_assessed(app, scheme_id)
    app.review_feasibility(TENANT, ADMIN, case_id, False, "tidak layak")
    assert inbox(scheduling).handle(reviewed_envelope(app, case_id)) == "processed"
    assert not scheduling.exists(UUID(case_id))
    assert scheduling.case_timeline(TENANT, case_id) == []


# ---- read model and HTTP API -----------------------------------------------------------------------------

@pytest.fixture
def client(app, store):
    client = api_client(api.router, {"registration": app}, store, STAFF_ADMIN, OWNER, SBY_ADMIN)
    client.app.add_exception_handler(RequestValidationError, validation_error)
    client.app.state.vaults = {"registration": app.vault}
    return client


def test_api_review(app, store, client, scheme_id):
    case_id = paid(app, scheme_id)
    path = f"/api/applications/{case_id}/feasibility"
    early = client.post(path, json={"feasible": True, "notes": "layak"}, headers=auth(STAFF_ADMIN))
    assert early.status_code == 409, early.text  # before FR.APL.02 is signed
    app.update_self_assessment(TENANT, ASESI, case_id, [
        {"unit_code": unit, "element_no": element, "answer": "K", "evidence": []}
        for unit, element in assessment_items(app.repository.get(UUID(case_id)).scheme)])
    app.submit_self_assessment(TENANT, ASESI, case_id)

    missing = client.post(path, json={"notes": "layak"}, headers=auth(STAFF_ADMIN))
    assert missing.status_code == 422 and missing.json()["detail"]["field"] == "feasible"
    wrong = client.post(path, json={"feasible": "mungkin"}, headers=auth(STAFF_ADMIN))
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "feasible"
    long = client.post(path, json={"feasible": True, "notes": "x" * 2001}, headers=auth(STAFF_ADMIN))
    assert long.status_code == 422 and long.json()["detail"]["field"] == "notes"
    no_reason = client.post(path, json={"feasible": False}, headers=auth(STAFF_ADMIN))
    assert no_reason.status_code == 422 and no_reason.json()["detail"]["field"] == "notes"
    assert client.post(path, json={"feasible": True}, headers=auth(OWNER)).status_code == 403
    assert client.post(path, json={"feasible": True}, headers=auth(SBY_ADMIN)).status_code == 404
    stale = client.post(path, json={"feasible": True, "expected_version": 1}, headers=auth(STAFF_ADMIN))
    assert stale.status_code == 409

    done = client.post(path, json={"feasible": False, "notes": "bukti tidak relevan"}, headers=auth(STAFF_ADMIN))
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "not_feasible" and len(done.json()["feasibility"]["signature"]["sha256"]) == 64
    project(app, store)
    seen = client.get(f"/api/applications/{case_id}", headers=auth(OWNER)).json()
    assert seen["status"] == "not_feasible"
    assert seen["feasibility"]["feasible"] is False and seen["feasibility"]["case_stopped"] is True
    assert seen["feasibility"]["notes"] == "bukti tidak relevan"
    assert seen["feasibility"]["signature"] == done.json()["feasibility"]["signature"]
    again = client.post(path, json={"feasible": True}, headers=auth(STAFF_ADMIN))
    assert again.status_code == 409


def test_read_model_of_a_feasible_review(app, store, client, scheme_id):
    case_id = self_assessed(app, scheme_id)
    done = client.post(f"/api/applications/{case_id}/feasibility", json={"feasible": True},
                       headers=auth(STAFF_ADMIN))
    assert done.status_code == 200 and done.json()["status"] == "ready_for_scheduling", done.text
    project(app, store)
    seen = client.get(f"/api/applications/{case_id}", headers=auth(STAFF_ADMIN)).json()
    assert seen["status"] == "ready_for_scheduling" and seen["feasibility"]["case_stopped"] is False
    assert seen["feasibility"]["reviewed_by"]["id"] == ADMIN["id"]
