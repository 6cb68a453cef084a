"""Every endpoint of the skeleton denies other branches (404), names bad fields (422) and
answers stale writes with 409. In-process embedded platform, driven over HTTP."""
import pytest
from fastapi.testclient import TestClient

from services.gateway.main import create_app
from shared.settings import Settings
from tests.support.driver import (
    ADMIN,
    NO_CONFLICT,
    accept_case,
    assign_case,
    login,
    open_branch,
    pay,
    review_case,
    run_case,
    signup_asesi,
    submit_application,
    tiny_pdf,
    wait_for,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("tenancy")))
    with TestClient(app) as http:
        admin = login(http, *ADMIN)
        jkt, sby = open_branch(http, admin, "JKT01"), open_branch(http, admin, "SBY01")
        asesi = signup_asesi(http, "JKT01", "budi@contoh.co.id")
        done = run_case(http, jkt, asesi)
        scheme = asesi.ok(asesi.get("/api/schemes"))[0]
        fresh = submit_application(asesi, scheme)
        wait_for(lambda: jkt.admin.get(f"/api/applications/{fresh}").status_code == 200, what="fresh case")
        yield {"http": http, "admin": admin, "jkt": jkt, "sby": sby, "asesi": asesi, "done": done,
               "fresh": fresh, "scheme": scheme,
               "sby_asesi": signup_asesi(http, "SBY01", "sari@contoh.co.id"),
               "jkt_other_asesi": signup_asesi(http, "JKT01", "andi@contoh.co.id")}


def case_reads(world) -> list[str]:
    done = world["done"]["case_id"]
    application = world["jkt"].admin.ok(world["jkt"].admin.get(f"/api/applications/{done}"))
    return [f"/api/applications/{done}", f"/api/scheduling/cases/{done}", f"/api/assessments/{done}",
            f"/api/certification/cases/{done}", f"/api/cases/{done}/timeline",
            f"/api/applications/{done}/invoice.pdf",
            f"/api/applications/{done}/files/{application['documents'][0]['file_id']}",
            f"/api/applications/{done}/files/{application['payment']['file_id']}"]


def test_other_branch_staff_get_404_for_every_case_read(world):
    for path in case_reads(world) + [f"/api/schemes/{world['scheme']['id']}"]:
        assert world["jkt"].admin.get(path).status_code == 200, path
        response = world["sby"].admin.get(path)
        assert response.status_code == 404, (path, response.text)


@pytest.mark.parametrize("who", ["sby_admin", "sby_asesor", "sby_ketua"])
def test_other_branch_gets_404_for_every_command_on_a_case(world, who):
    sby, fresh, done = world["sby"], world["fresh"], world["done"]["case_id"]
    session = {"sby_admin": sby.admin, "sby_asesor": sby.asesor, "sby_ketua": sby.ketua}[who]
    commands = {
        "sby_admin": [(f"/api/applications/{fresh}/accept", {}), (f"/api/applications/{fresh}/verify-payment", {}),
                      (f"/api/applications/{fresh}/requirements/PD-01/verdict", {"verdict": "memenuhi"}),
                      (f"/api/applications/{fresh}/recommend", {"recommendation": "diterima"}),
                      (f"/api/applications/{fresh}/reject-payment", {"reason": "tidak terbaca"}),
                      (f"/api/applications/{fresh}/feasibility", {"feasible": True}),
                      (f"/api/scheduling/cases/{done}/assign", {"assessor_id": sby.asesor_id}),
                      (f"/api/scheduling/cases/{done}/delegate", {"assessor_id": sby.asesor_id, "reason": "x"}),
                      (f"/api/scheduling/cases/{done}/reschedule", {"schedule_id": done, "reason": "x"})],
        "sby_asesor": [(f"/api/assessments/{done}/recommendation",
                        {"units": world["done"]["units"]}),
                       (f"/api/asesor/assignments/{done}/confirm", NO_CONFLICT),
                       (f"/api/asesor/assignments/{done}/decline", {"reason": "x"})],
        "sby_ketua": [(f"/api/certification/cases/{done}/decide", {"decision": "K"})],
    }[who]
    for path, body in commands:
        response = session.post(path, body)
        assert response.status_code == 404, (path, response.text)


