"""FR.APL.01 (SOP 1.2-1.2.7): draft, personal data sealed, documents, signed submission, the admin's
verification and signed recommendation, return and resubmission, payment proof as a file, downloads."""
import asyncio
import hashlib
import json
import logging
from uuid import UUID

import pytest
from fastapi.exceptions import RequestValidationError

from services.registration import api
from services.registration.domain import SENSITIVE_FIELDS, content_sha256
from services.registration.forms import APL01
from services.registration.projections import PROJECTIONS
from shared.errors import ERASED, Conflict, Invalid, NotFound
from shared.files import DiskFileStore
from shared.privacy import is_sealed
from shared.projector import Projector
from tests.support.api import (
    ASESOR,
    OTHER,
    OWNER,
    SBY_ADMIN,
    SBY_ASESI,
    STAFF_ADMIN,
    TENANT,
    accepted_case,
    api_client,
    attach_pdf,
    auth,
    pay_proof,
    published,
    submitted_case,
    validation_error,
    verify_all,
)
from tests.support.samples import ADMIN, ASESI, PERSONAL_DATA, tiny_pdf

SBY = "SBY01"
CODES = ["PD-01", "PD-02", "PD-03", "ADM-01", "ADM-02", "ADM-03"]  # the seeded schemes' requirements
PLAIN_SECRETS = [PERSONAL_DATA[f] for f in ("nik", "hp", "alamat_rumah", "alamat_kantor", "tanggal_lahir",
                                             "telp_kantor", "fax_kantor", "email_kantor")]


def events(app, case_id: str) -> list:
    parts = {str(part) for part in app.case_parts(TENANT, case_id)}  # the application, payment, self-assessment
    return [e for e in published(app) if e.aggregate_id in parts]


# ---- the asesi's draft ----------------------------------------------------------------------------

def test_a_draft_is_saved_partially_resumed_and_submitted_only_when_complete(app, scheme_id):
    case_id = app.draft_application(TENANT, ASESI, scheme_id, "Sertifikasi")
    assert app.repository.get(UUID(case_id)).status == "draft"
    app.update_personal_data(TENANT, ASESI, case_id, {"nama_lengkap": "Budi Santoso", "nik": PERSONAL_DATA["nik"]})
    with pytest.raises(Invalid) as incomplete:
        app.submit_application(TENANT, ASESI, case_id)
    assert incomplete.value.field == "tempat_lahir"  # the first missing field is named
    assert "PD-01" in incomplete.value.message and "ADM-03" in incomplete.value.message
    app.update_personal_data(TENANT, ASESI, case_id, PERSONAL_DATA)  # resumed later, all of Bagian 1
    for code in CODES[:-1]:
        attach_pdf(app, TENANT, ASESI, case_id, code)
    with pytest.raises(Invalid) as one_missing:
        app.submit_application(TENANT, ASESI, case_id)
    assert one_missing.value.field == "ADM-03"
    attach_pdf(app, TENANT, ASESI, case_id, "ADM-03")
    app.update_personal_data(TENANT, ASESI, case_id, {"telp_rumah": "021-7654321"})
    app.update_personal_data(TENANT, ASESI, case_id, {"telp_rumah": ""})  # "" clears an optional field
    assert "telp_rumah" not in app.repository.get(UUID(case_id)).personal_data
    result = app.submit_application(TENANT, ASESI, case_id)
    assert result["status"] == "submitted" and result["signature"]["role"] == "asesi"
    with pytest.raises(Conflict):
        app.submit_application(TENANT, ASESI, case_id)  # already submitted
    with pytest.raises(Conflict):
        app.update_personal_data(TENANT, ASESI, case_id, {"jabatan": "Manajer"})  # not while submitted
    with pytest.raises(Conflict):
        attach_pdf(app, TENANT, ASESI, case_id, "PD-01", "another")


