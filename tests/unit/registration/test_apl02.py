"""FR.APL.02 (SOP 1.2.8): self-assessment per unit and element with evidence, drafts, signed submission;
FR.APL.01 and FR.APL.02 as PDFs; personal data sealed at the edge before the command leaves the gateway."""
import asyncio
from uuid import UUID

import pytest
from fastapi.exceptions import RequestValidationError

from services.registration import api
from services.registration.domain import SENSITIVE_FIELDS, assessment_items, content_sha256, item_key
from services.registration.forms import APL02
from services.registration.projections import PROJECTIONS
from shared.errors import Conflict, Invalid, NotFound
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
    auth,
    paid,
    published,
    validation_error,
)
from tests.support.samples import ADMIN, ASESI, PERSONAL_DATA, pdf_text, tiny_pdf

PDF = "application/pdf"


def all_answers(app, case_id: str, evidence: list[str]) -> list[dict]:
    scheme = app.repository.get(UUID(case_id)).scheme
    return [{"unit_code": unit, "element_no": element, "answer": "K", "evidence": evidence}
            for unit, element in assessment_items(scheme)]


def project(app, store) -> None:
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())


def evidence_pdf(app, case_id: str, text: str = "portofolio") -> str:
    import hashlib
    sha256 = hashlib.sha256(tiny_pdf(text)).hexdigest()
    app.attach_evidence(TENANT, ASESI, case_id, file_id=sha256, sha256=sha256, media_type=PDF,
                        filename="laporan-inspeksi.pdf")
    return sha256


# ---- the domain --------------------------------------------------------------------------------------

def test_items_are_elements_or_whole_units(app, scheme_id):
    scheme = app.repository.get(UUID(paid(app, scheme_id))).scheme
    items = assessment_items(scheme)
    assert ("M.71KKK00.001.1", "1") in items and ("M.71KKK00.001.1", "2") in items
    assert ("M.71KKK01.001.1", None) in items  # no elements in the scheme: one answer for the unit
    assert len(items) == sum(max(1, len(u["elements"])) for u in scheme["units"])


def test_self_assessment_only_after_payment_and_only_by_the_applicant(app, scheme_id):
    case_id, _ = accepted_case(app, TENANT, ASESI, ADMIN, scheme_id)
    answer = [{"unit_code": "M.71KKK01.001.1", "element_no": None, "answer": "K", "evidence": []}]
    with pytest.raises(Conflict):
        app.update_self_assessment(TENANT, ASESI, case_id, answer)  # not paid yet
    with pytest.raises(Conflict):
        evidence_pdf(app, case_id)
    case_id = paid(app, scheme_id)
    with pytest.raises(Conflict):
        app.update_self_assessment(TENANT, {**ASESI, "id": "asesi-2"}, case_id, answer)
    with pytest.raises(NotFound):
        app.update_self_assessment("SBY01", ASESI, case_id, answer)
    with pytest.raises(NotFound):
        app.submit_self_assessment("SBY01", ASESI, case_id)


@pytest.mark.parametrize("answer, field", [
    ({"unit_code": "X.1", "element_no": None, "answer": "K"}, "answers.0.unit_code"),
    ({"unit_code": "M.71KKK00.001.1", "element_no": None, "answer": "K"}, "answers.0.element_no"),
    ({"unit_code": "M.71KKK00.001.1", "element_no": "9", "answer": "K"}, "answers.0.element_no"),
    ({"unit_code": "M.71KKK01.001.1", "element_no": "1", "answer": "K"}, "answers.0.element_no"),
    ({"unit_code": "M.71KKK01.001.1", "element_no": None, "answer": "Y"}, "answers.0.answer"),
    ({"unit_code": "M.71KKK01.001.1", "element_no": None, "answer": "K", "evidence": ["f" * 64]},
     "answers.0.evidence"),
])
def test_bad_answers_name_the_field(app, scheme_id, answer, field):
    case_id = paid(app, scheme_id)
    with pytest.raises(Invalid) as refused:
        app.update_self_assessment(TENANT, ASESI, case_id, [answer])
    assert refused.value.field == field


