"""The branch profile (letterhead and payment details): the admin LSP keeps it through the API and on
/admin/cabang; other branches and other roles are refused; a refused page keeps what was typed and
names every problem beside its field."""
import io
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from services.gateway.main import create_app
from shared.display import as_wib, tanggal
from shared.settings import Settings
from tests.support.driver import (
    ADMIN,
    accept_case,
    login,
    open_branch,
    run_case,
    signup_asesi,
    submit_application,
    wait_for,
)
from tests.support.samples import pdf_text, tiny_pdf, tiny_png

PROFILE = {"alamat": "Jl. Gatot Subroto Kav. 51, Jakarta Selatan", "telepon": "021-5255733",
           "email": "lsp@contoh.co.id", "nomor_lisensi": "BNSP-LSP-1234-ID", "nama_bank": "Bank Mandiri",
           "nomor_rekening": "123-00-4567890-1", "atas_nama": "LSP Katiga Cabang Jakarta", "jatuh_tempo_hari": 14}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("profile")))
    with TestClient(app) as http:
        admin = login(http, *ADMIN)
        yield {"http": http, "admin": admin, "jkt": open_branch(http, admin, "JKT01"),
               "sby": open_branch(http, admin, "SBY01"), "asesi": signup_asesi(http, "JKT01", "budi@contoh.co.id")}


def test_the_admin_lsp_keeps_the_profile_and_a_stale_version_is_a_conflict(world):
    jkt = world["jkt"].admin
    before = jkt.ok(jkt.get("/api/branches/JKT01/profile"))
    assert before["profile"]["jatuh_tempo_hari"] == 7 and before["profile"]["nama_bank"] == ""
    saved = jkt.ok(jkt.put("/api/branches/JKT01/profile", {**PROFILE, "expected_version": before["version"]}))
    assert saved["profile"] == PROFILE and saved["version"] == before["version"] + 1
    stale = jkt.put("/api/branches/JKT01/profile", {**PROFILE, "expected_version": before["version"]})
    assert stale.status_code == 409
    assert world["jkt"].ketua.ok(world["jkt"].ketua.get("/api/branches/JKT01/profile"))["profile"] == PROFILE


def test_bad_fields_are_named_and_nothing_is_written(world):
    jkt = world["jkt"].admin
    before = jkt.ok(jkt.get("/api/branches/JKT01/profile"))
    answer = jkt.put("/api/branches/JKT01/profile", {**PROFILE, "nomor_rekening": "abc", "jatuh_tempo_hari": 0,
                                                     "unknown": "x"})
    assert answer.status_code == 422
    fields = {error["field"] for error in answer.json()["detail"]["errors"]}
    assert {"nomor_rekening", "jatuh_tempo_hari", "unknown"} <= fields
    assert jkt.ok(jkt.get("/api/branches/JKT01/profile")) == before


def test_another_branch_and_other_roles_are_refused(world):
    sby, asesi = world["sby"].admin, world["asesi"]
    assert sby.get("/api/branches/JKT01/profile").status_code == 404
    assert sby.put("/api/branches/JKT01/profile", PROFILE).status_code == 404
    assert asesi.get("/api/branches/JKT01/profile").status_code == 403
    assert world["jkt"].ketua.put("/api/branches/JKT01/profile", PROFILE).status_code == 403
    assert world["jkt"].asesor.get("/api/branches/JKT01/profile").status_code == 403


def test_the_page_keeps_what_was_typed_and_names_every_problem_beside_its_field(world):
    http = world["http"]
    http.cookies.clear()
    http.post("/masuk", data={"email": "admin_lsp.jkt01@lsp-katiga.co.id", "password": "rahasia123"},
              headers={"origin": str(http.base_url)})
    page = http.get("/admin/cabang")
    assert page.status_code == 200 and "Nomor lisensi BNSP" in page.text
    refused = http.post("/admin/cabang", data={**{k: str(v) for k, v in PROFILE.items()},
                                               "nomor_rekening": "rek-ABC", "telepon": "telp?",
                                               "alamat": "Jl. Baru No. 1"}, headers={"origin": str(http.base_url)})
    assert refused.status_code == 422
    assert 'id="nomor_rekening-error"' in refused.text and 'id="telepon-error"' in refused.text
    assert 'value="Jl. Baru No. 1"' in refused.text and 'value="rek-ABC"' in refused.text
    saved = http.post("/admin/cabang", data={**{k: str(v) for k, v in PROFILE.items()}, "alamat": "Jl. Baru No. 1"},
                      headers={"origin": str(http.base_url)})
    assert saved.status_code == 200 and 'value="Jl. Baru No. 1"' in saved.text  # followed the redirect
    assert world["jkt"].admin.ok(world["jkt"].admin.get("/api/branches/JKT01/profile"))["profile"]["alamat"] == \
        "Jl. Baru No. 1"
    http.cookies.clear()