def test_a_document_may_be_replaced_while_draft_and_unknown_requirements_are_refused(app, scheme_id):
    case_id = app.draft_application(TENANT, ASESI, scheme_id, "RPL")
    first = attach_pdf(app, TENANT, ASESI, case_id, "PD-01", "first")
    second = attach_pdf(app, TENANT, ASESI, case_id, "PD-01", "second")
    assert first != second and app.repository.get(UUID(case_id)).documents["PD-01"]["sha256"] == second
    with pytest.raises(NotFound) as unknown:
        attach_pdf(app, TENANT, ASESI, case_id, "XX-99")
    assert unknown.value.field == "requirement_code"
    with pytest.raises(Conflict):  # another asesi of the branch: not theirs
        attach_pdf(app, TENANT, {**ASESI, "id": "asesi-2"}, case_id, "PD-01")
    with pytest.raises(Conflict):
        app.update_personal_data(TENANT, {**ASESI, "id": "asesi-2"}, case_id, {"nama_lengkap": "Penyusup"})


@pytest.mark.parametrize("field, value", [
    ("nik", "12345"), ("nik", "3174-0101-0190-0001"), ("tanggal_lahir", "01-01-1990"),
    ("tanggal_lahir", "1990-02-30"), ("tanggal_lahir", "2999-01-01"), ("kode_pos", "1243"), ("hp", "nomor saya"),
    ("email", "budi"), ("jenis_kelamin", "X"), ("kualifikasi_pendidikan", "Sarjana"), ("warna_favorit", "biru"),
])
def test_bad_personal_data_names_the_field_without_echoing_it(app, scheme_id, field, value):
    case_id = app.draft_application(TENANT, ASESI, scheme_id, "Sertifikasi")
    with pytest.raises(Invalid) as refused:
        app.update_personal_data(TENANT, ASESI, case_id, {field: value})
    assert refused.value.field == field and value not in refused.value.message


# ---- privacy --------------------------------------------------------------------------------------

def test_sensitive_fields_are_sealed_before_any_event_and_never_stored_in_plain_text(app, scheme_id, settings,
                                                                                     caplog):
    caplog.set_level(logging.DEBUG)
    case_id, invoice = accepted_case(app, TENANT, ASESI, ADMIN, scheme_id)
    personal = app.repository.get(UUID(case_id)).personal_data
    assert {f for f in personal if is_sealed(personal[f])} == set(SENSITIVE_FIELDS) & set(PERSONAL_DATA)
    assert personal["nama_lengkap"] == "Budi Santoso" and personal["jabatan"] == "Safety Officer"
    assert app.vault.open(personal["nik"]) == PERSONAL_DATA["nik"]
    assert f":{ASESI['id']}:" in personal["nik"]  # sealed for the asesi as subject

    stored = b"".join(p.read_bytes() for p in settings.data_dir.glob("registration.sqlite*"))
    assert b"Safety Officer" in stored  # the scan sees event data (non-sensitive fields are plain)
    broker = json.dumps([e.model_dump(mode="json") for e in published(app)], ensure_ascii=False)
    for secret in PLAIN_SECRETS:
        assert secret.encode() not in stored, secret
        assert secret not in broker, secret
        assert secret not in caplog.text, secret


# ---- signatures -------------------------------------------------------------------------------------

def test_the_submission_is_signed_over_tokens_document_hashes_and_the_scheme(app, scheme_id):
    case_id = submitted_case(app, TENANT, ASESI, scheme_id)
    (submitted,) = [e for e in events(app, case_id) if e.type == "ApplicationSubmitted"]
    data = submitted.data
    assert data["asesi"] == {"id": ASESI["id"], "name": ASESI["name"]} and data["purpose"] == "Sertifikasi"
    signature = data["signature"]
    assert signature["signer"]["id"] == ASESI["id"] and signature["role"] == "asesi" and signature["signed_at"]
    content = APL01.content({**data["personal_data"], "purpose": data["purpose"]}, application_id=case_id,
                            asesi=data["asesi"], scheme=data["scheme"],
                            documents={code: doc["sha256"] for code, doc in data["documents"].items()})
    assert content["form"] == "FR.APL.01" and set(content["fields"]) == set(APL01.names)  # from its definition
    assert signature["sha256"] == content_sha256(content)  # anyone can re-check it from the event alone
    expected = hashlib.sha256(tiny_pdf(f"{case_id} PD-01")).hexdigest()
    assert data["documents"]["PD-01"]["sha256"] == expected


