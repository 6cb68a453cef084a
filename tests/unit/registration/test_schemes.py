"""Scheme catalogue (SOP 1.1): the five seeded K3 schemes, versions, publication, read models, API."""
import asyncio
from uuid import UUID, uuid4

import pytest

from services.registration import api, queries
from services.registration.domain import METHODS
from services.registration.projections import PROJECTIONS
from services.registration.seed import (
    AHLI_K3_UMUM,
    DEFAULT_SCHEMES,
    INVESTIGASI_INSIDEN,
    PENGAWASAN_K3_MIGAS,
    PETUGAS_K3,
)
from shared.errors import Conflict, Invalid, NotFound
from shared.projector import Projector
from tests.support.api import TENANT, api_client, as_user, auth, published, submitted_case, verify_all
from tests.support.samples import ADMIN, ASESI

SBY = "SBY01"


def seeded(app, tenant: str = TENANT) -> dict[str, str]:
    """Scheme ids by title."""
    return {spec["title"]: scheme_id for spec, scheme_id in zip(DEFAULT_SCHEMES, app.seed_schemes(tenant, ADMIN),
                                                                 strict=True)}


def content(spec: dict, **changes) -> dict:
    return {**{k: v for k, v in spec.items() if k not in ("number", "published")}, **changes}


def project(app, store) -> None:
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())


def units(app, scheme_id: str) -> dict[str, dict]:
    return {u["code"]: u for u in app.repository.get(UUID(scheme_id)).content["units"]}


# ---- the seeded catalogue -----------------------------------------------------------------------

def test_every_branch_gets_the_five_sop_schemes_once(app):
    ids = seeded(app)
    assert list(ids) == ["Ahli K3 Umum", "Petugas K3", "Pengawasan K3 Migas", "Investigasi Insiden",
                         "Pelaksanaan K3 Laboratorium"]
    assert seeded(app) == ids
    assert set(seeded(app, SBY).values()).isdisjoint(ids.values())
    schemes = {title: app.repository.get(UUID(i)) for title, i in ids.items()}
    assert {t for t, s in schemes.items() if s.published} == {"Ahli K3 Umum", "Petugas K3",
                                                              "Pelaksanaan K3 Laboratorium"}
    for scheme in schemes.values():
        assert scheme.version == 1 and scheme.content["validity_years"] == 3
        assert {r["category"] for r in scheme.content["requirements"]} == {"persyaratan_dasar", "administratif"}
        assert scheme.content["methods"] == list(METHODS)
        assert any("kamera utama" in r for r in scheme.content["remote_requirements"])
        assert any("kamera kedua" in r for r in scheme.content["remote_requirements"])


def test_seeded_units_are_the_real_ones_with_their_standard(app):
    ids = seeded(app)
    ahli, petugas = units(app, ids["Ahli K3 Umum"]), units(app, ids["Petugas K3"])
    assert list(ahli) == [u["code"] for u in AHLI_K3_UMUM["units"]] and len(ahli) == 10
    assert list(petugas) == ["M.71KKK00.001.1", "M.71KKK00.002.1", "M.71KKK01.003.1", "M.71KKK01.004.1",
                             "M.71KKK01.005.1", "M.71KKK01.007.1", "M.71KKK01.008.1", "M.71KKK01.010.1",
                             "M.71KKK01.013.1"]
    assert petugas["M.71KKK00.001.1"]["reference"] == "SKKNI No. 309 Tahun 2017"
    assert petugas["M.71KKK01.013.1"]["reference"] == "SKKNI No. 38 Tahun 2019"
    investigation = petugas["M.71KKK01.013.1"]["elements"]
    assert [(e["number"], len(e["kuk"])) for e in investigation] == [("1", 5), ("2", 5), ("3", 3)]
    assert "5 W dan 1 H" in investigation[1]["kuk"][3]["text"] and investigation[1]["kuk"][3]["number"] == "2.4"
    permit = petugas["M.71KKK01.004.1"]
    assert permit["title"] == "Mengawasi Penerapan Izin Kerja"
    assert [e["title"] for e in permit["elements"]] == ["Mempersiapkan izin kerja",
                                                        "Mengawasi penerapan izin kerja di tempat kerja",
                                                        "Melaporkan hasil pengawasan izin kerja"]
    assert ahli["M.71KKK01.013.1"] == petugas["M.71KKK01.013.1"]  # one unit, one content, in every scheme
    lab = units(app, ids["Pelaksanaan K3 Laboratorium"])
    assert list(lab) == [f"SP.K3L.00{i}.01" for i in range(1, 6)]
    assert {u["standard_type"] for u in lab.values()} == {"Standar Khusus"}