def test_documents_carry_the_letterhead_and_the_invoice_says_where_to_pay_and_by_when(world):
    jkt, asesi = world["jkt"].admin, world["asesi"]
    version = jkt.ok(jkt.get("/api/branches/JKT01/profile"))["version"]
    jkt.ok(jkt.put("/api/branches/JKT01/profile", {**PROFILE, "expected_version": version}))
    case_id = submit_application(asesi)
    accept_case(jkt, case_id)
    text = pdf_text(wait_for(lambda: ok_pdf(asesi.get(f"/api/applications/{case_id}/invoice.pdf")), what="invoice"))
    for printed in ("Bank Mandiri", "123-00-4567890-1", "LSP Katiga Cabang Jakarta", "Jatuh tempo",
                    "BNSP-LSP-1234-ID", "Jl. Gatot Subroto"):
        assert printed in text, printed
    issued = asesi.ok(asesi.get(f"/api/applications/{case_id}"))["invoice"]["issued_at"]
    assert tanggal(as_wib(issued) + timedelta(days=14)) in text  # the branch's 14 days
    apl01 = pdf_text(asesi.get(f"/api/applications/{case_id}/apl01.pdf").content)
    assert "BNSP-LSP-1234-ID" in apl01 and "Jl. Gatot Subroto" in apl01


def ok_pdf(response):
    return response.content if response.status_code == 200 else None


def test_the_holder_downloads_the_certificate_with_the_letterhead_units_and_qr_code(world):
    http, jkt = world["http"], world["jkt"]
    holder = signup_asesi(http, "JKT01", "rahma@contoh.co.id")
    number = run_case(http, jkt, holder)["certificate_number"]
    pdf = wait_for(lambda: ok_pdf(holder.get(f"/api/certificates/{number}/pdf")), what="certificate PDF")
    text = pdf_text(pdf)
    for printed in ("SERTIFIKAT KOMPETENSI", number, "Budi Santoso", "Unit kompetensi", "Verifikasi keaslian",
                    "/sertifikat/", "BNSP-LSP-1234-ID"):
        assert printed in text, printed
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1  # the QR code
    assert jkt.admin.get(f"/api/certificates/{number}/pdf").status_code == 200  # the branch's office
    assert world["asesi"].get(f"/api/certificates/{number}/pdf").status_code == 404  # another asesi
    assert world["sby"].admin.get(f"/api/certificates/{number}/pdf").status_code == 404  # another branch
    assert jkt.asesor.get(f"/api/certificates/{number}/pdf").status_code == 403


def test_the_logo_is_checked_kept_with_the_profile_and_printed_in_the_letterhead(world):
    jkt, sby = world["jkt"].admin, world["sby"].admin
    before = jkt.ok(jkt.get("/api/branches/JKT01/profile"))
    refused = jkt.http.put("/api/branches/JKT01/logo", headers=jkt.headers,
                           files={"file": ("logo.pdf", tiny_pdf("bukan gambar"), "application/pdf")})
    assert refused.status_code == 422 and refused.json()["detail"]["field"] == "logo"
    assert jkt.ok(jkt.get("/api/branches/JKT01/profile"))["version"] == before["version"]  # nothing written
    assert sby.http.put("/api/branches/JKT01/logo", headers=sby.headers,
                        files={"file": ("logo.png", tiny_png(), "image/png")}).status_code == 404
    saved = jkt.ok(jkt.http.put("/api/branches/JKT01/logo", headers=jkt.headers,
                                files={"file": ("logo.png", tiny_png(), "image/png")}))
    assert saved["logo"] and saved["profile"] == before["profile"]  # the text fields are kept
    kept = jkt.ok(jkt.put("/api/branches/JKT01/profile", {**before["profile"], "telepon": "021-1234567",
                                                         "expected_version": saved["version"]}))
    assert kept["logo"]  # changing the text keeps the logo
    case_id = submit_application(world["asesi"])
    pdf = wait_for(lambda: ok_pdf(world["asesi"].get(f"/api/applications/{case_id}/apl01.pdf")), what="APL.01")
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1  # the logo in the letterhead
