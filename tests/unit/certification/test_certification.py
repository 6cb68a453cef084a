"""Certification (SOP 4.3-4.4): the LSP decision, gap-free certificate numbers, register, public check."""
import asyncio
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from services.certification import api, queries
from services.certification.application import build_application
from services.certification.domain import add_years
from services.certification.projections import PROJECTIONS
from shared.aggregate import system_actor
from shared.contracts.events import CertificateIssuedV1
from shared.errors import Conflict, Invalid, NotFound
from shared.projector import Projector
from shared.readstore import open_read_store
from shared.settings import Settings
from tests.support.api import (
    ASESOR_USER,
    MET,
    TENANT,
    api_client,
    as_user,
    auth,
    envelope,
    inbox,
    published,
    scheme,
)
from tests.support.samples import ADMIN, ASESI

KETUA = {"id": "ketua-1", "role": "ketua_lsp", "name": "Ir. Hadi"}
ASSESSOR = {"id": ASESOR_USER["id"], "name": ASESOR_USER["name"], "met_number": MET}


@pytest.fixture
def app(settings):
    app = build_application(settings)
    app.today = lambda: date(2025, 7, 1)
    yield app
    app.close()


def recommendation_given(case_id: str, position: int = 1, recommendation: str = "K",
                         tenant: str = TENANT, snapshot: dict | None = None) -> dict[str, Any]:
    snapshot = snapshot or scheme(units=2)
    units = [{"code": u["code"], "result": recommendation} for u in snapshot["units"]]
    return envelope("assessment", "RecommendationGiven", position, case_id, tenant=tenant, actor=ASESOR_USER,
                    data={"asesi": {"id": ASESI["id"], "name": ASESI["name"]}, "scheme": snapshot,
                          "assessor": ASSESSOR, "units": units, "recommendation": recommendation})


def received(app, position: int = 1, **kwargs: Any) -> str:
    case_id = str(uuid4())
    assert inbox(app).handle(recommendation_given(case_id, position, **kwargs)) == "processed"
    return case_id


# ---- policy ---------------------------------------------------------------------------------------

def test_a_recommendation_puts_the_case_before_the_lsp_once(app):
    case_id = str(uuid4())
    assert inbox(app).handle(recommendation_given(case_id, position=9)) == "processed"
    assert inbox(app).handle(recommendation_given(case_id, position=9)) == "duplicate"
    assert inbox(app).handle(recommendation_given(case_id, position=10)) == "processed"  # no effect
    [event] = app.stored_events(UUID(case_id))
    assert event.caused_by == "assessment:9" and event.actor == system_actor("certification")
    case = app.repository.get(UUID(case_id))
    assert case.status == "awaiting_decision" and case.recommendation == "K" and len(case.units) == 2


# ---- decision and certificate -------------------------------------------------------------------

def test_k_issues_gap_free_numbers_per_branch_and_year(app):
    first = app.decide(TENANT, KETUA, received(app, 1), "K", "pleno 1", expected_version=1)
    second = app.decide(TENANT, KETUA, received(app, 2), "K")
    other = app.decide("SBY01", KETUA, received(app, 3, tenant="SBY01"), "K")
    assert first == {"certificate_number": "LSP-JKT01-2025-00001", "version": 3}
    assert second["certificate_number"] == "LSP-JKT01-2025-00002"
    assert other["certificate_number"] == "LSP-SBY01-2025-00001"
    app.today = lambda: date(2026, 1, 2)
    assert app.decide(TENANT, KETUA, received(app, 4), "K")["certificate_number"] == "LSP-JKT01-2026-00001"


def test_validity_comes_from_the_scheme_version_applied_for(app):
    five_years = received(app, 1, snapshot=scheme(validity_years=5))
    app.decide(TENANT, KETUA, five_years, "K")
    issued = app.stored_events(UUID(five_years))[-1]
    assert (issued.issued_on, issued.valid_until) == ("2025-07-01", "2030-07-01")
    assert add_years(date(2028, 2, 29), 3) == date(2031, 2, 28)