# ---- the admin's verification and recommendation (SOP 1.2.2, 1.2.4) ---------------------------------

def test_recommendation_needs_every_document_verified_and_diterima_needs_all_memenuhi(app, scheme_id):
    case_id = submitted_case(app, TENANT, ASESI, scheme_id)
    with pytest.raises(Conflict) as unverified:
        app.recommend_application(TENANT, ADMIN, case_id, "diterima")
    assert unverified.value.field == "requirements" and "ADM-03" in unverified.value.message
    verify_all(app, TENANT, ADMIN, case_id)
    app.verify_document(TENANT, ADMIN, case_id, "PD-03", "tidak_memenuhi", "kurang dari 3 tahun")
    app.verify_document(TENANT, ADMIN, case_id, "ADM-02", "tidak_ada")
    with pytest.raises(Conflict) as deficient:
        app.recommend_application(TENANT, ADMIN, case_id, "diterima")
    assert "PD-03" in deficient.value.message and "ADM-02" in deficient.value.message
    with pytest.raises(Invalid) as bad_verdict:
        app.verify_document(TENANT, ADMIN, case_id, "PD-01", "mungkin")
    assert bad_verdict.value.field == "verdict"
    with pytest.raises(Invalid) as bad_recommendation:
        app.recommend_application(TENANT, ADMIN, case_id, "mungkin")
    assert bad_recommendation.value.field == "recommendation"
    with pytest.raises(NotFound):
        app.verify_document(TENANT, ADMIN, case_id, "XX-99", "memenuhi")


def test_a_returned_application_is_fixed_and_resubmitted_then_accepted(app, scheme_id):
    case_id = submitted_case(app, TENANT, ASESI, scheme_id)
    verify_all(app, TENANT, ADMIN, case_id)
    app.verify_document(TENANT, ADMIN, case_id, "PD-03", "tidak_memenuhi", "surat kerja tidak ditandatangani")
    returned = app.recommend_application(TENANT, ADMIN, case_id, "tidak_diterima", "lengkapi PD-03")
    assert returned["status"] == "returned" and returned["invoice"] is None
    (event,) = [e for e in events(app, case_id) if e.type == "ApplicationReturned"]
    assert event.data["deficiencies"] == [{"code": "PD-03", "verdict": "tidak_memenuhi",
                                           "notes": "surat kerja tidak ditandatangani"}]
    assert event.data["signature"]["role"] == "admin_lsp" and len(event.data["signature"]["sha256"]) == 64
    with pytest.raises(Conflict):
        app.verify_document(TENANT, ADMIN, case_id, "PD-03", "memenuhi")  # the asesi's turn now

    attach_pdf(app, TENANT, ASESI, case_id, "PD-03", "signed letter")
    app.update_personal_data(TENANT, ASESI, case_id, {"jabatan": "HSE Supervisor"})
    application = app.repository.get(UUID(case_id))
    assert application.documents["PD-03"]["verdict"] is None  # a new file is checked again
    assert application.documents["PD-01"]["verdict"] == "memenuhi"  # an unchanged one keeps its verdict
    first_signature = application.signature
    app.submit_application(TENANT, ASESI, case_id)
    (resubmitted,) = [e for e in events(app, case_id) if e.type == "ApplicationResubmitted"]
    assert resubmitted.data["signature"]["sha256"] != first_signature["sha256"]
    with pytest.raises(Conflict):
        app.recommend_application(TENANT, ADMIN, case_id, "diterima")  # PD-03 not yet verified again
    app.verify_document(TENANT, ADMIN, case_id, "PD-03", "memenuhi")
    accepted = app.recommend_application(TENANT, ADMIN, case_id, "diterima", "lengkap")
    assert accepted["status"] == "awaiting_payment" and accepted["invoice"]["number"].endswith("/00001")
    (acceptance,) = [e for e in events(app, case_id) if e.type == "ApplicationAccepted"]
    assert acceptance.data["signature"]["signer"]["id"] == ADMIN["id"]


