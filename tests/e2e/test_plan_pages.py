"""The batch placement proposal (/penjadwalan/usulan, /api/schedules/proposal): the office sees the plan before
anything is applied; the admin LSP applies it (a plan that changed since it was shown is not applied, the new one
is shown); the cases are seated with their assessor; other roles and branches see none of it."""
import re
from datetime import date, timedelta

import pytest

from tests.support.driver import as_page, login, pay_case, signup_asesi, wait_for
from tests.support.platform import two_branches


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with two_branches(tmp_path_factory, "plan") as (http, admin, jkt, sby):
        staff = jkt.admin
        scheme = staff.ok(staff.get("/api/schemes"))[0]
        tuk_id = staff.ok(staff.post("/api/tuk", {"nama": "TUK Sewaktu Daring", "jenis": "sewaktu",
                                                  "jarak_jauh": "ya", "kapasitas": "10"}), 201)["id"]
        schedule_id = staff.ok(staff.post("/api/schedules", {
            "skema": scheme["number"], "tanggal": (date.today() + timedelta(days=20)).isoformat(),
            "mulai": "08:00", "selesai": "12:00", "tuk_id": tuk_id, "tautan": "https://meet.example.org/k3",
            "kuota_min": "1", "kuota_maks": "5"}), 201)["id"]
        cases = [pay_case(http, jkt, signup_asesi(http, "JKT01", f"peserta{n}@contoh.co.id"))["case_id"]
                 for n in range(2)]
        for case_id in cases:
            wait_for(lambda c=case_id: staff.get(f"/api/scheduling/cases/{c}").status_code == 200, what="case")
        admin.ok(admin.post("/api/branches/JKT01/users", {
            "email": "manajer@lsp-katiga.co.id", "name": "Manajer JKT", "password": "rahasia123",
            "role": "manajer_sertifikasi"}), 201)
        manajer = login(http, "manajer@lsp-katiga.co.id", "rahasia123")
        yield {"http": http, "jkt": jkt, "sby": sby, "cases": cases, "schedule_id": schedule_id, "manajer": manajer}




def test_the_proposal_is_shown_then_applied_and_a_stale_one_is_not(world):
    http, jkt, cases = world["http"], world["jkt"], world["cases"]
    plan = jkt.admin.ok(jkt.admin.get("/api/schedules/proposal"))
    manajer = world["manajer"]  # the manajer sertifikasi sees the same plan, and may not apply it
    assert manajer.ok(manajer.get("/api/schedules/proposal"))["plan_hash"] == plan["plan_hash"]
    assert manajer.post("/api/schedules/proposal/apply", {"plan_hash": plan["plan_hash"]}).status_code == 403
    origin = as_page(http, manajer)
    seen = http.get("/penjadwalan/usulan")
    assert seen.status_code == 200 and f'id="plan-row-{cases[0]}"' in seen.text and 'id="apply-plan"' not in seen.text
    assert http.post("/penjadwalan/usulan", headers={**origin, "accept": "text/html"},
                     data={"plan_hash": plan["plan_hash"]}).status_code == 403
    refused = http.get("/penjadwalan/usulan", params={"skema": "<b>"}, headers={"accept": "text/html"})
    assert refused.status_code == 422 and "nomor skema" in refused.text
    assert sorted(r["case_id"] for r in plan["rows"]) == sorted(cases) and plan["unplaced"] == []
    assert {r["schedule_id"] for r in plan["rows"]} == {world["schedule_id"]}
    origin = as_page(http, jkt.admin)
    page = http.get("/penjadwalan/usulan")
    assert page.status_code == 200 and "Usulan penempatan" in page.text and 'id="apply-plan"' in page.text
    assert all(f'id="plan-row-{case_id}"' in page.text for case_id in cases)
    assert f'value="{plan["plan_hash"]}"' in page.text
    stale = http.post("/penjadwalan/usulan", headers=origin, data={"skema": "", "plan_hash": "0" * 16})
    assert stale.status_code == 409 and 'id="plan-stale"' in stale.text and "Usulan berubah" in stale.text
    assert jkt.admin.ok(jkt.admin.get(f"/api/scheduling/cases/{cases[0]}")).get("schedule_id") is None  # nothing
    applied = http.post("/penjadwalan/usulan", headers=origin, data={"skema": "", "plan_hash": plan["plan_hash"]})
    assert applied.status_code == 200 and "/penjadwalan/usulan/terapkan/" in str(applied.url)
    batch_id = str(applied.url).rsplit("/", 1)[1]
    batch = wait_for(lambda: (b := jkt.admin.ok(jkt.admin.get(f"/api/schedules/proposal/batches/{batch_id}")))
                     ["finished"] and b, what="the batch applied")
    assert (batch["done"], batch["applied"], batch["refused"]) == (2, 2, [])
    done = http.get(f"/penjadwalan/usulan/terapkan/{batch_id}").text
    assert "2 dari 2 diterapkan" in done and 'id="plan-finished"' in done
    for case_id in cases:
        seated = wait_for(lambda c=case_id: (d := jkt.admin.ok(jkt.admin.get(f"/api/scheduling/cases/{c}")))
                          ["status"] == "appointed" and d.get("schedule_id") and d, what="seated and appointed")
        assert seated["schedule_id"] == world["schedule_id"] and seated["assessor"]["id"] == jkt.asesor_id
    again = http.post("/penjadwalan/usulan", headers=origin, data={"skema": "", "plan_hash": plan["plan_hash"]})
    assert str(again.url).endswith(batch_id)  # the same plan posted twice is applied once
    assert jkt.admin.ok(jkt.admin.get("/api/schedules/proposal"))["rows"] == []
    http.cookies.clear()


def test_the_api_refuses_a_stale_plan_and_bad_input_by_field(world):
    staff = world["jkt"].admin
    stale = staff.post("/api/schedules/proposal/apply", {"plan_hash": "f" * 16})
    assert stale.status_code == 409 and stale.json()["detail"]["field"] == "plan_hash"
    assert "usulan berubah sejak ditampilkan" in stale.json()["detail"]["message"]
    bad = staff.post("/api/schedules/proposal/apply", {"plan_hash": "bukan-hash"})
    assert bad.status_code == 422 and "plan_hash" in bad.text
    assert staff.get("/api/schedules/proposal", params={"skema": "<script>"}).status_code == 422


def test_other_roles_and_branches_see_none_of_it(world):
    http, jkt, sby = world["http"], world["jkt"], world["sby"]
    applied = jkt.admin.ok(jkt.admin.post("/api/schedules/proposal/apply", {
        "plan_hash": jkt.admin.ok(jkt.admin.get("/api/schedules/proposal"))["plan_hash"]}), 202)
    other = sby.admin.ok(sby.admin.get("/api/schedules/proposal"))
    assert other["rows"] == [] and other["schedules"] == [] and other["unplaced"] == []
    assert sby.admin.get(f"/api/schedules/proposal/batches/{applied['id']}").status_code == 404
    assert jkt.asesor.get("/api/schedules/proposal").status_code == 403
    assert jkt.ketua.post("/api/schedules/proposal/apply", {"plan_hash": "0" * 16}).status_code == 403
    as_page(http, sby.admin)
    page = http.get("/penjadwalan/usulan").text
    assert not any(case_id in page for case_id in world["cases"]) and re.search(r'id="plan-count">0<', page)
    assert http.get(f"/penjadwalan/usulan/terapkan/{applied['id']}").status_code == 404
    as_page(http, jkt.ketua)
    assert http.get("/penjadwalan/usulan", headers={"accept": "text/html"}).status_code == 403
    http.cookies.clear()