def test_schemes_no_source_gave_units_for_wait_unpublished_without_invented_codes(app):
    ids = seeded(app)
    for spec in (PENGAWASAN_K3_MIGAS, INVESTIGASI_INSIDEN):
        scheme_id = ids[spec["title"]]
        assert units(app, scheme_id) == {}
        with pytest.raises(Conflict) as closed:
            app.draft_application(TENANT, ASESI, scheme_id, "Sertifikasi")
        assert closed.value.field == "scheme_id"
        with pytest.raises(Invalid) as incomplete:
            app.publish_scheme(TENANT, ADMIN, scheme_id)
        assert incomplete.value.field == "units"
    migas = ids["Pengawasan K3 Migas"]
    version = app.revise_scheme(TENANT, ADMIN, migas, expected_version=1,
                                **content(PENGAWASAN_K3_MIGAS, units=[{"code": "LSP.MIGAS.001", "title": "Unit LSP"}]))
    assert app.publish_scheme(TENANT, ADMIN, migas, expected_version=version) == 3
    assert app.draft_application(TENANT, ASESI, migas, "Sertifikasi")


# ---- versions and publication -------------------------------------------------------------------

def test_a_revision_never_changes_a_submitted_case(app):
    ahli = seeded(app)["Ahli K3 Umum"]
    before = submitted_case(app, TENANT, ASESI, ahli)
    revised = content(AHLI_K3_UMUM, fee=4_000_000, units=AHLI_K3_UMUM["units"][:3])
    assert app.revise_scheme(TENANT, ADMIN, ahli, expected_version=1, **revised) == 2
    after = app.draft_application(TENANT, ASESI, ahli, "Sertifikasi")
    old, new = (app.repository.get(UUID(case)).scheme for case in (before, after))
    assert (old["version"], len(old["units"]), old["fee"]) == (1, 10, AHLI_K3_UMUM["fee"])
    assert (new["version"], len(new["units"]), new["fee"]) == (2, 3, 4_000_000)
    # the invoice is for the version applied for, and the stored event still says version 1
    verify_all(app, TENANT, ADMIN, before)
    assert app.accept_application(TENANT, ADMIN, before)["invoice"]["amount"] == AHLI_K3_UMUM["fee"]
    submitted = [e for e in published(app) if e.type == "ApplicationSubmitted" and e.aggregate_id == before]
    assert submitted[0].data["scheme"]["version"] == 1 and len(submitted[0].data["scheme"]["units"]) == 10


def test_stale_revisions_and_repeated_publication_are_conflicts(app):
    ahli = seeded(app)["Ahli K3 Umum"]
    app.revise_scheme(TENANT, ADMIN, ahli, expected_version=1, **content(AHLI_K3_UMUM, title="Ahli K3 Umum (2026)"))
    with pytest.raises(Conflict) as stale:
        app.revise_scheme(TENANT, ADMIN, ahli, expected_version=1, **content(AHLI_K3_UMUM))
    assert stale.value.field == "expected_version"
    with pytest.raises(Conflict):
        app.publish_scheme(TENANT, ADMIN, ahli)  # already published
    assert app.unpublish_scheme(TENANT, ADMIN, ahli, expected_version=2) == 3
    with pytest.raises(Conflict):
        app.unpublish_scheme(TENANT, ADMIN, ahli)
    with pytest.raises(Conflict):
        app.draft_application(TENANT, ASESI, ahli, "Sertifikasi")
    app.publish_scheme(TENANT, ADMIN, ahli)
    assert app.repository.get(UUID(ahli)).snapshot()["title"] == "Ahli K3 Umum (2026)"