def test_not_accepted_needs_a_reason(app, scheme_id):
    case_id = submitted_case(app, TENANT, ASESI, scheme_id)
    verify_all(app, TENANT, ADMIN, case_id)
    with pytest.raises(Invalid) as no_reason:
        app.recommend_application(TENANT, ADMIN, case_id, "tidak_diterima")
    assert no_reason.value.field == "notes"
    assert app.recommend_application(TENANT, ADMIN, case_id, "tidak_diterima", "foto buram")["status"] == "returned"


# ---- HTTP API -----------------------------------------------------------------------------------------

PDF = "application/pdf"


@pytest.fixture
def client(app, store, tmp_path):
    client = api_client(api.router, {"registration": app}, store, STAFF_ADMIN, OWNER, OTHER, SBY_ADMIN,
                        SBY_ASESI, ASESOR)
    client.app.add_exception_handler(RequestValidationError, validation_error)  # 422 naming the field
    client.app.state.file_store = DiskFileStore(tmp_path / "files")
    client.app.state.vaults = {"registration": app.vault}
    return client


def project(app, store) -> None:
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())


def upload(client, user, path: str, content: bytes | None = None, name: str = "dok.pdf", **data):
    return client.post(path, headers=auth(user), data=data or None,
                       files={"file": (name, content if content is not None else tiny_pdf(path), PDF)})


def fill_and_submit(client, scheme_id: str) -> str:
    case_id = client.post("/api/applications", json={"scheme_id": scheme_id}, headers=auth(OWNER)).json()["id"]
    saved = client.put(f"/api/applications/{case_id}/personal-data", json=PERSONAL_DATA, headers=auth(OWNER))
    assert saved.status_code == 200, saved.text
    for code in CODES:
        assert upload(client, OWNER, f"/api/applications/{case_id}/requirements/{code}").status_code == 200
    submitted = client.post(f"/api/applications/{case_id}/submit", json={}, headers=auth(OWNER))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted", submitted.text
    return case_id