def test_draft_is_saved_resumed_then_signed_over_answers_and_evidence_hashes(app, scheme_id):
    case_id = paid(app, scheme_id)
    application = app.repository.get(UUID(case_id))
    ktp = application.documents["ADM-01"]["file_id"]  # a requirement document of this application
    portfolio = evidence_pdf(app, case_id)
    answers = all_answers(app, case_id, [])
    app.update_self_assessment(TENANT, ASESI, case_id, answers[:3])
    with pytest.raises(Invalid) as incomplete:
        app.submit_self_assessment(TENANT, ASESI, case_id)
    assert incomplete.value.field == "answers"
    assert item_key(answers[3]["unit_code"], answers[3]["element_no"]) in incomplete.value.message
    assert "M.71KKK00.001.1/1" not in incomplete.value.message  # answered already
    answers[0] = {**answers[0], "answer": "BK", "evidence": [portfolio, ktp]}
    result = app.update_self_assessment(TENANT, ASESI, case_id, answers)  # resumed: all of it
    assert result["missing"] == []
    app.update_self_assessment(TENANT, ASESI, case_id, [{**answers[1], "answer": None}])  # removed again
    assert app.update_self_assessment(TENANT, ASESI, case_id, [answers[1]])["missing"] == []
    submitted = app.submit_self_assessment(TENANT, ASESI, case_id)
    assert submitted["status"] == "self_assessed" and submitted["signature"]["role"] == "asesi"
    with pytest.raises(Conflict):
        app.update_self_assessment(TENANT, ASESI, case_id, answers[:1])
    with pytest.raises(Conflict):
        app.submit_self_assessment(TENANT, ASESI, case_id)

    (event,) = [e for e in published(app) if e.type == "SelfAssessmentSubmitted"]
    data = event.data
    assert data["answers"][0] == {"unit_code": "M.71KKK00.001.1", "element_no": "1", "answer": "BK",
                                  "evidence": [portfolio, ktp]}
    assert set(data["evidence"]) == {portfolio, ktp} and data["evidence"][ktp]["source"] == "ADM-01"
    content = APL02.content({}, application_id=case_id, asesi=data["asesi"], scheme=data["scheme"],
                            answers=data["answers"], evidence={f: e["sha256"] for f, e in data["evidence"].items()})
    assert data["signature"]["sha256"] == content_sha256(content)  # re-checkable from the event alone
    parts = {str(part) for part in app.case_parts(TENANT, case_id)}  # the application, payment, self-assessment
    types = [e.type for e in published(app) if e.aggregate_id in parts]
    assert types[-8:] == ["PaymentVerified", "SelfAssessmentStarted", "EvidenceAttached"] + [
        "SelfAssessmentDraftUpdated"] * 4 + ["SelfAssessmentSubmitted"]


def test_read_model_gives_items_with_kuk_answers_and_citable_files(app, store, scheme_id):
    case_id = paid(app, scheme_id)
    project(app, store)
    doc = asyncio.run(store.find_one("registration", "applications", {"_id": case_id}))
    assessment = doc["self_assessment"]
    assert doc["status"] == "paid" and assessment["status"] == "open" and assessment["answers"] == []
    first = assessment["items"][0]
    assert first["unit_code"] == "M.71KKK00.001.1" and first["element_no"] == "1" and first["answer"] is None
    assert first["kuk"][0]["number"] == "1.1" and first["kuk"][0]["text"]
    whole = next(i for i in assessment["items"] if i["unit_code"] == "M.71KKK01.001.1")
    assert whole["element_no"] is None and whole["element_title"] is None and whole["kuk"] == []
    assert len(assessment["missing"]) == len(assessment["items"])
    portfolio = evidence_pdf(app, case_id)
    app.update_self_assessment(TENANT, ASESI, case_id, [
        {"unit_code": "M.71KKK00.001.1", "element_no": "1", "answer": "K", "evidence": [portfolio]}])
    project(app, store)
    doc = asyncio.run(store.find_one("registration", "applications", {"_id": case_id}))
    assessment = doc["self_assessment"]
    assert assessment["status"] == "draft" and assessment["items"][0]["answer"] == "K"
    assert assessment["items"][0]["evidence"] == [portfolio] and "M.71KKK00.001.1/1" not in assessment["missing"]
    assert [f["source"] for f in assessment["files"]][-1] == "portofolio"
    assert {"ADM-01", "PD-01"} <= {f["source"] for f in assessment["files"]}
    assert portfolio in doc["file_ids"] and doc["evidence"][0]["filename"] == "laporan-inspeksi.pdf"
    app.update_self_assessment(TENANT, ASESI, case_id, all_answers(app, case_id, []))
    app.submit_self_assessment(TENANT, ASESI, case_id)
    project(app, store)
    doc = asyncio.run(store.find_one("registration", "applications", {"_id": case_id}))
    assert doc["status"] == "self_assessed" and doc["self_assessment"]["status"] == "submitted"
    assert doc["self_assessment"]["signature"]["sha256"] and doc["self_assessment"]["missing"] == []
    assert doc["self_assessment"]["items"][0]["evidence"] == []  # the full answer replaced the draft one


# ---- HTTP API ------------------------------------------------------------------------------------------

class RecordingBus:
    """The embedded bus, keeping what each command received (what RPC would carry over the broker)."""

    def __init__(self, bus):
        self.bus, self.calls = bus, []

    def call(self, service, command, /, **kwargs):
        self.calls.append((command, kwargs))
        return self.bus.call(service, command, **kwargs)