def test_a_published_scheme_keeps_its_units(app):
    ids = seeded(app)
    with pytest.raises(Invalid) as emptied:
        app.revise_scheme(TENANT, ADMIN, ids["Petugas K3"], **content(PETUGAS_K3, units=[]))
    assert emptied.value.field == "units"
    draft = app.create_scheme(TENANT, ADMIN, "S-DRAFT", published=False, title="Draf", kind="KKNI", units=[], fee=1)
    assert app.repository.get(UUID(draft)).content["remote_requirements"] == AHLI_K3_UMUM["remote_requirements"]


@pytest.mark.parametrize("changes, field", [
    ({"kind": "Lainnya"}, "kind"),
    ({"units": [{"code": "U1", "title": "A"}, {"code": "U1", "title": "B"}]}, "units"),
    ({"units": [{"code": "U1", "title": "A", "standard_type": "ISO"}]}, "units"),
    ({"requirements": [{"code": "PD-01", "title": "Ijazah", "category": "lainnya"}]}, "requirements"),
    ({"requirements": [{"code": "PD-01", "title": "A", "category": "administratif"}] * 2}, "requirements"),
    ({"methods": []}, "methods"),
    ({"methods": ["Tebak-tebakan"]}, "methods"),
    ({"methods": ["Wawancara", "Wawancara"]}, "methods"),
    ({"fee": -1}, "fee"),
    ({"validity_years": 0}, "validity_years"),
])
def test_scheme_content_rules_name_the_field(app, changes, field):
    with pytest.raises(Invalid) as refused:
        app.create_scheme(TENANT, ADMIN, "S-1", **content(PETUGAS_K3, **changes))
    assert refused.value.field == field
    ahli = seeded(app)["Ahli K3 Umum"]
    with pytest.raises(Invalid) as refused_revision:
        app.revise_scheme(TENANT, ADMIN, ahli, **content(AHLI_K3_UMUM, **changes))
    assert refused_revision.value.field == field


def test_scheme_numbers_are_unique_per_branch(app):
    seeded(app)
    with pytest.raises(Conflict) as taken:
        app.create_scheme(TENANT, ADMIN, AHLI_K3_UMUM["number"], **content(AHLI_K3_UMUM))
    assert taken.value.field == "number"
    assert app.create_scheme(SBY, ADMIN, "SKM/SBY/1", **content(AHLI_K3_UMUM))


def test_another_branch_cannot_touch_a_scheme(app):
    ahli = seeded(app)["Ahli K3 Umum"]
    for attempt in (lambda: app.revise_scheme(SBY, ADMIN, ahli, **content(AHLI_K3_UMUM)),
                    lambda: app.publish_scheme(SBY, ADMIN, ahli),
                    lambda: app.unpublish_scheme(SBY, ADMIN, ahli),
                    lambda: app.draft_application(SBY, ASESI, ahli, "Sertifikasi")):
        with pytest.raises(NotFound):
            attempt()
    assert app.repository.get(UUID(ahli)).version == 1
    with pytest.raises(NotFound):
        app.publish_scheme(TENANT, ADMIN, str(uuid4()))


# ---- read models ----------------------------------------------------------------------------------

async def test_catalogue_read_model_follows_versions_and_rebuilds(app, store):
    ids = seeded(app)
    app.revise_scheme(TENANT, ADMIN, ids["Petugas K3"], **content(PETUGAS_K3, fee=2_000_000))
    app.unpublish_scheme(TENANT, ADMIN, ids["Pelaksanaan K3 Laboratorium"])
    await Projector(app, store, PROJECTIONS).catch_up()
    catalogue = await queries.list_schemes(store, TENANT)
    assert [s["title"] for s in catalogue] == ["Ahli K3 Umum", "Petugas K3"]
    petugas = catalogue[1]
    assert (petugas["version"], petugas["fee"], petugas["missing"]) == (2, 2_000_000, [])
    assert petugas["units"][3]["elements"][0]["kuk"][0] == {
        "number": "1.1", "text": "Jenis izin kerja diidentifikasi sesuai dengan aktivitas kerja."}
    every = {s["title"]: s for s in await queries.list_schemes(store, TENANT, published_only=False)}
    assert len(every) == 5 and every["Investigasi Insiden"]["missing"] == ["units"]
    assert every["Pelaksanaan K3 Laboratorium"]["published"] is False
    assert await queries.get_scheme(store, TENANT, ids["Investigasi Insiden"]) is None
    assert await queries.get_scheme(store, SBY, ids["Ahli K3 Umum"], published_only=False) is None
    await store.drop("registration")
    await Projector(app, store, PROJECTIONS).catch_up()
    assert await queries.list_schemes(store, TENANT, published_only=False) == list(every.values())