def test_api_draft_to_paid_with_files_and_personal_data_opened_only_for_those_allowed(app, store, client,
                                                                                       scheme_id):
    created = client.post("/api/applications", json={"scheme_id": scheme_id}, headers=auth(OWNER))
    assert created.status_code == 201 and created.json()["status"] == "draft"
    case_id = created.json()["id"]
    base = f"/api/applications/{case_id}"
    bad = client.put(f"{base}/personal-data", json={"nik": "12"}, headers=auth(OWNER))
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "nik"
    unknown = client.put(f"{base}/personal-data", json={"hobi": "catur"}, headers=auth(OWNER))
    assert unknown.status_code == 422 and unknown.json()["detail"]["field"] == "hobi"
    assert client.put(f"{base}/personal-data", json={"nama_lengkap": "Budi Santoso"},
                      headers=auth(OWNER)).json()["version"] == 2
    stale = client.put(f"{base}/personal-data", json={"kebangsaan": "Indonesia", "expected_version": 1},
                       headers=auth(OWNER))
    assert stale.status_code == 409 and stale.json()["detail"]["field"] == "expected_version"
    incomplete = client.post(f"{base}/submit", json={}, headers=auth(OWNER))
    assert incomplete.status_code == 422 and incomplete.json()["detail"]["field"] == "nik"
    not_a_pdf = upload(client, OWNER, f"{base}/requirements/PD-01", b"MZ\x90\x00 not a document", "ijazah.pdf")
    assert not_a_pdf.status_code == 422 and not_a_pdf.json()["detail"]["field"] == "file"
    assert upload(client, OWNER, f"{base}/requirements/XX-99").status_code == 404
    no_file = client.post(f"{base}/requirements/PD-01", headers=auth(OWNER), data={"x": "1"})
    assert no_file.status_code == 422 and no_file.json()["detail"]["field"] == "file"
    project(app, store)
    draft = client.get(base, headers=auth(OWNER)).json()
    assert draft["status"] == "draft" and draft["personal_data"] == {"nama_lengkap": "Budi Santoso"}
    assert [d["code"] for d in draft["documents"]] == CODES
    assert client.get(base, headers=auth(STAFF_ADMIN)).status_code == 404  # a draft is the asesi's own
    assert client.get("/api/applications", headers=auth(STAFF_ADMIN)).json() == []

    case_id = fill_and_submit(client, scheme_id)
    base = f"/api/applications/{case_id}"
    project(app, store)
    mine = client.get(base, headers=auth(OWNER)).json()
    assert mine["personal_data"]["nik"] == PERSONAL_DATA["nik"] and mine["signature"]["role"] == "asesi"
    seen_by_staff = client.get(base, headers=auth(STAFF_ADMIN)).json()
    assert seen_by_staff["personal_data"]["alamat_rumah"] == PERSONAL_DATA["alamat_rumah"]
    (listed,) = client.get("/api/applications", headers=auth(STAFF_ADMIN)).json()
    assert "personal_data" not in listed and listed["nik_masked"] == "3174xxxxxxxx0001"
    assert listed["nama_lengkap"] == "Budi Santoso"
    # an asesor sees a case only once assigned to it, and then without the personal data
    assert client.get(base, headers=auth(ASESOR)).status_code == 404
    assert client.get("/api/applications", headers=auth(ASESOR)).json() == []
    assert client.get(f"{base}/invoice.pdf", headers=auth(ASESOR)).status_code in (403, 404)
    asyncio.run(store.upsert_versioned("scheduling", "cases", case_id, 1,
                                       {"tenant": TENANT, "assessor": {"id": ASESOR.id, "name": ASESOR.name}}))
    by_asesor = client.get(base, headers=auth(ASESOR)).json()
    assert "personal_data" not in by_asesor and by_asesor["nik_masked"] is None
    assert [a["id"] for a in client.get("/api/applications", headers=auth(ASESOR)).json()] == [case_id]
    raw = asyncio.run(store.find_one("registration", "applications", {"_id": case_id}))
    assert is_sealed(raw["personal_data"]["nik"])  # the read model holds tokens

    # the admin verifies and recommends (asesi may not)
    verdict = f"{base}/requirements/PD-01/verdict"
    assert client.post(verdict, json={"verdict": "memenuhi"}, headers=auth(OWNER)).status_code == 403
    wrong = client.post(verdict, json={"verdict": "ya"}, headers=auth(STAFF_ADMIN))
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "verdict"
    for code in CODES:
        answer = client.post(f"{base}/requirements/{code}/verdict", json={"verdict": "memenuhi"},
                             headers=auth(STAFF_ADMIN))
        assert answer.status_code == 200, answer.text
    recommend = f"{base}/recommend"
    assert client.post(recommend, json={"recommendation": "diterima"}, headers=auth(OWNER)).status_code == 403
    bad_choice = client.post(recommend, json={"recommendation": "ya"}, headers=auth(STAFF_ADMIN))
    assert bad_choice.status_code == 422 and bad_choice.json()["detail"]["field"] == "recommendation"
    accepted = client.post(recommend, json={"recommendation": "diterima", "notes": "lengkap"},
                           headers=auth(STAFF_ADMIN))
    assert accepted.status_code == 200 and accepted.json()["status"] == "awaiting_payment", accepted.text
    amount = accepted.json()["invoice"]["amount"]
    again = client.post(recommend, json={"recommendation": "diterima"}, headers=auth(STAFF_ADMIN))
    assert again.status_code == 409

    # payment proof as a file; rejected once, then verified
    proof = f"{base}/payment-proof"
    missing_reference = upload(client, OWNER, proof, amount=str(amount))
    assert missing_reference.status_code == 422 and missing_reference.json()["detail"]["field"] == "reference"
    wrong_amount = upload(client, OWNER, proof, reference="TRF-1", amount=str(amount - 1))
    assert wrong_amount.status_code == 422 and wrong_amount.json()["detail"]["field"] == "amount"
    assert upload(client, OTHER, proof, reference="TRF-1", amount=str(amount)).status_code == 409
    first = upload(client, OWNER, proof, tiny_pdf("blurred"), "bukti.pdf", reference="TRF-1", amount=str(amount))
    assert first.status_code == 200 and first.json()["media_type"] == PDF, first.text
    reject = f"{base}/reject-payment"
    assert client.post(reject, json={"reason": "x"}, headers=auth(OWNER)).status_code == 403
    no_reason = client.post(reject, json={}, headers=auth(STAFF_ADMIN))
    assert no_reason.status_code == 422 and no_reason.json()["detail"]["field"] == "reason"
    assert client.post(reject, json={"reason": "buram"}, headers=auth(STAFF_ADMIN)).status_code == 200
    assert client.post(reject, json={"reason": "buram"}, headers=auth(STAFF_ADMIN)).status_code == 409
    second = upload(client, OWNER, proof, tiny_pdf("sharp"), "bukti2.pdf", reference="TRF-2", amount=str(amount))
    assert second.status_code == 200
    assert client.post(f"{base}/verify-payment", json={}, headers=auth(STAFF_ADMIN)).status_code == 200
    project(app, store)
    paid = client.get(base, headers=auth(OWNER)).json()
    assert paid["status"] == "paid" and paid["payment"]["reference"] == "TRF-2"
    assert paid["payment_rejections"][0]["reason"] == "buram"

    # downloads: this application's files only, for the owner and the branch's office
    rejected_proof = first.json()["file_id"]
    for user in (OWNER, STAFF_ADMIN):
        got = client.get(f"{base}/files/{rejected_proof}", headers=auth(user))
        assert got.status_code == 200 and got.content == tiny_pdf("blurred")
        assert got.headers["content-type"] == PDF and got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-disposition"].startswith("attachment;")
    document = paid["documents"][0]["file_id"]
    assert client.get(f"{base}/files/{document}", headers=auth(OWNER)).status_code == 200
    for user in (OTHER, ASESOR, SBY_ADMIN, SBY_ASESI):
        assert client.get(f"{base}/files/{document}", headers=auth(user)).status_code == 404
    other_case = fill_and_submit(client, scheme_id)  # a file of another application is not served here
    project(app, store)
    foreign = client.get(f"/api/applications/{other_case}", headers=auth(OWNER)).json()["documents"][0]["file_id"]
    assert client.get(f"{base}/files/{foreign}", headers=auth(OWNER)).status_code == 404
    assert client.get(f"{base}/files/{'0' * 64}", headers=auth(STAFF_ADMIN)).status_code == 404