def test_the_qr_token_is_random_and_recorded_in_the_event(app, settings):
    first, second = received(app, 1), received(app, 2)
    app.decide(TENANT, KETUA, first, "K")
    app.decide(TENANT, KETUA, second, "K")
    tokens = [app.stored_events(UUID(case))[-1].verification_token for case in (first, second)]
    assert all(len(token) >= 32 for token in tokens) and tokens[0] != tokens[1]  # 24 random bytes each
    replayed = build_application(settings)  # another process rebuilds the case from its events
    assert replayed.repository.get(UUID(first)).verification_token == tokens[0]
    replayed.close()


def test_bk_is_decided_without_a_certificate_or_a_number(app):
    case_id = received(app, recommendation="BK")
    assert app.decide(TENANT, KETUA, case_id, "BK", "bukti belum memadai") == \
        {"certificate_number": None, "version": 2}
    assert app.decide(TENANT, KETUA, received(app, 2), "K")["certificate_number"].endswith("-00001")


def test_decision_rules(app):
    bk_case = received(app, 1, recommendation="BK")
    with pytest.raises(Conflict) as upgrade:
        app.decide(TENANT, KETUA, bk_case, "K")
    assert upgrade.value.field == "decision"
    case_id = received(app, 2)
    with pytest.raises(Invalid) as bad:
        app.decide(TENANT, KETUA, case_id, "AL")
    assert bad.value.field == "decision"
    with pytest.raises(Conflict) as own_case:
        app.decide(TENANT, {**ASESOR_USER, "role": "ketua_lsp"}, case_id, "K")
    assert "conflict of interest" in own_case.value.message
    with pytest.raises(Conflict) as stale:
        app.decide(TENANT, KETUA, case_id, "K", expected_version=4)
    assert stale.value.field == "expected_version"
    with pytest.raises(NotFound):
        app.decide("SBY01", KETUA, case_id, "K")
    app.decide(TENANT, KETUA, case_id, "BK")  # the LSP may decide BK on a K recommendation
    with pytest.raises(Conflict):
        app.decide(TENANT, KETUA, case_id, "K")


def test_a_number_taken_concurrently_is_retried_not_lost(app, settings):
    rival = build_application(settings)  # another process on the same event store
    rival.today = app.today
    mine, theirs = received(app, 1), received(app, 2)
    save, attempts = app.save, []

    def save_after_rival(*aggregates):
        attempts.append(aggregates)
        if len(attempts) == 1:
            rival.decide(TENANT, KETUA, theirs, "K")  # commits number 00001 between our read and write
        return save(*aggregates)

    app.save = save_after_rival
    assert app.decide(TENANT, KETUA, mine, "K")["certificate_number"] == "LSP-JKT01-2025-00002"
    assert len(attempts) == 2
    rival.close()


def test_numbering_gives_up_with_a_conflict_when_always_contended(app):
    case_id = received(app)

    def always_contended(*aggregates):
        raise IntegrityError("version conflict")

    app.save = always_contended
    with pytest.raises(Conflict):
        app.decide(TENANT, KETUA, case_id, "K")


# ---- contracts, read models, API ----------------------------------------------------------------

def test_issued_certificate_meets_its_contract(app):
    case_id = received(app)
    app.decide(TENANT, KETUA, case_id, "K")
    envelopes = {e.type: e for e in published(app)}
    issued = envelopes["CertificateIssued"]
    contract = CertificateIssuedV1.model_validate(issued.data)
    assert contract.holder.name == ASESI["name"] and contract.certificate_number == "LSP-JKT01-2025-00001"
    assert issued.correlation_id == case_id and issued.actor.id == KETUA["id"]
    assert envelopes["CaseReceived"].causation_id == "assessment:1"
    assert [e["type"] for e in app.case_timeline(TENANT, case_id)] == \
        ["CaseReceived", "CertificationDecided", "CertificateIssued"]