# ---- HTTP API -----------------------------------------------------------------------------------

def staff_and_public(app, store):
    admin, asesi, sby_admin = as_user(ADMIN), as_user(ASESI), as_user({**ADMIN, "id": "admin-sby"}, SBY)
    return api_client(api.router, {"registration": app}, store, admin, asesi, sby_admin), admin, asesi, sby_admin


def test_public_catalogue_shows_published_schemes_with_everything_an_asesi_needs(app, store):
    client, *_ = staff_and_public(app, store)
    ids = seeded(app)
    seeded(app, SBY)
    project(app, store)
    catalogue = client.get(f"/api/public/branches/{TENANT}/schemes").json()  # no login
    assert [s["title"] for s in catalogue] == ["Ahli K3 Umum", "Pelaksanaan K3 Laboratorium", "Petugas K3"]
    for scheme in catalogue:
        assert scheme["tenant"] == TENANT and scheme["published"] is True
        assert {"number", "kind", "units", "requirements", "fee", "validity_years", "methods",
                "remote_requirements", "version"} <= set(scheme)
    detail = client.get(f"/api/public/branches/{TENANT}/schemes/{ids['Petugas K3']}")
    assert detail.status_code == 200 and detail.json()["units"][8]["code"] == "M.71KKK01.013.1"
    for path in (f"/api/public/branches/{TENANT}/schemes/{ids['Investigasi Insiden']}",  # unpublished
                 f"/api/public/branches/{SBY}/schemes/{ids['Petugas K3']}",  # another branch's
                 f"/api/public/branches/{TENANT}/schemes/{uuid4()}"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/public/branches/NOPE/schemes").json() == []


def test_staff_see_drafts_and_an_asesi_only_the_catalogue(app, store):
    client, admin, asesi, sby_admin = staff_and_public(app, store)
    ids = seeded(app)
    project(app, store)
    assert len(client.get("/api/schemes", headers=auth(admin)).json()) == 5
    assert len(client.get("/api/schemes", headers=auth(asesi)).json()) == 3
    draft = f"/api/schemes/{ids['Pengawasan K3 Migas']}"
    assert client.get(draft, headers=auth(admin)).json()["missing"] == ["units"]
    assert client.get(draft, headers=auth(asesi)).status_code == 404
    assert client.get(draft, headers=auth(sby_admin)).status_code == 404
    assert client.get("/api/schemes", headers=auth(sby_admin)).json() == []


def test_api_creates_revises_publishes_and_unpublishes(app, store):
    client, admin, asesi, _ = staff_and_public(app, store)
    body = {"number": "SKM/K3/UJI/2025", "title": "Skema Uji", "kind": "Klaster", "fee": 1_000_000,
            "published": False, "units": [{"code": "M.71KKK01.004.1", "title": "Mengawasi Penerapan Izin Kerja",
                                           "reference": "SKKNI No. 38 Tahun 2019",
                                           "elements": [{"number": "1", "title": "Mempersiapkan izin kerja",
                                                         "kuk": [{"number": "1.1", "text": "Jenis izin..."}]}]}],
            "requirements": [{"code": "ADM-01", "title": "Fotokopi KTP", "category": "administratif"}]}
    assert client.post("/api/schemes", json=body, headers=auth(asesi)).status_code == 403
    created = client.post("/api/schemes", json=body, headers=auth(admin))
    assert created.status_code == 201 and created.json()["version"] == 1
    scheme_id = created.json()["id"]
    assert client.post("/api/schemes", json=body, headers=auth(admin)).status_code == 409
    revision = {k: v for k, v in body.items() if k not in ("number", "published")}
    path = f"/api/schemes/{scheme_id}"
    revised = client.put(path, json={**revision, "fee": 1_250_000, "expected_version": 1}, headers=auth(admin))
    assert revised.status_code == 200 and revised.json()["version"] == 2
    stale = client.put(path, json={**revision, "expected_version": 1}, headers=auth(admin))
    assert stale.status_code == 409 and stale.json()["detail"]["field"] == "expected_version"
    assert client.post(f"{path}/publish", json={"expected_version": 1}, headers=auth(admin)).status_code == 409
    assert client.post(f"{path}/publish", json={"expected_version": 2}, headers=auth(admin)).json() == {
        "id": scheme_id, "published": True, "version": 3}
    project(app, store)
    listed = client.get(f"/api/public/branches/{TENANT}/schemes/{scheme_id}").json()
    assert listed["fee"] == 1_250_000 and listed["units"][0]["standard_type"] == "SKKNI"
    assert listed["methods"] == list(METHODS) and listed["remote_requirements"]
    assert client.post(f"{path}/unpublish", json={}, headers=auth(admin)).json()["version"] == 4
    assert client.post(f"{path}/unpublish", json={}, headers=auth(admin)).status_code == 409
    project(app, store)
    assert client.get(f"/api/public/branches/{TENANT}/schemes/{scheme_id}").status_code == 404


@pytest.mark.parametrize("change, field", [
    ({"kind": "Lainnya"}, "kind"),
    ({"units": [{"code": "U 1", "title": "A"}]}, "code"),
    ({"units": [{"code": "U1", "title": "A", "standard_type": "ISO"}]}, "standard_type"),
    ({"units": [{"code": "U1", "title": "A", "elements": [{"number": "satu", "title": "E"}]}]}, "number"),
    ({"requirements": [{"code": "PD-01", "title": "Ijazah", "category": "lainnya"}]}, "category"),
    ({"methods": ["Tebak-tebakan"]}, "methods"),
    ({"methods": []}, "methods"),
    ({"fee": -5}, "fee"),
    ({"remote_requirements": [""]}, "remote_requirements"),
])
def test_api_bad_scheme_input_names_the_field(app, store, change, field):
    client, admin, *_ = staff_and_public(app, store)
    ahli = seeded(app)["Ahli K3 Umum"]
    body = {"number": "S/1", "title": "Skema", "kind": "Okupasi", "fee": 1, "units": [{"code": "U1", "title": "A"}]}
    for method, path, extra in (("post", "/api/schemes", {}),
                                ("put", f"/api/schemes/{ahli}", {"expected_version": 1})):
        response = client.request(method, path, json={**body, **extra, **change}, headers=auth(admin))
        assert response.status_code == 422, response.text
        assert field in response.json()["detail"][0]["loc"], response.json()


def test_api_revision_needs_the_version_and_a_published_scheme_its_units(app, store):
    client, admin, *_ = staff_and_public(app, store)
    ahli = seeded(app)["Ahli K3 Umum"]
    body = {"title": "Ahli K3 Umum", "kind": "Okupasi", "fee": 1, "units": []}
    missing = client.put(f"/api/schemes/{ahli}", json=body, headers=auth(admin))
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][-1] == "expected_version"
    emptied = client.put(f"/api/schemes/{ahli}", json={**body, "expected_version": 1}, headers=auth(admin))
    assert emptied.status_code == 422 and emptied.json()["detail"]["field"] == "units"
    no_units = client.post("/api/schemes", json={**body, "number": "S/2"}, headers=auth(admin))
    assert no_units.status_code == 422 and no_units.json()["detail"]["field"] == "units"


def test_api_another_branch_gets_404_for_every_scheme_endpoint(app, store):
    client, admin, _, sby_admin = staff_and_public(app, store)
    ahli = seeded(app)["Ahli K3 Umum"]
    project(app, store)
    body = {**content(AHLI_K3_UMUM), "expected_version": 1}
    calls = [("get", f"/api/schemes/{ahli}", None), ("put", f"/api/schemes/{ahli}", body),
             ("post", f"/api/schemes/{ahli}/publish", {}), ("post", f"/api/schemes/{ahli}/unpublish", {})]
    for method, path, json in calls:
        response = client.request(method, path, json=json, headers=auth(sby_admin))
        assert response.status_code == 404, (path, response.text)
    assert client.get(f"/api/public/branches/{SBY}/schemes/{ahli}").status_code == 404
    assert app.repository.get(UUID(ahli)).version == 1
    assert client.get(f"/api/schemes/{ahli}", headers=auth(admin)).status_code == 200
