"""The letters' pages on the embedded platform (in process): the admin LSP sets the numbering and issues an SK TUK
and SPTs from /penjadwalan/surat, the ketua LSP reviews and signs, the signed SPT reaches the asesor's mailbox
(the embedded Outbox) with its PDF attached, the asesor confirms receipt on /asesor/surat; other branches and
roles are refused."""
from datetime import date, timedelta

import pytest

from tests.support.driver import as_page, ok_or_none, pay_case, signup_asesi, wait_for
from tests.support.platform import two_branches
from tests.support.samples import pdf_text, squeezed


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with two_branches(tmp_path_factory, "letters") as (http, admin, jkt, sby):
        staff = jkt.admin
        scheme = staff.ok(staff.get("/api/schemes"))[0]
        tuk_id = staff.ok(staff.post("/api/tuk", {
            "nama": "TUK Tempat Kerja PT Aman", "jenis": "tempat_kerja", "jarak_jauh": "tidak", "kapasitas": "12",
            "alamat": "Jl. Industri No. 5, Cikarang"}), 201)["id"]
        schedule_id = staff.ok(staff.post("/api/schedules", {
            "skema": scheme["number"], "tanggal": (date.today() + timedelta(days=21)).isoformat(), "mulai": "08:00",
            "selesai": "15:00", "tuk_id": tuk_id, "kuota_min": "1", "kuota_maks": "10"}), 201)["id"]
        asesi = signup_asesi(http, "JKT01", "budi@contoh.co.id")
        case_id = pay_case(http, jkt, asesi)["case_id"]  # an SPT is for an assessor appointed in the session
        wait_for(lambda: ok_or_none(staff.get(f"/api/scheduling/cases/{case_id}")), what="case in scheduling")
        staff.ok(staff.post(f"/api/schedules/{schedule_id}/cases", {"case_id": case_id}))
        staff.ok(staff.post(f"/api/scheduling/cases/{case_id}/assign", {"assessor_id": jkt.asesor_id}))
        yield {"http": http, "app": http.app, "jkt": jkt, "sby": sby, "tuk_id": tuk_id, "schedule_id": schedule_id,
               "asesi": asesi, "case_id": case_id}




def test_the_admin_sets_the_numbering_with_a_preview_and_a_refusal_beside_the_field(world):
    http = world["http"]
    origin = as_page(http, world["jkt"].admin)
    page = http.get("/penjadwalan/surat/penomoran")
    assert page.status_code == 200 and 'id="next-spt_asesor"' in page.text and "/SPT/JKT01/" in page.text
    typed = {"pola": "{nomor}/ST/{kode}/{bulan_romawi}", "kode": "LSP-K3", "lebar": "4", "reset_tahunan": "ya"}
    refused = http.post("/penjadwalan/surat/penomoran/spt_verifikasi", headers=origin,
                        data={**typed, "aksi": "simpan", "expected_version": "0"})
    assert refused.status_code == 422 and 'id="pola-error"' in refused.text
    assert "wajib memuat tahun {tahun}" in refused.text and 'value="{nomor}/ST/{kode}/{bulan_romawi}"' in refused.text
    typed["pola"] += "/{tahun}"
    preview = http.post("/penjadwalan/surat/penomoran/spt_verifikasi", headers=origin,
                        data={**typed, "aksi": "pratinjau", "expected_version": "0"})
    assert preview.status_code == 200 and 'id="preview-spt_verifikasi">0001/ST/LSP-K3/' in preview.text
    saved = http.post("/penjadwalan/surat/penomoran/spt_verifikasi", headers=origin,
                      data={**typed, "aksi": "simpan", "expected_version": "0"})
    assert saved.status_code == 200 and 'id="next-spt_verifikasi">0001/ST/LSP-K3/' in saved.text
    as_page(http, world["jkt"].ketua)
    assert http.get("/penjadwalan/surat/penomoran", headers={"accept": "text/html"}).status_code == 403
    http.cookies.clear()


