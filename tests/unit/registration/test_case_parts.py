"""Aggregates sized to the work (issue 8, item 6): a registration case is four aggregates, each with its
own version, so people working on different parts of one case never conflict; statuses are enumerations
moved by one table each; the timeline and the read model see the case whole."""
import asyncio
from uuid import UUID, uuid5

import pytest

from services.registration import api
from services.registration.domain import (
    APPLICATION,
    CASE,
    PAYMENT,
    SELF_ASSESSMENT,
    ApplicationStatus,
    CaseStatus,
    Payment,
    PaymentStatus,
    SelfAssessment,
    SelfAssessmentStatus,
    TukEquipment,
    assessment_items,
    case_status,
)
from services.registration.projections import PROJECTIONS
from services.registration.seed import REMOTE_REQUIREMENTS
from shared.errors import Conflict, Invalid
from shared.messaging.envelopes import to_envelope
from shared.projector import Projector
from tests.support.api import (
    OWNER,
    STAFF_ADMIN,
    TENANT,
    accepted_case,
    api_client,
    auth,
    paid,
    pay_proof,
    published,
    submitted_case,
)
from tests.support.samples import ADMIN, ASESI

# ---- registration's statuses (the table itself: tests/unit/shared/test_status.py) ------------------------


def test_statuses_keep_the_strings_read_models_and_answers_carry():
    assert [s.value for s in CaseStatus] == [
        "draft", "submitted", "returned", "accepted", "awaiting_payment", "payment_submitted", "paid",
        "self_assessed", "ready_for_scheduling", "not_feasible"]
    assert {s.value for s in (*ApplicationStatus, *PaymentStatus)} <= {s.value for s in CaseStatus}
    # the case's table is the parts' tables in sequence: everything follows a draft, the end states are final
    assert CASE.reachable("draft") == set(CaseStatus)
    assert set(CASE.final()) == {CaseStatus.READY_FOR_SCHEDULING, CaseStatus.NOT_FEASIBLE}
    assert APPLICATION.final() == (ApplicationStatus.ACCEPTED,) and PAYMENT.final() == (PaymentStatus.PAID,)
    assert SELF_ASSESSMENT.actions("self_assessed") == ("feasible", "not_feasible")


def test_the_case_status_is_the_furthest_part_that_exists():
    assert case_status("draft") == "draft" and case_status("returned") == "returned"
    assert case_status("accepted", "awaiting_payment") == "awaiting_payment"
    assert case_status("accepted", "paid") == "paid"
    assert case_status("accepted", "paid", "open") == "paid"  # FR.APL.02 begun: still "paid" to the reader
    assert case_status("accepted", "paid", "not_feasible") == "not_feasible"


def test_every_status_each_aggregate_reaches_is_in_its_table(app, scheme_id):
    case_id = paid(app, scheme_id)
    app.update_self_assessment(TENANT, ASESI, case_id, [
        {"unit_code": unit, "element_no": element, "answer": "K", "evidence": []}
        for unit, element in assessment_items(app.repository.get(UUID(case_id)).scheme)])
    app.submit_self_assessment(TENANT, ASESI, case_id)
    app.review_feasibility(TENANT, ADMIN, case_id, True, "layak")
    case = app.case(TENANT, case_id)
    assert isinstance(case.application.status, ApplicationStatus) and case.application.status == "accepted"
    assert isinstance(case.payment_part.status, PaymentStatus) and case.payment_part.status == "paid"
    assert case.self_assessment.status is SelfAssessmentStatus.READY_FOR_SCHEDULING
    assert case.status is CaseStatus.READY_FOR_SCHEDULING


# ---- one case, several aggregates -------------------------------------------------------------------------