def test_asesi_of_other_branch_or_other_asesi_cannot_reach_the_application(world):
    fresh = world["fresh"]
    for asesi in (world["sby_asesi"], world["jkt_other_asesi"]):
        assert asesi.get(f"/api/applications/{fresh}").status_code == 404
        assert asesi.get(f"/api/applications/{world['done']['case_id']}/invoice.pdf").status_code == 404
        assert asesi.get(f"/api/cases/{fresh}/timeline").status_code == 404
        assert asesi.ok(asesi.get("/api/applications")) == []
    wrong_owner = pay(world["jkt_other_asesi"], fresh, 1)
    assert wrong_owner.status_code == 409  # same branch, not theirs: refused, and nothing written
    assert pay(world["sby_asesi"], fresh, 1).status_code == 404
    pdf = {"file": ("a.pdf", tiny_pdf("x"), "application/pdf")}
    for asesi, expected in ((world["jkt_other_asesi"], 409), (world["sby_asesi"], 404)):
        assert asesi.put(f"/api/applications/{fresh}/personal-data", {"kota": "x"}).status_code == 422
        assert asesi.put(f"/api/applications/{fresh}/personal-data",
                         {"nama_lengkap": "Penyusup"}).status_code == expected
        assert asesi.post(f"/api/applications/{fresh}/requirements/PD-01", files=pdf).status_code == expected
        assert asesi.post(f"/api/applications/{fresh}/submit", {}).status_code == expected
    document = world["asesi"].ok(world["asesi"].get(f"/api/applications/{fresh}"))["documents"][0]
    for who in (world["jkt_other_asesi"], world["sby_asesi"], world["jkt"].asesor):
        assert who.get(f"/api/applications/{fresh}/files/{document['file_id']}").status_code == 404


def test_lists_only_show_the_callers_branch(world):
    done = world["done"]["case_id"]
    sby = world["sby"].admin
    for path in ("/api/applications", "/api/scheduling/cases", "/api/assessments", "/api/certificates",
                 "/api/assessors", "/api/users", "/api/schemes"):
        jkt_items = world["jkt"].admin.ok(world["jkt"].admin.get(path))
        sby_items = sby.ok(sby.get(path))
        assert jkt_items, path
        assert all(item.get("tenant", "SBY01") == "SBY01" for item in sby_items), path
        assert done not in {item["id"] for item in sby_items}, path
        assert not {item["id"] for item in jkt_items} & {item["id"] for item in sby_items}, path
    ketua = world["sby"].ketua
    assert done not in {c["id"] for c in ketua.ok(ketua.get("/api/certification/cases"))}


def test_staff_cannot_manage_another_branch(world):
    response = world["sby"].admin.post("/api/branches/JKT01/users", {
        "email": "x@contoh.co.id", "name": "Penyusup", "password": "rahasia123", "role": "admin_lsp"})
    assert response.status_code == 404
    assert world["sby"].admin.post("/api/branches", {"code": "XXX", "name": "X"}).status_code == 403
    again = world["admin"].post("/api/branches", {"code": "JKT01", "name": "LSP Jakarta lagi"})
    assert again.status_code == 409 and again.json()["detail"]["field"] == "code"
    asesor_from_jkt = world["sby"].admin.post("/api/assessors", {
        "user_id": world["jkt"].asesor_id, "met_number": "MET.000.001668.2012",
        "valid_until": "2030-12-31", "scheme_numbers": ["X"]})
    assert asesor_from_jkt.status_code == 422 and asesor_from_jkt.json()["detail"]["field"] == "user_id"


def test_public_views_are_per_branch_and_by_number(world):
    http = world["http"]
    jkt_catalogue = http.get("/api/public/branches/JKT01/schemes").json()
    assert world["scheme"]["id"] in {s["id"] for s in jkt_catalogue}
    assert {s["tenant"] for s in jkt_catalogue} == {"JKT01"}
    assert world["scheme"]["id"] not in {s["id"] for s in http.get("/api/public/branches/SBY01/schemes").json()}
    assert http.get("/api/public/certificates/LSP-JKT01-1999-99999").status_code == 404


def test_roles_are_enforced(world):
    asesi, fresh = world["asesi"], world["fresh"]
    assert asesi.post(f"/api/applications/{fresh}/accept", {}).status_code == 403
    assert world["jkt"].admin.post("/api/applications", {"scheme_id": world["scheme"]["id"]}).status_code == 403
    assert world["http"].get("/api/applications").status_code == 401
    assert world["http"].get("/api/applications", headers={"Authorization": "Bearer nope"}).status_code == 401


