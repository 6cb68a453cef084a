from uuid import UUID

import pytest

from services.registration.projections import PROJECTIONS
from services.registration.seed import AHLI_K3_UMUM
from shared.errors import Conflict, Invalid, NotFound
from shared.messaging.envelopes import to_envelope
from shared.projector import Projector
from tests.support.api import accepted_case, pay_proof, submitted_case
from tests.support.samples import ADMIN, ASESI


def paid_case(app, tenant="JKT01"):
    scheme_id = app.seed_schemes(tenant, ADMIN)[0]
    case_id, invoice = accepted_case(app, tenant, ASESI, ADMIN, scheme_id)
    pay_proof(app, tenant, ASESI, case_id, invoice["amount"])
    app.verify_payment(tenant, ADMIN, case_id)
    return case_id


def test_seed_is_idempotent_and_carries_the_real_k3_units(app):
    first = app.seed_schemes("JKT01", ADMIN)
    assert app.seed_schemes("JKT01", ADMIN) == first
    scheme = app.repository.get(UUID(first[0]))
    assert [u["code"] for u in scheme.content["units"]] == [u["code"] for u in AHLI_K3_UMUM["units"]]
    assert len(scheme.content["units"]) == 10


def test_application_runs_to_payment_verified_with_gap_free_invoice_numbers(app):
    first, second = paid_case(app), paid_case(app)
    numbers = [app.case("JKT01", c).invoice["number"] for c in (first, second)]
    year = numbers[0].split("/")[2]
    assert numbers == [f"INV/JKT01/{year}/00001", f"INV/JKT01/{year}/00002"]
    assert app.case("JKT01", first).status == "paid"


def test_invoice_numbers_are_per_branch(app):
    paid_case(app, "JKT01")
    other = paid_case(app, "SBY01")
    assert app.case("SBY01", other).invoice["number"].endswith("/00001")


def test_steps_out_of_order_and_stale_writes_are_conflicts(app):
    scheme_id = app.seed_schemes("JKT01", ADMIN)[0]
    case_id = submitted_case(app, "JKT01", ASESI, scheme_id)
    with pytest.raises(Conflict):
        app.verify_payment("JKT01", ADMIN, case_id)  # nothing paid yet
    with pytest.raises(Conflict) as unverified:
        app.accept_application("JKT01", ADMIN, case_id)  # no document verified yet
    assert unverified.value.field == "requirements" and "PD-01" in unverified.value.message
    for code in ("PD-01", "PD-02", "PD-03", "ADM-01", "ADM-02", "ADM-03"):
        app.verify_document("JKT01", ADMIN, case_id, code, "memenuhi")
    version = app.repository.get(UUID(case_id)).version
    with pytest.raises(Conflict) as stale:
        app.accept_application("JKT01", ADMIN, case_id, expected_version=version - 1)
    assert stale.value.field == "expected_version"
    app.accept_application("JKT01", ADMIN, case_id, expected_version=version)
    with pytest.raises(Conflict):
        app.accept_application("JKT01", ADMIN, case_id)


def test_payment_proof_rules(app):
    scheme_id = app.seed_schemes("JKT01", ADMIN)[0]
    case_id, invoice = accepted_case(app, "JKT01", ASESI, ADMIN, scheme_id)
    amount = invoice["amount"]
    with pytest.raises(Invalid) as wrong_amount:
        pay_proof(app, "JKT01", ASESI, case_id, amount - 1)
    assert wrong_amount.value.field == "amount"
    someone_else = {**ASESI, "id": "asesi-2"}
    with pytest.raises(Conflict):
        pay_proof(app, "JKT01", someone_else, case_id, amount)
    with pytest.raises(Conflict):
        app.reject_payment("JKT01", ADMIN, case_id, "tidak terbaca")  # nothing to reject yet
    pay_proof(app, "JKT01", ASESI, case_id, amount)
    with pytest.raises(Invalid) as no_reason:
        app.reject_payment("JKT01", ADMIN, case_id, " ")
    assert no_reason.value.field == "reason"
    app.reject_payment("JKT01", ADMIN, case_id, "bukti tidak terbaca")
    case = app.case("JKT01", case_id)
    assert case.status == "awaiting_payment" and case.payment is None
    with pytest.raises(Conflict):
        app.verify_payment("JKT01", ADMIN, case_id)  # rejected: nothing to verify until paid again
    pay_proof(app, "JKT01", ASESI, case_id, amount, reference="TRF-2")
    app.verify_payment("JKT01", ADMIN, case_id)
    assert app.case("JKT01", case_id).status == "paid"