@pytest.fixture
def client(app, store, tmp_path):
    client = api_client(api.router, {"registration": app}, store, STAFF_ADMIN, OWNER, OTHER, SBY_ADMIN,
                        SBY_ASESI, ASESOR)
    client.app.add_exception_handler(RequestValidationError, validation_error)
    client.app.state.file_store = DiskFileStore(tmp_path / "files")
    client.app.state.vaults = {"registration": app.vault}
    client.app.state.bus = RecordingBus(client.app.state.bus)
    return client


def test_personal_data_is_sealed_at_the_edge_before_the_command(app, client, scheme_id):
    case_id = client.post("/api/applications", json={"scheme_id": scheme_id}, headers=auth(OWNER)).json()["id"]
    saved = client.put(f"/api/applications/{case_id}/personal-data", json=PERSONAL_DATA, headers=auth(OWNER))
    assert saved.status_code == 200, saved.text
    ((_, sent),) = [c for c in client.app.state.bus.calls if c[0] == "update_personal_data"]
    data = sent["personal_data"]
    for name in set(SENSITIVE_FIELDS) & set(PERSONAL_DATA):
        assert is_sealed(data[name]) and f":{ASESI['id']}:" in data[name], name
    assert data["nama_lengkap"] == "Budi Santoso"
    for secret in (PERSONAL_DATA[f] for f in SENSITIVE_FIELDS if f in PERSONAL_DATA):
        assert secret not in repr(sent), secret
    stored = app.repository.get(UUID(case_id)).personal_data
    assert stored["nik"] == data["nik"] and app.vault.open(stored["nik"]) == PERSONAL_DATA["nik"]
    bad = client.put(f"/api/applications/{case_id}/personal-data", json={"nik": "12"}, headers=auth(OWNER))
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "nik"  # checked before sealing


def test_the_command_refuses_a_token_sealed_for_someone_else_and_still_seals_plain_values(app, scheme_id):
    case_id = app.draft_application(TENANT, ASESI, scheme_id, "Sertifikasi")
    foreign = app.vault.seal("asesi-2", PERSONAL_DATA["nik"])
    with pytest.raises(Invalid) as refused:
        app.update_personal_data(TENANT, ASESI, case_id, {"nik": foreign})
    assert refused.value.field == "nik"
    with pytest.raises(Invalid) as not_sensitive:
        app.update_personal_data(TENANT, ASESI, case_id, {"nama_lengkap": app.vault.seal(ASESI["id"], "Budi")})
    assert not_sensitive.value.field == "nama_lengkap"
    token = app.vault.seal(ASESI["id"], PERSONAL_DATA["nik"])
    app.update_personal_data(TENANT, ASESI, case_id, {"nik": token, "hp": PERSONAL_DATA["hp"]})
    personal = app.repository.get(UUID(case_id)).personal_data
    assert personal["nik"] == token and is_sealed(personal["hp"])