def test_every_part_is_found_from_the_case_id(app, scheme_id):
    case_id = paid(app, scheme_id)
    app.confirm_tuk_equipment(TENANT, ASESI, case_id, [REMOTE_REQUIREMENTS[0]])
    app.update_self_assessment(TENANT, ASESI, case_id, [
        {"unit_code": "M.71KKK01.001.1", "element_no": None, "answer": "K", "evidence": []}])
    case = UUID(case_id)
    assert app.case_parts(TENANT, case_id) == [case, uuid5(case, "tuk_equipment"), uuid5(case, "payment"),
                                               uuid5(case, "self_assessment")]
    kinds = [TukEquipment, Payment, SelfAssessment]
    for part_id, kind in zip(app.case_parts(TENANT, case_id)[1:], kinds, strict=True):
        part = app.repository.get(part_id)
        assert isinstance(part, kind) and part.case_id == case_id and part.tenant == TENANT
    # each part's events name the case as their correlation id (their aggregate id is the part's)
    of_parts = [e for e in published(app) if e.aggregate_id != case_id and e.correlation_id == case_id
                and e.type not in ("NumberTaken",)]
    assert {e.type for e in of_parts} >= {"TukEquipmentRequested", "InvoiceIssued", "PaymentVerified",
                                         "SelfAssessmentStarted", "SelfAssessmentDraftUpdated"}
    assert "correlation_id" not in next(e for e in of_parts if e.type == "PaymentVerified").data


def test_admin_verifying_documents_and_asesi_ticking_equipment_never_conflict(app, scheme_id):
    case_id = submitted_case(app, TENANT, ASESI, scheme_id)
    read = app.case(TENANT, case_id).versions  # both read the case at the same moment
    app.confirm_tuk_equipment(TENANT, ASESI, case_id, [REMOTE_REQUIREMENTS[0]],
                              expected_version=read["tuk_equipment"])
    app.verify_document(TENANT, ADMIN, case_id, "PD-01", "memenuhi", expected_version=read["application"])
    # the guard still holds within a part: a second write on what was read before is stale
    with pytest.raises(Conflict) as stale:
        app.verify_document(TENANT, ADMIN, case_id, "PD-02", "memenuhi", expected_version=read["application"])
    assert stale.value.field == "expected_version"
    with pytest.raises(Conflict):
        app.confirm_tuk_equipment(TENANT, ASESI, case_id, [], expected_version=read["tuk_equipment"])


def test_admin_verifying_the_payment_and_asesi_ticking_equipment_at_the_same_state_both_succeed(app, scheme_id):
    case_id, invoice = accepted_case(app, TENANT, ASESI, ADMIN, scheme_id)
    pay_proof(app, TENANT, ASESI, case_id, invoice["amount"])
    read = app.case(TENANT, case_id).versions
    assert read["payment"] == 2  # InvoiceIssued, PaymentProofSubmitted: its own count, not the application's
    app.confirm_tuk_equipment(TENANT, ASESI, case_id, list(REMOTE_REQUIREMENTS),
                              expected_version=read["tuk_equipment"])
    assert app.verify_payment(TENANT, ADMIN, case_id, expected_version=read["payment"]) == 3
    assert app.case(TENANT, case_id).status == "paid"


def test_the_asesis_fr_apl_02_draft_and_the_admins_feasibility_work_never_collide_with_other_parts(app, scheme_id):
    case_id = paid(app, scheme_id)
    items = assessment_items(app.repository.get(UUID(case_id)).scheme)
    first = app.update_self_assessment(TENANT, ASESI, case_id, [
        {"unit_code": items[0][0], "element_no": items[0][1], "answer": "K", "evidence": []}])
    read = app.case(TENANT, case_id).versions
    assert read["self_assessment"] == first["version"] == 2  # begun by the asesi's first save
    # the asesi saves FR.APL.02 on the laptop while the phone ticks the TUK equipment, both from one read
    app.confirm_tuk_equipment(TENANT, ASESI, case_id, [REMOTE_REQUIREMENTS[1]],
                              expected_version=read["tuk_equipment"])
    saved = app.update_self_assessment(TENANT, ASESI, case_id, [
        {"unit_code": u, "element_no": e, "answer": "K", "evidence": []} for u, e in items],
        expected_version=read["self_assessment"])
    with pytest.raises(Conflict):  # the same part from the same read is stale
        app.update_self_assessment(TENANT, ASESI, case_id, [
            {"unit_code": items[0][0], "element_no": items[0][1], "answer": "BK", "evidence": []}],
            expected_version=read["self_assessment"])
    app.submit_self_assessment(TENANT, ASESI, case_id, expected_version=saved["version"])
    read = app.case(TENANT, case_id).versions
    # the admin reviews feasibility while the asesi, from the same read, ticks the equipment again
    app.confirm_tuk_equipment(TENANT, ASESI, case_id, list(REMOTE_REQUIREMENTS),
                              expected_version=read["tuk_equipment"])
    result = app.review_feasibility(TENANT, ADMIN, case_id, True, "layak",
                                    expected_version=read["self_assessment"])
    assert result["status"] == "ready_for_scheduling" and result["part"] == "self_assessment"