async def test_read_models_cases_and_certificate_register(app, store):
    waiting, certified = received(app, 1), received(app, 2)
    app.decide(TENANT, KETUA, certified, "K", "pleno")
    await Projector(app, store, PROJECTIONS).catch_up()
    assert [c["id"] for c in await queries.list_cases(store, TENANT, "awaiting_decision")] == [waiting]
    decided = await queries.get_case(store, TENANT, certified)
    assert decided["decision"] == "K" and decided["certificate_number"] == "LSP-JKT01-2025-00001"
    [certificate] = await queries.list_certificates(store, TENANT, holder_id=ASESI["id"])
    assert certificate["id"] == "LSP-JKT01-2025-00001" and certificate["case_id"] == certified
    assert certificate["valid_until"] == "2028-07-01"
    assert await queries.list_certificates(store, "SBY01") == []
    assert await queries.list_certificates(store, TENANT, holder_id="someone-else") == []


def test_api_decide_list_and_public_verification(app, store):
    ketua, admin, asesi = as_user(KETUA), as_user(ADMIN), as_user(ASESI)
    other_asesi, other_ketua = as_user({**ASESI, "id": "asesi-2"}), as_user({**KETUA, "id": "k-2"}, "SBY01")
    client = api_client(api.router, {"certification": app}, store, ketua, admin, asesi, other_asesi, other_ketua)
    today = datetime.now(UTC).date()
    app.today = lambda: today  # the public status compares with the real date
    case_id = received(app)
    path = f"/api/certification/cases/{case_id}"
    assert client.post(f"{path}/decide", json={"decision": "K"}, headers=auth(admin)).status_code == 403
    assert client.post(f"{path}/decide", json={"decision": "K"}, headers=auth(other_ketua)).status_code == 404
    bad = client.post(f"{path}/decide", json={"decision": "maybe"}, headers=auth(ketua))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "decision"
    decided = client.post(f"{path}/decide", json={"decision": "K", "notes": "pleno", "expected_version": 1},
                          headers=auth(ketua))
    assert decided.status_code == 200
    number = decided.json()["certificate_number"]
    app.today = lambda: date(2020, 1, 1)  # an old certificate, long expired
    old_number = app.decide(TENANT, KETUA, received(app, 2), "K")["certificate_number"]
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())
    assert client.get("/api/certification/cases?status=decided", headers=auth(admin)).json()[0]["id"] == case_id
    assert client.get("/api/certification/cases", headers=auth(asesi)).status_code == 403
    assert len(client.get("/api/certificates", headers=auth(asesi)).json()) == 2
    assert client.get("/api/certificates", headers=auth(other_asesi)).json() == []
    assert client.get("/api/certificates", headers=auth(other_ketua)).json() == []
    public = client.get(f"/api/public/certificates/{number}", params={"name": ASESI["name"]})  # no login
    assert public.status_code == 200
    assert public.json() == {"number": number, "holder": {"name": ASESI["name"]}, "branch": TENANT,
                             "scheme": {"number": "SKM/K3/AHLI-K3-UMUM/2025", "title": "Ahli K3 Umum"},
                             "issued_on": today.isoformat(), "valid_until": add_years(today, 3).isoformat(),
                             "status": "berlaku"}
    assert client.get(f"/api/public/certificates/{old_number}?name=budi santoso").json()["status"] == "kedaluwarsa"


def issued_certificates(app, store, count: int = 2) -> list[dict[str, Any]]:
    """Certificates issued today and projected, as the register lists them (with their QR tokens)."""
    app.today = lambda: datetime.now(UTC).date()
    for position in range(1, count + 1):
        app.decide(TENANT, KETUA, received(app, position), "K")
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())
    return sorted(asyncio.run(queries.list_certificates(store, TENANT)), key=lambda c: c["id"])


@pytest.fixture
def public_client(app, store):
    return api_client(api.router, {"certification": app}, store)


def test_counting_numbers_without_the_holders_name_reveals_nothing(app, store, public_client):
    first, second = issued_certificates(app, store)
    unknown = public_client.get("/api/public/certificates/LSP-JKT01-2025-99999", params={"name": ASESI["name"]})
    assert unknown.status_code == 404
    for number in (first["id"], second["id"]):  # right numbers, no name or a wrong one: as if unknown
        for params in ({}, {"name": ""}, {"name": "Andi"}, {"name": "Budi"}, {"name": "Budi Santoso Putra"}):
            answer = public_client.get(f"/api/public/certificates/{number}", params=params)
            assert (answer.status_code, answer.content) == (404, unknown.content), (number, params)


