"""The assignment on the pages (SOP 1.5, 1.6.4): the office appoints from the session's peta penugasan, the
asesor answers on their own page (other asesor and other branches are told nothing exists), and a reschedule
reaches the asesi's case page with who, when, why and what it undid."""
import pytest

from tests.support.driver import (
    as_page,
    login,
    ok_or_none,
    pay_case,
    session_for,
    signup_asesi,
    wait_for,
)
from tests.support.platform import two_branches
from tests.support.samples import PERSONAL_DATA, pdf_text, squeezed


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with two_branches(tmp_path_factory, "assign") as (http, admin, jkt, sby):
        admin.ok(admin.post("/api/branches/JKT01/users", {"email": "asesor2@lsp-katiga.co.id", "name": "Andi Saputra",
                                                           "password": "rahasia123", "role": "asesor"}), 201)
        yield {"http": http, "jkt": jkt, "sby": sby, "admin": admin,
               "other_asesor": login(http, "asesor2@lsp-katiga.co.id", "rahasia123")}


def test_appoint_confirm_and_reschedule_on_the_pages(world):
    http, jkt, sby = world["http"], world["jkt"], world["sby"]
    holder = signup_asesi(http, "JKT01", "sinta@contoh.co.id")
    case_id = pay_case(http, jkt, holder)["case_id"]
    scheme = wait_for(lambda: ok_or_none(jkt.admin.get(f"/api/scheduling/cases/{case_id}")), what="case")["scheme"]
    first = session_for(jkt, scheme["number"])
    jkt.admin.ok(jkt.admin.post(f"/api/schedules/{first}/cases", {"case_id": case_id}))
    origin = as_page(http, jkt.admin)
    page = http.get(f"/penjadwalan/jadwal/{first}")
    assert page.status_code == 200 and f'id="seat-{case_id}"' in page.text and "Peta penugasan" in page.text
    appointed = http.post(f"/penjadwalan/{case_id}/tugaskan?kembali=/penjadwalan/jadwal/{first}", headers=origin,
                          data={"assessor_id": jkt.asesor_id})
    assert appointed.status_code == 200 and str(appointed.url).split("?")[0].endswith(f"/penjadwalan/jadwal/{first}")
    assert "Asesor ditunjuk" in appointed.text and "Menunggu konfirmasi asesor" in appointed.text
    assert "1 asesi di sesi ini" in appointed.text  # the map counts the assessor's asesi in the session
    # other branches see neither the session nor the case's steps
    as_page(http, sby.admin)
    assert http.get(f"/penjadwalan/jadwal/{first}").status_code == 404
    refused = http.post(f"/penjadwalan/{case_id}/jadwal-ulang", headers=origin,
                        data={"schedule_id": first, "reason": "x"}, follow_redirects=False)
    assert refused.status_code == 303 and "tidak+ditemukan" in refused.headers["location"]

    # the asesor answers on their page; another asesor of the branch is told nothing exists
    as_page(http, world["other_asesor"])
    assert http.get(f"/asesor/penugasan/{case_id}").status_code == 404
    assert case_id not in http.get("/asesor/penugasan").text
    as_page(http, jkt.asesor)
    mine = http.get(f"/asesor/penugasan/{case_id}")
    assert mine.status_code == 200 and "FR.APL.01 (PDF)" in mine.text
    apl01 = http.get(f"/api/applications/{case_id}/apl01.pdf")  # an appointed asesor reads it, without the
    text = squeezed(pdf_text(apl01.content))                     # personal data sealed for the asesi
    assert apl01.status_code == 200 and "BudiSantoso" in text
    assert PERSONAL_DATA["nik"] not in text and "Melati" not in text and PERSONAL_DATA["hp"] not in text
    missing = http.post(f"/asesor/penugasan/{case_id}/konfirmasi", headers=origin, data={"melatih": "tidak"})
    assert missing.status_code == 422 and 'id="institusi_sama-error"' in missing.text
    assert '<option value="tidak" selected>' in missing.text  # what was chosen is kept
    confirmed = http.post(f"/asesor/penugasan/{case_id}/konfirmasi", headers=origin, data={
        "melatih": "tidak", "institusi_sama": "tidak", "hubungan_keluarga": "tidak", "kepentingan_lain": "tidak"})
    assert confirmed.status_code == 200 and "pernyataan ketidakberpihakan ditandatangani" in confirmed.text

    # the office moves the case to another session, saying why
    later = jkt.admin.ok(jkt.admin.post("/api/schedules", {
        "skema": scheme["number"], "tanggal": "2031-02-03", "mulai": "08:00", "selesai": "12:00",
        "tuk_id": jkt.tuk_id, "tautan": "https://meet.example.org/uji", "kuota_min": "1", "kuota_maks": "5"}), 201)
    as_page(http, jkt.admin)
    moved = http.post(f"/penjadwalan/{case_id}/jadwal-ulang?kembali=/penjadwalan/jadwal/{first}", headers=origin,
                      data={"schedule_id": later["id"], "reason": "asesi sakit, surat dokter terlampir"})
    assert moved.status_code == 200 and "Asesi dijadwal ulang" in moved.text
    case = jkt.admin.ok(jkt.admin.get(f"/api/scheduling/cases/{case_id}"))
    assert case["schedule_id"] == later["id"] and case["status"] == "awaiting_assessor"
    as_page(http, holder)
    journey = http.get(f"/asesi/permohonan/{case_id}").text
    assert "Dijadwal ulang" in journey and "asesi sakit, surat dokter terlampir" in journey
    assert "pernyataan ketidakberpihakan asesor" in journey  # what the move undid
    assert "3 Februari 2031" in journey
    as_page(http, jkt.admin)  # the office's outbox holds scheduling's notices beside registration's
    outbox = wait_for(lambda: (page := http.get("/admin/kotak-keluar").text).count("Jadwal uji kompetensi skema") >= 2
                      and page, what="both session notices in the outbox")
    assert "Alasan: asesi sakit, surat dokter terlampir" in outbox and "Pembayaran" in outbox
    http.cookies.clear()