@pytest.mark.parametrize("path,body,field", [
    ("/api/applications", {"scheme_id": "not-a-uuid"}, "scheme_id"),
    ("/api/applications", {"scheme_id": "x", "purpose": "Liburan"}, "purpose"),
    ("/api/applications", {}, "scheme_id"),
])
def test_asesi_bad_input_names_the_field(world, path, body, field):
    response = world["asesi"].post(path, body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]["field"] == field


@pytest.mark.parametrize("path,body,field", [
    ("/api/schemes", {"number": "S/1", "title": "Petugas K3", "kind": "Lainnya", "units": [], "fee": 1}, "kind"),
    ("/api/schemes", {"number": "S/1", "title": "Petugas K3", "kind": "Okupasi", "units": [], "fee": 1}, "units"),
    ("/api/schemes", {"number": "S/1", "title": "Petugas K3", "kind": "Okupasi",
                      "units": [{"code": "U1", "title": "Unit"}], "fee": -5}, "fee"),
    ("/api/assessors", {"user_id": "x", "met_number": "123", "valid_until": "2030-01-01",
                        "scheme_numbers": ["A"]}, "met_number"),
    ("/api/branches/JKT01/users", {"email": "bukan-email", "name": "A B", "password": "rahasia123",
                                   "role": "asesor"}, "email"),
    ("/api/branches/JKT01/users", {"email": "a@contoh.co.id", "name": "A B", "password": "pendek",
                                   "role": "asesor"}, "password"),
])
def test_staff_bad_input_names_the_field(world, path, body, field):
    response = world["jkt"].admin.post(path, body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]["field"] == field


def test_recommendation_must_cover_every_unit(world):
    # a fresh case assigned to the JKT asesor; a partial recommendation is refused naming "units"
    jkt = world["jkt"]
    case = run_partial(world)
    response = jkt.asesor.post(f"/api/assessments/{case}/recommendation",
                               {"units": [{"code": "M.71KKK00.001.1", "result": "K"}]})
    assert response.status_code == 422 and response.json()["detail"]["field"] == "units"
    assessment = jkt.asesor.ok(jkt.asesor.get(f"/api/assessments/{case}"))
    assert assessment["status"] != "recommended"


def run_partial(world) -> str:
    jkt, asesi = world["jkt"], world["asesi"]
    case = submit_application(asesi, world["scheme"])
    amount = accept_case(jkt.admin, case)["amount"]
    asesi.ok(pay(asesi, case, amount, reference="T"))
    jkt.admin.ok(jkt.admin.post(f"/api/applications/{case}/verify-payment", {}))
    review_case(jkt.admin, asesi, case, world["scheme"])
    assign_case(jkt, case)
    wait_for(lambda: jkt.asesor.get(f"/api/assessments/{case}").status_code == 200, what="assessment")
    return case


def test_stale_or_repeated_writes_answer_409(world):
    jkt, fresh = world["jkt"], world["fresh"]
    stale = jkt.admin.post(f"/api/applications/{fresh}/accept", {"expected_version": 99})
    assert stale.status_code == 409 and stale.json()["detail"]["field"] == "expected_version"
    done = world["done"]["case_id"]
    assert jkt.admin.post(f"/api/scheduling/cases/{done}/assign",
                          {"assessor_id": jkt.asesor_id}).status_code == 409
    assert jkt.ketua.post(f"/api/certification/cases/{done}/decide", {"decision": "K"}).status_code == 409
    # nothing was half-written: the fresh case is still waiting, with no invoice
    application = jkt.admin.ok(jkt.admin.get(f"/api/applications/{fresh}"))
    assert application["status"] == "submitted" and "invoice" not in application


def test_only_the_assigned_asesor_may_recommend(world):
    http, jkt = world["http"], world["jkt"]
    case = run_partial(world)
    world["admin"].ok(world["admin"].post("/api/branches/JKT01/users", {
        "email": "asesor2@contoh.co.id", "name": "Asesor Kedua", "password": "rahasia123", "role": "asesor"}), 201)
    other = login(http, "asesor2@contoh.co.id", "rahasia123")
    units = world["done"]["units"]
    assert other.get(f"/api/assessments/{case}").status_code == 404
    assert other.post(f"/api/assessments/{case}/recommendation", {"units": units}).status_code in (403, 404)
    jkt.asesor.ok(jkt.asesor.post(f"/api/assessments/{case}/recommendation", {"units": units}))