def test_api_return_and_resubmit(app, store, client, scheme_id):
    case_id = fill_and_submit(client, scheme_id)
    base = f"/api/applications/{case_id}"
    for code in CODES:
        verdict = "tidak_ada" if code == "ADM-02" else "memenuhi"
        client.post(f"{base}/requirements/{code}/verdict", json={"verdict": verdict}, headers=auth(STAFF_ADMIN))
    refused = client.post(f"{base}/recommend", json={"recommendation": "diterima"}, headers=auth(STAFF_ADMIN))
    assert refused.status_code == 409 and "ADM-02" in refused.json()["detail"]["message"]
    returned = client.post(f"{base}/recommend", json={"recommendation": "tidak_diterima", "notes": "pas foto"},
                           headers=auth(STAFF_ADMIN))
    assert returned.json()["status"] == "returned"
    project(app, store)
    seen = client.get(base, headers=auth(OWNER)).json()
    assert seen["status"] == "returned" and seen["deficiencies"][0]["code"] == "ADM-02"
    assert upload(client, OWNER, f"{base}/requirements/ADM-02", tiny_pdf("foto")).status_code == 200
    again = client.post(f"{base}/submit", json={}, headers=auth(OWNER))
    assert again.status_code == 200 and again.json()["status"] == "submitted"
    project(app, store)
    seen = client.get(base, headers=auth(STAFF_ADMIN)).json()
    assert seen["submissions"] == 2 and seen["deficiencies"] == []
    assert [d["verdict"] for d in seen["documents"] if d["code"] == "ADM-02"] == [None]