def test_an_spt_is_issued_signed_mailed_with_its_pdf_and_received(world):
    http, jkt, schedule_id = world["http"], world["jkt"], world["schedule_id"]
    origin = as_page(http, jkt.admin)
    office = http.get("/penjadwalan/surat")
    assert office.status_code == 200 and f'id="jadwal-{schedule_id}"' in office.text
    assert f'<option value="{jkt.asesor_id}">' in office.text  # the registry's assessor of the scheme
    issued = http.post("/penjadwalan/surat", headers=origin,
                       data={"kind": "spt_asesor", "schedule_id": schedule_id, "user_id": jkt.asesor_id})
    assert issued.status_code == 200 and "Surat diterbitkan." in issued.text and "Draf" in issued.text
    letter_url = str(issued.url).split("?")[0]
    letter_id = letter_url.rsplit("/", 1)[1]
    number = jkt.admin.ok(jkt.admin.get(f"/api/letters/{letter_id}"))["number"]
    again = http.post("/penjadwalan/surat", headers=origin,
                      data={"kind": "spt_asesor", "schedule_id": schedule_id, "user_id": jkt.asesor_id})
    assert "sudah diterbitkan sebelumnya" in again.text and str(again.url).startswith(letter_url)
    assert 'id="sign-form"' not in again.text  # the admin does not sign
    sk = http.post("/penjadwalan/surat", headers=origin, data={"kind": "sk_tuk", "tuk_id": world["tuk_id"],
                                                               "valid_until": "2030-06-30"})
    assert sk.status_code == 200 and "/SK-TUK/JKT01/" in sk.text

    as_page(http, jkt.ketua)
    waiting = http.get("/penjadwalan/surat")
    assert waiting.status_code == 200 and f'id="sign-{letter_id}"' in waiting.text
    review = http.get(letter_url)
    assert 'id="sign-form"' in review.text and 'id="content-sha256"' in review.text and number in review.text
    signed = http.post(f"{letter_url}/tandatangani", headers=origin, data={"expected_version": "1", "setuju": "ya"})
    assert signed.status_code == 200 and "Surat ditandatangani." in signed.text and 'id="sign-form"' not in signed.text

    outbox = world["app"].state.runtime.services["scheduling"].workers[0].transport
    message = wait_for(lambda: next((m for m in outbox.messages if number in m["Subject"]), None),
                       what="the SPT's e-mail in the embedded outbox")
    assert message["To"] == "asesor.jkt01@lsp-katiga.co.id"
    (attached,) = list(message.iter_attachments())
    assert attached.get_content_type() == "application/pdf"
    text = squeezed(pdf_text(attached.get_content()))
    assert squeezed(number) in text and "DRAF" not in text and squeezed("Ketua_Lsp JKT01") in text

    as_page(http, jkt.asesor)
    mine = http.get("/asesor/surat")
    assert mine.status_code == 200 and number in mine.text and f'id="confirm-{letter_id}"' in mine.text
    pdf = http.get(f"/api/letters/{letter_id}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    received = http.post(f"{letter_url}/terima", headers=origin)
    assert received.status_code == 200 and "Penerimaan surat dicatat." in received.text
    assert jkt.asesor.ok(jkt.asesor.get(f"/api/letters/{letter_id}"))["status"] == "received"
    assert len(jkt.asesor.ok(jkt.asesor.get("/api/letters"))) == 1  # the SK is not the asesor's
    http.cookies.clear()


def test_other_branches_and_roles_get_nothing(world):
    http, jkt, sby = world["http"], world["jkt"], world["sby"]
    letter = jkt.admin.ok(jkt.admin.get("/api/letters"))[0]
    for path in (f"/api/letters/{letter['id']}", f"/api/letters/{letter['id']}/pdf"):
        assert sby.admin.get(path).status_code == 404, path
        assert sby.asesor.get(path).status_code == 404, path
    assert sby.admin.ok(sby.admin.get("/api/letters")) == []
    assert sby.ketua.post(f"/api/letters/{letter['id']}/sign", {}).status_code == 404
    origin = as_page(http, sby.admin)
    assert http.get(f"/penjadwalan/surat/{letter['id']}", headers={"accept": "text/html"}).status_code == 404
    assert letter["number"] not in http.get("/penjadwalan/surat").text
    refused = http.post("/penjadwalan/surat", headers=origin,
                        data={"kind": "sk_tuk", "tuk_id": world["tuk_id"], "valid_until": "2030-06-30"})
    assert "tidak ditemukan" in refused.text  # another branch's TUK
    as_page(http, sby.asesor)
    assert letter["number"] not in http.get("/asesor/surat").text
    as_page(http, world["asesi"])
    assert http.get("/penjadwalan/surat", headers={"accept": "text/html"}).status_code == 403
    assert http.get("/asesor/surat", headers={"accept": "text/html"}).status_code == 403
    assert world["asesi"].get(f"/api/letters/{letter['id']}").status_code == 403
    http.cookies.clear()


def test_an_spt_of_an_assessor_who_declined_is_flagged_and_revoked(world):
    http, jkt = world["http"], world["jkt"]
    spt = next(letter for letter in jkt.admin.ok(jkt.admin.get("/api/letters")) if letter["kind"] == "spt_asesor")
    jkt.asesor.ok(jkt.asesor.post(f"/api/asesor/assignments/{world['case_id']}/decline", {"reason": "sakit"}))
    origin = as_page(http, jkt.admin)
    wait_for(lambda: "Asesor tidak lagi bertugas pada jadwal ini" in http.get("/penjadwalan/surat").text,
             what="the stale SPT flagged")
    refused = http.post(f"/penjadwalan/surat/{spt['id']}/batalkan", headers=origin, data={"reason": ""})
    assert "sebutkan alasan surat dibatalkan" in refused.text
    revoked = http.post(f"/penjadwalan/surat/{spt['id']}/batalkan", headers=origin, data={"reason": "asesor sakit"})
    assert revoked.status_code == 200 and "Surat dibatalkan." in revoked.text and "asesor sakit" in revoked.text
    assert "Asesor tidak lagi bertugas" not in http.get("/penjadwalan/surat").text
    again = http.post("/penjadwalan/surat", headers=origin,
                      data={"kind": "spt_asesor", "schedule_id": world["schedule_id"], "user_id": jkt.asesor_id})
    assert "tidak ditugaskan pada jadwal ini" in again.text  # no SPT for one who no longer serves it
    as_page(http, world["sby"].admin)
    assert http.post(f"/penjadwalan/surat/{spt['id']}/batalkan", headers=origin,
                     data={"reason": "x"}, follow_redirects=False).headers["location"].count("tidak+ditemukan") == 1
    http.cookies.clear()