def test_the_name_is_matched_as_people_type_it(app, store, public_client):
    number = issued_certificates(app, store, 1)[0]["id"]
    for typed in ("Budi Santoso", "budi santoso", "  BUDI   Santoso ", "Búdi Sántoso"):
        answer = public_client.get(f"/api/public/certificates/{number}", params={"name": typed})
        assert answer.status_code == 200 and answer.json()["status"] == "berlaku", typed
    assert queries.same_name("Siti Nur'aini", "siti nur aini") and not queries.same_name("Siti", "")


def test_the_qr_token_shows_the_whole_certificate_and_a_guess_finds_nothing(app, store, public_client):
    certificate = issued_certificates(app, store, 1)[0]
    token = certificate["verification_token"]
    shown = public_client.get(f"/api/public/certificates/by-token/{token}")
    assert shown.status_code == 200
    assert shown.json() == {"number": certificate["id"], "holder": {"name": ASESI["name"]}, "branch": TENANT,
                            "scheme": {"number": "SKM/K3/AHLI-K3-UMUM/2025", "title": "Ahli K3 Umum"},
                            "issued_on": certificate["issued_on"], "valid_until": certificate["valid_until"],
                            "status": "berlaku"}
    unknown = public_client.get("/api/public/certificates/LSP-JKT01-2025-99999")
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), certificate["id"], "x" * 32):
        answer = public_client.get(f"/api/public/certificates/by-token/{guess}")
        assert (answer.status_code, answer.content) == (404, unknown.content), guess


async def test_the_token_lookup_is_rebuilt_from_the_events(app):
    app.decide(TENANT, KETUA, received(app), "K")
    rebuilt = open_read_store("memory", "rebuilt")  # a dropped read model, projected again
    await Projector(app, rebuilt, PROJECTIONS).catch_up()
    [certificate] = await queries.list_certificates(rebuilt, TENANT)
    token = app.stored_events(UUID(certificate["case_id"]))[-1].verification_token
    assert certificate["verification_token"] == token
    assert (await queries.find_by_token(rebuilt, token))["id"] == certificate["id"]


def test_a_withdrawn_certificate_reads_dicabut(app, store, public_client):
    """Nothing withdraws a certificate yet; the status follows the read model once one does."""
    number = issued_certificates(app, store, 1)[0]["id"]
    asyncio.run(store.upsert_versioned("certification", "certificates", number, 99,
                                       {"withdrawn_at": "2026-01-05T03:00:00+00:00"}))
    answer = public_client.get(f"/api/public/certificates/{number}", params={"name": ASESI["name"]})
    assert answer.json()["status"] == "dicabut"


def test_the_qr_code_is_for_the_holder_and_the_branch_office_only(app, store):
    holder, admin, ketua = as_user(ASESI), as_user(ADMIN), as_user(KETUA)
    other_asesi, asesor = as_user({**ASESI, "id": "asesi-2"}), as_user(ASESOR_USER)
    sby_admin = as_user({**ADMIN, "id": "admin-sby"}, "SBY01")
    client = api_client(api.router, {"certification": app}, store, holder, admin, ketua, other_asesi, asesor,
                        sby_admin)
    client.app.state.settings = Settings(public_url="https://e-asesmen.example.id/")
    certificate = issued_certificates(app, store, 1)[0]
    qr = f"/api/certificates/{certificate['id']}/qr.svg"
    for user in (holder, admin, ketua):
        answer = client.get(qr, headers=auth(user))
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/svg+xml"
        assert answer.content == api.qr_svg(
            f"https://e-asesmen.example.id/sertifikat/{certificate['verification_token']}")
    assert client.get(qr, headers=auth(other_asesi)).status_code == 404  # not theirs
    assert client.get(qr, headers=auth(sby_admin)).status_code == 404  # another branch's
    assert client.get(qr, headers=auth(asesor)).status_code == 403
    assert client.get(qr).status_code == 401
    client.app.state.settings = Settings()  # no public URL: the link is to the server that was asked
    assert client.get(qr, headers=auth(holder)).content == api.qr_svg(
        f"http://testserver/sertifikat/{certificate['verification_token']}")