def test_the_admin_keeps_the_assessor_registry_on_its_page(world):
    http, jkt, admin = world["http"], world["jkt"], world["admin"]
    user = admin.ok(admin.post("/api/branches/JKT01/users", {"email": "wati@lsp-katiga.co.id", "name": "Wati Rahayu",
                                                             "password": "rahasia123", "role": "asesor"}), 201)
    origin = as_page(http, jkt.admin)
    wait_for(lambda: f'<option value="{user["id"]}">Wati Rahayu</option>' in http.get("/penjadwalan/asesor").text,
             what="the new account offered, not yet in the registry")
    typed = {"user_id": user["id"], "met_number": "MET-1", "valid_until": "2029-06-30",
             "scheme_numbers": "SKM/K3/AHLI-K3-UMUM/2025", "evidence": "SKM/K3/AHLI-K3-UMUM/2025: Ahli K3 Umum 2019",
             "institutions": "PT Konstruksi  Aman"}
    refused = http.post("/penjadwalan/asesor", headers=origin, data=typed)
    assert refused.status_code == 422 and 'id="met_number-error"' in refused.text
    assert "MET.000.001668.2012" in refused.text and 'value="MET-1"' in refused.text  # what was typed is kept
    saved = http.post("/penjadwalan/asesor", headers=origin, data={**typed, "met_number": "MET.000.004321.2019"})
    assert saved.status_code == 200 and "Wati Rahayu" in saved.text and "PT Konstruksi Aman" in saved.text
    renewed = http.post(f"/penjadwalan/asesor/{user['id']}/ubah", headers=origin,
                        data={**typed, "met_number": "MET.000.004321.2019", "valid_until": "2032-06-30"})
    assert renewed.status_code == 200
    [entry] = [a for a in jkt.admin.ok(jkt.admin.get("/api/assessors")) if a["user_id"] == user["id"]]
    assert entry["valid_until"] == "2032-06-30" and entry["evidence"] == {
        "SKM/K3/AHLI-K3-UMUM/2025": "Ahli K3 Umum 2019"}
    off = http.post(f"/penjadwalan/asesor/{user['id']}/nonaktifkan", headers=origin, data={"reason": "cuti"})
    assert off.status_code == 200 and "Nonaktif" in off.text
    as_page(http, world["sby"].admin)  # another branch: no such entry to revise or deactivate
    other = http.post(f"/penjadwalan/asesor/{user['id']}/ubah", headers=origin, data=typed)
    assert other.status_code == 422 and "asesor tidak ditemukan" in other.text
    assert world["sby"].admin.put(f"/api/assessors/{user['id']}", {
        "met_number": "MET.000.004321.2019", "valid_until": "2032-06-30",
        "scheme_numbers": ["SKM/K3/AHLI-K3-UMUM/2025"]}).status_code == 404
    assert world["sby"].admin.post(f"/api/assessors/{user['id']}/activate", {}).status_code == 404
    http.cookies.clear()