def test_a_part_not_yet_begun_says_the_cases_status(app, scheme_id):
    case_id = submitted_case(app, TENANT, ASESI, scheme_id)
    with pytest.raises(Conflict) as early:
        app.verify_payment(TENANT, ADMIN, case_id)
    assert early.value.params == {"what": "application", "status": "submitted"}
    case_id = paid(app, scheme_id)
    with pytest.raises(Conflict) as not_begun:  # the self-assessment has no version 3 yet
        app.update_self_assessment(TENANT, ASESI, case_id, [
            {"unit_code": "M.71KKK01.001.1", "element_no": None, "answer": "K", "evidence": []}], expected_version=3)
    assert not_begun.value.field == "expected_version"
    with pytest.raises(Conflict):  # only the asesi begins it
        app.update_self_assessment(TENANT, ADMIN, case_id, [
            {"unit_code": "M.71KKK01.001.1", "element_no": None, "answer": "K", "evidence": []}])
    assert app.case(TENANT, case_id).self_assessment is None


def test_the_upload_quota_counts_every_part_of_the_case(app, scheme_id):
    app.upload_quota_mb = 1
    case_id, invoice = accepted_case(app, TENANT, ASESI, ADMIN, scheme_id)
    proof = {"file_id": "e" * 64, "sha256": "e" * 64, "media_type": "application/pdf", "filename": "bukti.pdf",
             "size": 700 << 10}
    app.submit_payment_proof(TENANT, ASESI, case_id, "TRF-1", invoice["amount"], **proof)
    app.reject_payment(TENANT, ADMIN, case_id, "buram")
    app.submit_payment_proof(TENANT, ASESI, case_id, "TRF-2", invoice["amount"], **proof)  # the same file: once
    app.verify_payment(TENANT, ADMIN, case_id)

    def evidence(letter: str, kb: int) -> int:
        return app.attach_evidence(TENANT, ASESI, case_id, file_id=letter * 64, sha256=letter * 64,
                                   media_type="application/pdf", filename="portofolio.pdf", size=kb << 10)
    with pytest.raises(Invalid) as over:  # the self-assessment holds nothing yet, but the case holds 700 KB
        evidence("a", 400)
    assert over.value.field == "file"
    evidence("b", 300)
    assert app.case(TENANT, case_id).uploaded_bytes == 1000 << 10


# ---- the case seen whole: timeline and read model -----------------------------------------------------------

def full_case(app, scheme_id) -> str:
    case_id = paid(app, scheme_id)
    app.confirm_tuk_equipment(TENANT, ASESI, case_id, [REMOTE_REQUIREMENTS[0]])
    app.update_self_assessment(TENANT, ASESI, case_id, [
        {"unit_code": u, "element_no": e, "answer": "K", "evidence": []}
        for u, e in assessment_items(app.repository.get(UUID(case_id)).scheme)])
    app.submit_self_assessment(TENANT, ASESI, case_id)
    app.review_feasibility(TENANT, ADMIN, case_id, True, "layak")
    return case_id


