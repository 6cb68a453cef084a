"""The TUK registry's page (/penjadwalan/tuk): the admin LSP adds and edits TUK with every problem named
beside its field and what was typed kept; the manajer sertifikasi reads it; other roles and branches are
refused."""
import pytest
from fastapi.testclient import TestClient

from services.gateway.main import create_app
from shared.settings import Settings
from tests.support.driver import ADMIN, login, open_branch, signup_asesi


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("tuk")))
    with TestClient(app) as http:
        admin = login(http, *ADMIN)
        jkt, sby = open_branch(http, admin, "JKT01"), open_branch(http, admin, "SBY01")
        yield {"http": http, "jkt": jkt, "sby": sby, "asesi": signup_asesi(http, "JKT01", "budi@contoh.co.id")}


def as_page(http, session):
    http.cookies.clear()
    http.cookies.set("lsp_session", session.token)
    return {"origin": str(http.base_url)}


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