def test_api_other_branch_gets_404_and_roles_are_enforced(app, store, client, scheme_id):
    case_id = fill_and_submit(client, scheme_id)
    base = f"/api/applications/{case_id}"
    pdf = {"file": ("a.pdf", tiny_pdf("x"), PDF)}
    project(app, store)
    for path, body in ((f"{base}/requirements/PD-01/verdict", {"verdict": "memenuhi"}),
                       (f"{base}/recommend", {"recommendation": "diterima"}),
                       (f"{base}/accept", {}), (f"{base}/reject-payment", {"reason": "x"}),
                       (f"{base}/verify-payment", {})):
        assert client.post(path, json=body, headers=auth(SBY_ADMIN)).status_code == 404, path
        assert client.post(path, json=body, headers=auth(ASESOR)).status_code == 403, path
    assert client.put(f"{base}/personal-data", json={"jabatan": "x"}, headers=auth(SBY_ASESI)).status_code == 404
    assert client.post(f"{base}/requirements/PD-01", files=pdf, headers=auth(SBY_ASESI)).status_code == 404
    assert client.post(f"{base}/submit", json={}, headers=auth(SBY_ASESI)).status_code == 404
    assert client.post(f"{base}/payment-proof", files=pdf, data={"reference": "T", "amount": "1"},
                       headers=auth(SBY_ASESI)).status_code == 404
    assert client.get(base, headers=auth(SBY_ADMIN)).status_code == 404
    assert client.get(base, headers=auth(OTHER)).status_code == 404
    assert client.put(f"{base}/personal-data", json={"jabatan": "x"}, headers=auth(STAFF_ADMIN)).status_code == 403
    assert client.post(f"{base}/submit", json={}, headers=auth(STAFF_ADMIN)).status_code == 403


def test_erased_personal_data_reads_as_erased(app, store, client, scheme_id):
    case_id = fill_and_submit(client, scheme_id)
    project(app, store)
    app.vault.forget(ASESI["id"], ADMIN)
    seen = client.get(f"/api/applications/{case_id}", headers=auth(STAFF_ADMIN)).json()
    assert seen["personal_data"]["nik"] == ERASED and seen["personal_data"]["nama_lengkap"] == "Budi Santoso"


def test_payment_unchanged_for_an_accepted_case_from_the_app(app, scheme_id):
    case_id, invoice = accepted_case(app, TENANT, ASESI, ADMIN, scheme_id)
    pay_proof(app, TENANT, ASESI, case_id, invoice["amount"])
    (proof,) = [e for e in events(app, case_id) if e.type == "PaymentProofSubmitted"]
    assert len(proof.data["sha256"]) == 64 and proof.data["media_type"] == PDF