def test_another_branch_cannot_touch_a_case(app):
    case_id = paid_case(app, "JKT01")
    with pytest.raises(NotFound):
        app.accept_application("SBY01", ADMIN, case_id)
    with pytest.raises(NotFound):
        app.draft_application("SBY01", ASESI, app.seed_schemes("JKT01", ADMIN)[0], "Sertifikasi")
    for attempt in (lambda: app.update_personal_data("SBY01", ASESI, case_id, {"nama_lengkap": "X"}),
                    lambda: app.submit_application("SBY01", ASESI, case_id),
                    lambda: app.verify_document("SBY01", ADMIN, case_id, "PD-01", "memenuhi"),
                    lambda: app.recommend_application("SBY01", ADMIN, case_id, "tidak_diterima", "x"),
                    lambda: app.reject_payment("SBY01", ADMIN, case_id, "x")):
        with pytest.raises(NotFound):
            attempt()
    assert app.case_timeline("SBY01", case_id) == []


def test_bad_input_names_the_field(app):
    scheme_id = app.seed_schemes("JKT01", ADMIN)[0]
    with pytest.raises(Invalid) as bad_purpose:
        app.draft_application("JKT01", ASESI, scheme_id, "Liburan")
    assert bad_purpose.value.field == "purpose"
    with pytest.raises(Invalid) as bad_id:
        app.draft_application("JKT01", ASESI, "not-a-uuid", "Sertifikasi")
    assert bad_id.value.field == "scheme_id"
    with pytest.raises(Invalid) as no_units:
        app.create_scheme("JKT01", ADMIN, "S-1", title="Petugas K3", kind="Okupasi", units=[], fee=100)
    assert no_units.value.field == "units"


def test_events_meet_their_contracts_and_timeline_is_ordered(app):
    case_id = paid_case(app)
    for notification in app.recorder.select_notifications(start=None, limit=100):
        to_envelope("registration", notification.id, notification.topic, app.mapper.to_domain_event(notification))
    timeline = app.case_timeline("JKT01", case_id)
    types = [e["type"] for e in timeline]
    assert types[:2] == ["ApplicationDrafted", "DraftUpdated"]
    assert types[2:8] == ["RequirementDocumentAttached"] * 6
    assert types[8:] == ["ApplicationSubmitted", "TukEquipmentRequested"] + ["DocumentVerified"] * 6 + [
        "ApplicationAccepted", "InvoiceIssued", "PaymentProofSubmitted", "PaymentVerified"]
    assert timeline[-1]["actor"] == ADMIN
    assert timeline[-1]["data"]["scheme"]["number"] == AHLI_K3_UMUM["number"]


async def test_projections_rebuild_the_same_read_model_from_the_log(app, store):
    case_id = paid_case(app)
    await Projector(app, store, PROJECTIONS).catch_up()
    doc = await store.find_one("registration", "applications", {"_id": case_id})
    assert doc["status"] == "paid" and doc["invoice"]["number"].endswith("00001")
    await store.drop("registration")
    assert await store.find_one("registration", "applications", {"_id": case_id}) is None
    await Projector(app, store, PROJECTIONS).catch_up()
    rebuilt = await store.find_one("registration", "applications", {"_id": case_id})
    assert rebuilt == doc