def test_api_self_assessment_with_evidence_upload_draft_submit_and_downloads(app, store, client, scheme_id):
    case_id = paid(app, scheme_id)
    base = f"/api/applications/{case_id}"
    bad_file = client.post(f"{base}/evidence", headers=auth(OWNER), files={"file": ("x.pdf", b"MZ nope", PDF)})
    assert bad_file.status_code == 422 and bad_file.json()["detail"]["field"] == "file"
    uploaded = client.post(f"{base}/evidence", headers=auth(OWNER),
                           files={"file": ("laporan.pdf", tiny_pdf("laporan inspeksi"), PDF)})
    assert uploaded.status_code == 200, uploaded.text
    portfolio = uploaded.json()["file_id"]
    project(app, store)
    seen = client.get(base, headers=auth(OWNER)).json()
    ktp = next(d["file_id"] for d in seen["documents"] if d["code"] == "ADM-01")
    items = seen["self_assessment"]["items"]
    first = {"unit_code": items[0]["unit_code"], "element_no": items[0]["element_no"], "answer": "K",
             "evidence": [portfolio, ktp]}
    path = f"{base}/self-assessment"
    saved = client.put(path, json={"answers": [first]}, headers=auth(OWNER))
    assert saved.status_code == 200 and len(saved.json()["missing"]) == len(items) - 1, saved.text
    as_int = client.put(path, json={"answers": [{**first, "element_no": 1}]}, headers=auth(OWNER))
    assert as_int.status_code == 200, as_int.text  # an element number may come as a JSON number
    wrong = client.put(path, json={"answers": [{**first, "answer": "ya"}]}, headers=auth(OWNER))
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "answers.0.answer"
    foreign = client.put(path, json={"answers": [{**first, "evidence": ["0" * 64]}]}, headers=auth(OWNER))
    assert foreign.status_code == 422 and foreign.json()["detail"]["field"] == "answers.0.evidence"
    incomplete = client.post(f"{path}/submit", json={}, headers=auth(OWNER))
    assert incomplete.status_code == 422 and incomplete.json()["detail"]["field"] == "answers"
    assert item_key(items[1]["unit_code"], items[1]["element_no"]) in incomplete.json()["detail"]["message"]
    for user, code in ((STAFF_ADMIN, 403), (SBY_ASESI, 404), (OTHER, 409)):
        assert client.put(path, json={"answers": [first]}, headers=auth(user)).status_code == code, user.id
        assert client.post(f"{path}/submit", json={}, headers=auth(user)).status_code == code, user.id
    rest = [{"unit_code": i["unit_code"], "element_no": i["element_no"], "answer": "BK", "evidence": []}
            for i in items[1:]]
    assert client.put(path, json={"answers": rest}, headers=auth(OWNER)).status_code == 200
    done = client.post(f"{path}/submit", json={}, headers=auth(OWNER))
    assert done.status_code == 200 and done.json()["status"] == "self_assessed", done.text
    assert len(done.json()["signature"]["sha256"]) == 64
    assert client.put(path, json={"answers": [first]}, headers=auth(OWNER)).status_code == 409
    project(app, store)

    # the evidence is downloadable like the application's other files, by the owner and the office
    for user in (OWNER, STAFF_ADMIN):
        got = client.get(f"{base}/files/{portfolio}", headers=auth(user))
        assert got.status_code == 200 and got.content == tiny_pdf("laporan inspeksi")
    for user in (OTHER, SBY_ADMIN, ASESOR):
        assert client.get(f"{base}/files/{portfolio}", headers=auth(user)).status_code == 404

    # FR.APL.02 as a PDF
    apl02 = client.get(f"{base}/apl02.pdf", headers=auth(OWNER))
    assert apl02.status_code == 200 and apl02.headers["content-type"] == PDF
    text = pdf_text(apl02.content)
    for expected in ("FR.APL.02", "ASESMEN MANDIRI", items[0]["unit_code"], items[0]["kuk"][0]["text"][:30],
                     "laporan.pdf", "portofolio", "Unit secara keseluruhan", done.json()["signature"]["sha256"],
                     "Budi Santoso"):
        assert expected in text.replace("\n", " ") or expected in text, expected
    assert client.get(f"{base}/apl02.pdf", headers=auth(STAFF_ADMIN)).status_code == 200
    for user in (OTHER, SBY_ADMIN, SBY_ASESI, ASESOR):
        assert client.get(f"{base}/apl02.pdf", headers=auth(user)).status_code == 404, user.id


def test_apl01_pdf_opens_bagian_1_for_owner_and_office_with_verdicts_recommendation_and_signatures(
        app, store, client, scheme_id, caplog):
    case_id = paid(app, scheme_id)
    project(app, store)
    base = f"/api/applications/{case_id}"
    seen = client.get(base, headers=auth(STAFF_ADMIN)).json()
    for user in (OWNER, STAFF_ADMIN):
        got = client.get(f"{base}/apl01.pdf", headers=auth(user))
        assert got.status_code == 200 and got.headers["content-type"] == PDF, got.text
        text = " ".join(pdf_text(got.content).split())
        for expected in ("FR.APL.01", "Bagian 1", "Bagian 2", "Bagian 3", PERSONAL_DATA["nik"],
                         PERSONAL_DATA["tanggal_lahir"], "Safety Officer", seen["scheme"]["number"],
                         seen["scheme"]["units"][0]["code"], "Sertifikasi", "Ada - Memenuhi Syarat",
                         "Diterima", seen["signature"]["sha256"], seen["recommendation"]["signature"]["sha256"],
                         ADMIN["name"], "PD-01", "ADM-03"):
            assert expected in text, expected
        assert "pii:v1:" not in text
    for secret in (PERSONAL_DATA["nik"], PERSONAL_DATA["alamat_rumah"]):
        assert secret not in caplog.text
    for user in (OTHER, SBY_ADMIN, SBY_ASESI, ASESOR):
        assert client.get(f"{base}/apl01.pdf", headers=auth(user)).status_code == 404, user.id
    assert client.get(f"{base}/apl02.pdf", headers=auth(OWNER)).status_code == 200  # a draft prints too


def test_apl02_pdf_is_404_before_payment(app, store, client, scheme_id):
    case_id, _ = accepted_case(app, TENANT, ASESI, ADMIN, scheme_id)
    project(app, store)
    assert client.get(f"/api/applications/{case_id}/apl02.pdf", headers=auth(OWNER)).status_code == 404
    assert client.get(f"/api/applications/{case_id}/apl01.pdf", headers=auth(OWNER)).status_code == 200
