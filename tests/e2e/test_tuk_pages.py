"""The TUK registry's page (/penjadwalan/tuk): the admin LSP adds and edits TUK with every problem named
beside its field and what was typed kept; the manajer sertifikasi reads it; other roles and branches are
refused."""
from datetime import date, timedelta

import pytest

from services.scheduling.web import met_standing
from shared.display import wib_today
from tests.support.driver import as_page, pay_case, signup_asesi, wait_for
from tests.support.platform import two_branches


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with two_branches(tmp_path_factory, "tuk") as (http, admin, jkt, sby):
        yield {"http": http, "jkt": jkt, "sby": sby, "asesi": signup_asesi(http, "JKT01", "budi@contoh.co.id"),
               "admin": admin}




def test_the_admin_adds_a_tuk_on_the_page_and_a_refusal_keeps_what_was_typed(world):
    http = world["http"]
    origin = as_page(http, world["jkt"].admin)
    refused = http.post("/penjadwalan/tuk", headers=origin, data={
        "nama": "TUK Tempat Kerja PT Aman", "jenis": "tempat_kerja", "jarak_jauh": "tidak", "kapasitas": "nol"})
    assert refused.status_code == 422
    assert 'id="kapasitas-error"' in refused.text and 'value="TUK Tempat Kerja PT Aman"' in refused.text
    missing = http.post("/penjadwalan/tuk", headers=origin, data={
        "nama": "TUK Tempat Kerja PT Aman", "jenis": "tempat_kerja", "jarak_jauh": "tidak", "kapasitas": "12"})
    assert missing.status_code == 422 and 'id="alamat-error"' in missing.text  # on site: the address
    assert "TUK tatap muka wajib mencantumkan alamat" in missing.text
    saved = http.post("/penjadwalan/tuk", headers=origin, data={
        "nama": "TUK Tempat Kerja PT Aman", "jenis": "tempat_kerja", "jarak_jauh": "tidak", "kapasitas": "12",
        "alamat": "Jl. Industri No. 5, Cikarang"})
    assert saved.status_code == 200 and "Jl. Industri No. 5, Cikarang" in saved.text  # followed to the registry
    staff = world["jkt"].admin
    (tuk,) = staff.ok(staff.get("/api/tuk"))
    assert tuk["kapasitas"] == 12 and tuk["status"] == "aktif"
    edit = http.get(f"/penjadwalan/tuk/{tuk['id']}")
    assert edit.status_code == 200 and 'value="12"' in edit.text
    off = http.post(f"/penjadwalan/tuk/{tuk['id']}/nonaktifkan", headers=origin)
    assert off.status_code == 200 and staff.ok(staff.get(f"/api/tuk/{tuk['id']}"))["status"] == "nonaktif"
    http.cookies.clear()


def test_other_roles_and_branches_are_refused(world):
    http, staff = world["http"], world["jkt"].admin
    tuk_id = staff.ok(staff.post("/api/tuk", {"nama": "TUK Daring", "jenis": "sewaktu", "jarak_jauh": "ya",
                                              "kapasitas": "20"}), 201)["id"]
    assert world["sby"].admin.get(f"/api/tuk/{tuk_id}").status_code == 404
    assert world["asesi"].get("/api/tuk").status_code == 403
    assert world["jkt"].asesor.get("/api/tuk").status_code == 403
    origin = as_page(http, world["sby"].admin)
    assert http.get(f"/penjadwalan/tuk/{tuk_id}").status_code == 404
    assert http.post(f"/penjadwalan/tuk/{tuk_id}", headers=origin, data={"nama": "x"}).status_code == 404
    as_page(http, world["jkt"].ketua)
    assert http.get("/penjadwalan/tuk", headers={"accept": "text/html"}).status_code == 403
    http.cookies.clear()