def test_the_timeline_holds_every_event_of_every_part_in_order(app, scheme_id):
    case_id = full_case(app, scheme_id)
    timeline = app.case_timeline(TENANT, case_id)
    stored = [e for part in app.case_parts(TENANT, case_id) for e in app.stored_events(part)]
    assert len(timeline) == len(stored)  # complete: nothing of any part is left out
    assert {e["aggregate_id"] for e in timeline} == {str(p) for p in app.case_parts(TENANT, case_id)}
    times = [e["occurred_at"] for e in timeline]
    assert times == sorted(times)
    types = [e["type"] for e in timeline]
    assert types[types.index("ApplicationSubmitted"):types.index("ApplicationSubmitted") + 2] == [
        "ApplicationSubmitted", "TukEquipmentRequested"]
    assert types[types.index("ApplicationAccepted"):] == [
        "ApplicationAccepted", "InvoiceIssued", "PaymentProofSubmitted", "PaymentVerified", "TukEquipmentConfirmed",
        "SelfAssessmentStarted", "SelfAssessmentDraftUpdated", "SelfAssessmentSubmitted", "FeasibilityReviewed"]
    for part in app.case_parts(TENANT, case_id):  # each part's own versions in order
        versions = [e["version"] for e in timeline if e["aggregate_id"] == str(part)]
        assert versions == list(range(1, len(versions) + 1))
    assert app.case_timeline("SBY01", case_id) == []


async def rebuild(app, store) -> dict:
    await Projector(app, store, PROJECTIONS).catch_up()
    return await store.find_one("registration", "applications", {})


def test_the_read_model_guards_each_part_by_its_own_version(app, store, scheme_id):
    case_id = full_case(app, scheme_id)
    doc = asyncio.run(rebuild(app, store))
    versions = app.case(TENANT, case_id).versions
    assert doc["_id"] == case_id and doc["versions"] == versions and doc["version"] == versions["application"]
    assert versions["payment"] < versions["application"]  # applied, though below the application's version
    assert doc["status"] == "ready_for_scheduling" and doc["invoice"]["number"].startswith("INV/JKT01/")
    assert doc["statuses"] == {"application": "accepted", "payment": "paid", "self_assessment": "ready_for_scheduling"}
    assert doc["tuk_equipment"]["ready"] == [REMOTE_REQUIREMENTS[0]] and doc["feasibility"]["feasible"] is True

    async def replay_everything_again() -> dict:
        for notification in app.recorder.select_notifications(start=1, limit=1000):
            envelope = projector_envelope(app, notification)
            if envelope.type in PROJECTIONS:
                await PROJECTIONS[envelope.type](store, envelope)
        return await store.find_one("registration", "applications", {"_id": case_id})
    again = asyncio.run(replay_everything_again())
    assert again == doc  # every event seen twice: nothing moves back, nothing is applied twice


def projector_envelope(app, notification):
    return to_envelope(app.name, notification.id, notification.topic, app.mapper.to_domain_event(notification))


def test_the_api_gives_each_parts_version_and_takes_it_back(app, store, scheme_id):
    client = api_client(api.router, {"registration": app}, store, STAFF_ADMIN, OWNER)
    client.app.state.vaults = {"registration": app.vault}
    case_id, invoice = accepted_case(app, TENANT, ASESI, ADMIN, scheme_id)
    pay_proof(app, TENANT, ASESI, case_id, invoice["amount"])
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())
    read = client.get(f"/api/applications/{case_id}", headers=auth(STAFF_ADMIN)).json()
    assert read["versions"]["payment"] == 2 and read["version"] == read["versions"]["application"]
    assert read["statuses"] == {"application": "accepted", "payment": "payment_submitted"}
    # from that one read: the asesi ticks the equipment, the admin verifies the payment; neither is stale
    ticked = client.put(f"/api/applications/{case_id}/tuk-equipment", headers=auth(OWNER), json={
        "ready": [REMOTE_REQUIREMENTS[0]], "expected_version": read["versions"]["tuk_equipment"]})
    assert ticked.status_code == 200 and ticked.json()["part"] == "tuk_equipment"
    verified = client.post(f"/api/applications/{case_id}/verify-payment", headers=auth(STAFF_ADMIN),
                           json={"expected_version": read["versions"]["payment"]})
    assert verified.status_code == 200, verified.text
    assert verified.json() == {"id": case_id, "status": "paid", "version": 3, "part": "payment"}
    again = client.post(f"/api/applications/{case_id}/verify-payment", headers=auth(STAFF_ADMIN),
                        json={"expected_version": read["versions"]["payment"]})
    assert again.status_code == 409 and again.json()["detail"]["field"] == "expected_version"