def test_the_office_schedules_a_session_and_places_a_feasible_case_on_the_pages(world):
    http, jkt = world["http"], world["jkt"]
    scheme = jkt.admin.ok(jkt.admin.get("/api/schemes"))[0]
    tuk_id = jkt.admin.ok(jkt.admin.post("/api/tuk", {"nama": "TUK Sewaktu Daring", "jenis": "sewaktu",
                                                      "jarak_jauh": "ya", "kapasitas": "4"}), 201)["id"]
    holder = signup_asesi(http, "JKT01", "sinta@contoh.co.id")
    case_id = pay_case(http, jkt, holder)["case_id"]
    wait_for(lambda: jkt.admin.get(f"/api/scheduling/cases/{case_id}").status_code == 200, what="case in scheduling")
    origin = as_page(http, jkt.admin)
    page = http.get("/penjadwalan/jadwal")
    assert page.status_code == 200 and f'<option value="{tuk_id}"' in page.text  # the TUK chosen, not typed
    soon = (date.today() + timedelta(days=14)).isoformat()
    values = {"skema": scheme["number"], "tanggal": soon, "mulai": "09:00", "selesai": "08:00", "tuk_id": tuk_id,
              "tautan": "", "kuota_min": "1", "kuota_maks": "9"}
    refused = http.post("/penjadwalan/jadwal", headers=origin, data=values)
    assert refused.status_code == 422 and f'value="{soon}"' in refused.text  # kept what was typed
    assert 'id="selesai-error"' in refused.text  # ends before it starts
    refused = http.post("/penjadwalan/jadwal", headers=origin, data={**values, "selesai": "15:00"})
    assert refused.status_code == 422 and 'id="kuota_maks-error"' in refused.text  # more than the TUK holds
    created = http.post("/penjadwalan/jadwal", headers=origin,
                        data={**values, "selesai": "15:00", "kuota_maks": "4", "tautan": "https://meet.example.org/k3"})
    assert created.status_code == 200 and f'<option value="{case_id}"' in created.text  # waiting for a seat
    schedule_url = str(created.url).split("?")[0]
    placed = http.post(f"{schedule_url}/tempatkan", headers=origin, data={"case_id": case_id})
    assert placed.status_code == 200 and "1 / 4" in placed.text and "Asesi ditempatkan" in placed.text
    as_page(http, holder)  # the asesi sees the session on the case page: when, where, and the link
    journey = http.get(f"/asesi/permohonan/{case_id}").text
    assert "journey-schedule" in journey and "TUK Sewaktu Daring" in journey
    assert "https://meet.example.org/k3" in journey
    assert as_page(http, world["sby"].admin) and http.get(schedule_url).status_code == 404  # another branch
    http.cookies.clear()


def test_the_assessor_registry_warns_of_met_registrations_running_out(world):
    http, jkt, admin = world["http"], world["jkt"], world["admin"]
    today = wib_today()
    for email, name, valid_until in (("rudi@lsp-katiga.co.id", "Rudi Hartono", today + timedelta(days=45)),
                                     ("tono@lsp-katiga.co.id", "Tono Wijaya", today - timedelta(days=1))):
        user = admin.ok(admin.post("/api/branches/JKT01/users", {"email": email, "name": name,
                                                                 "password": "rahasia123", "role": "asesor"}), 201)
        jkt.admin.ok(jkt.admin.post("/api/assessors", {"user_id": user["id"], "met_number": "MET.000.001669.2013",
                                                       "valid_until": valid_until.isoformat(),
                                                       "scheme_numbers": ["SKM/K3/AHLI-K3-UMUM/2025"]}), 201)
    wait_for(lambda: len(jkt.admin.ok(jkt.admin.get("/api/assessors"))) == 3, what="three assessors")
    as_page(http, jkt.admin)
    page = http.get("/penjadwalan/asesor").text
    assert page.index("Tono Wijaya") < page.index("Rudi Hartono") < page.index("Asesor JKT01")  # worst first
    assert "Kedaluwarsa: perlu RCC" in page and "Berakhir dalam 45 hari (≤ 60)" in page
    as_page(http, world["asesi"])
    assert http.get("/penjadwalan/asesor", headers={"accept": "text/html"}).status_code == 403
    http.cookies.clear()


@pytest.mark.parametrize("days, status, warning", [(-1, "kedaluwarsa", None), (0, "aktif", 30), (30, "aktif", 30),
                                                   (31, "aktif", 60), (90, "aktif", 90), (91, "aktif", None)])
def test_met_warnings_come_at_90_60_and_30_days(days, status, warning):
    today = date(2026, 11, 28)
    standing = met_standing((today + timedelta(days=days)).isoformat(), today)
    assert (standing["met_status"], standing["warning"], standing["days"]) == (status, warning, days)
