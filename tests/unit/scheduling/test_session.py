"""Remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1): every rule tried and
refused (in Indonesian), the invitation (notice, .ics, participant card), TIDAK LAYAK holding the case and,
heard by assessment, refusing its recommendation; tenancy on every new route."""
import asyncio
import itertools
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import icalendar
import pytest

from services.assessment.application import build_application as build_assessment
from services.gateway.web.i18n import error_message
from services.scheduling import api, queries
from services.scheduling.documents import invitation_ics
from services.scheduling.domain import Invitation, ScheduleCase, SessionPlan, TukVerification
from services.scheduling.forms import CEK_SISTEM, VERIFIKASI_TUK
from services.scheduling.projections import PROJECTIONS
from shared.contracts import parse_data
from shared.contracts.events import TukVerifiedV1
from shared.errors import Conflict, Invalid
from shared.projector import Projector
from shared.signing import verify
from tests.support.api import (
    ASESOR_USER,
    MET,
    SCHEME_NUMBER,
    TENANT,
    api_client,
    as_user,
    auth,
    inbox,
    published,
)
from tests.support.samples import ADMIN
from tests.support.scheduling import ASESOR, CLEAR, opened_case

SOON = (date.today() + timedelta(days=30)).isoformat()
REMOTE_SEWAKTU = {"nama": "TUK Sewaktu Daring", "jenis": "sewaktu", "jarak_jauh": "ya", "kapasitas": "5"}
ON_SITE = {"nama": "TUK Gedung A", "jenis": "sewaktu", "jarak_jauh": "tidak", "alamat": "Jl. Sudirman 1",
           "kapasitas": "5"}
REMOTE_MANDIRI = {**REMOTE_SEWAKTU, "nama": "TUK Mandiri Daring", "jenis": "mandiri"}
VERIFIER = {"id": ASESOR_USER["id"], "role": "asesor", "name": ASESOR_USER["name"]}
PEOPLE = [{"id": f"asesi-{n}", "name": name} for n, name in ((1, "Budi Santoso"), (2, "Andi"), (3, "Citra"))]
SYSTEMS = {"platform_siap": "ya", "internet_stabil": "ya", "tautan_dibuka": "ya", "perekaman_aktif": "tidak",
           "perekaman_aktif_catatan": "diaktifkan oleh host saat sesi dimulai", "akses_website": "ya"}
FIT = {"identitas": "sesuai", "lingkungan": "sesuai", "perangkat": "sesuai", "pengarahan": "sesuai",
       "kesimpulan": "layak"}
NOT_FIT = {**FIT, "lingkungan": "tidak_sesuai", "lingkungan_catatan": "ruangan ramai, ada orang lain",
           "kesimpulan": "tidak_layak"}




def schedule_values(tuk_id: str, **changes: Any) -> dict[str, Any]:
    return {"skema": SCHEME_NUMBER, "tanggal": SOON, "mulai": "08:00", "selesai": "16:00", "tuk_id": tuk_id,
            "tautan": "https://meet.example.org/uji-k3", "kuota_min": "1", "kuota_maks": "3", **changes}


POSITIONS = itertools.count(100)  # each upstream event its own position
DAYS = itertools.count(0)


def seated_schedule(app, tuk: dict | None = None, people: int = 2, tenant: str = TENANT) -> tuple[str, list[str]]:
    """A remote TUK Sewaktu's schedule with `people` asesi seated (each their own person)."""
    tuk_id = app.register_tuk(tenant, ADMIN, tuk or REMOTE_SEWAKTU)
    day = (date.today() + timedelta(days=30 + next(DAYS))).isoformat()  # the same people: another day each
    schedule_id = app.create_schedule(tenant, ADMIN, schedule_values(tuk_id, tanggal=day))
    cases = [opened_case(app, tenant=tenant, position=next(POSITIONS), asesi=PEOPLE[n]) for n in range(people)]
    for case_id in cases:
        app.place_case(tenant, ADMIN, schedule_id, case_id)
    return schedule_id, cases


def indonesian(error: Exception) -> str:
    return error_message(error, "id")


# ---- systems check (SOP 3.1) ------------------------------------------------------------------------------

def test_the_systems_check_is_signed_and_a_new_one_replaces_it(app):
    schedule_id, _ = seated_schedule(app)
    app.check_systems(TENANT, ADMIN, schedule_id, SYSTEMS)
    app.check_systems(TENANT, ADMIN, schedule_id, {**SYSTEMS, "perekaman_aktif": "ya"})
    plan: SessionPlan = app.repository.get(SessionPlan.create_id(TENANT, schedule_id))
    data = plan.systems_check["data"]
    assert data["perekaman_aktif"] == "ya"
    assert verify(plan.systems_check["signature"], CEK_SISTEM.content(data, schedule_id=schedule_id), "admin_lsp")
    checks = [e for e in published(app) if e.type == "SystemsChecked"]
    assert len(checks) == 2  # the history is kept in the events


def test_the_systems_check_is_refused_for_an_on_site_schedule_and_when_incomplete(app):
    schedule_id, _ = seated_schedule(app, ON_SITE)
    with pytest.raises(Conflict) as on_site:
        app.check_systems(TENANT, ADMIN, schedule_id, SYSTEMS)
    assert indonesian(on_site.value) == "persiapan ini hanya untuk jadwal di TUK jarak jauh (daring)"
    remote_id, _ = seated_schedule(app)
    with pytest.raises(Invalid) as incomplete:
        app.check_systems(TENANT, ADMIN, remote_id, {**SYSTEMS, "internet_stabil": ""})
    assert incomplete.value.field == "internet_stabil"


# ---- breakout rooms and rundown (SOP 3.2) -------------------------------------------------------------------

RUNDOWN = [{"waktu": "08:00-08:30", "kegiatan": "Pembukaan dan pengarahan integritas"},
           {"waktu": "08:30", "kegiatan": "Asesmen di ruang masing-masing"}]


@pytest.mark.parametrize("rooms, rundown, field, text", [
    (lambda cases: {cases[0]: "Ruang 1", "not-a-seat": "Ruang 2"}, RUNDOWN, "rooms",
     "tidak terdaftar sebagai peserta jadwal ini"),
    (lambda cases: {cases[0]: "Ruang 1", cases[1]: "ruang 1"}, RUNDOWN, "rooms",
     "dua asesi tidak boleh berada di ruang yang sama (ruang 1)"),
    (lambda cases: {cases[0]: "Ruang 1"}, RUNDOWN, "rooms", "setiap peserta jadwal harus diberi ruang"),
    (lambda cases: {cases[0]: "Ruang 1", cases[1]: "  "}, RUNDOWN, "rooms", "setiap peserta harus diberi nama ruang"),
    (lambda cases: {cases[0]: "Ruang 1", cases[1]: "Ruang 2"}, [{"waktu": "pagi", "kegiatan": "Pembukaan"}],
     "rundown", "setiap baris rundown harus berisi waktu"),
    (lambda cases: {cases[0]: "Ruang 1", cases[1]: "Ruang 2"}, [{"waktu": "08:00", "kegiatan": ""}],
     "rundown", "setiap baris rundown harus berisi kegiatan"),
])
def test_every_rule_of_the_room_plan_is_refused(app, rooms, rundown, field, text):
    schedule_id, cases = seated_schedule(app)
    with pytest.raises(Invalid) as refused:
        app.plan_rooms(TENANT, ADMIN, schedule_id, rooms(cases), rundown)
    assert refused.value.field == field and text in indonesian(refused.value)


def test_a_saved_room_plan_invites_each_seated_asesi_once(app):
    schedule_id, cases = seated_schedule(app)
    rooms = {cases[0]: "Ruang 1", cases[1]: "Ruang 2"}
    contacts = {PEOPLE[0]["id"]: "budi@contoh.co.id", PEOPLE[1]["id"]: "andi@contoh.co.id"}
    app.plan_rooms(TENANT, ADMIN, schedule_id, rooms, RUNDOWN, contacts)
    app.plan_rooms(TENANT, ADMIN, schedule_id, rooms, RUNDOWN, contacts)  # unchanged: nothing happens
    kinds = [e.type for e in published(app)]
    assert kinds.count("RoomsPlanned") == 1 and kinds.count("InvitationIssued") == 2
    assert kinds.count("NoticeQueued") == 0  # notices are queued by the policy, when the event comes back
    invitation: Invitation = app.repository.get(Invitation.id_for(cases[1]))
    assert invitation.current["room"] == "Ruang 2" and invitation.current["rundown"] == RUNDOWN
    assert "andi@" not in str(vars(invitation))  # the address is sealed
    # the policy on the invitation queues one e-mail per asesi, to their sealed address
    issued = [e for e in published(app) if e.type == "InvitationIssued"]
    notices = [n for envelope in issued for n in app.policies()["scheduling:InvitationIssued"](
        envelope, parse_data(envelope.type, 1, envelope.data))]
    assert len(notices) == 2
    body = app.vault.open(notices[1].body)
    assert notices[1].subject == "Undangan asesmen jarak jauh skema Ahli K3 Umum"
    for expected in ("Ruang 2", "https://meet.example.org/uji-k3", "08:00-16:00 WIB", "Pembukaan dan pengarahan",
                     "Laptop atau komputer dengan kamera"):
        assert expected in body
    assert app.vault.open(notices[1].recipient) == "andi@contoh.co.id"
    app.plan_rooms(TENANT, ADMIN, schedule_id, {cases[0]: "Ruang 1", cases[1]: "Ruang 3"}, RUNDOWN, contacts)
    assert [e.type for e in published(app)].count("InvitationIssued") == 3  # only the changed one again


async def test_the_default_proposal_is_one_room_per_seat_in_seat_order(app, store):
    schedule_id, cases = seated_schedule(app, people=3)
    await Projector(app, store, PROJECTIONS).catch_up()
    schedule = await queries.get_schedule(store, TENANT, schedule_id)
    assert queries.proposed_rooms(schedule, None) == {cases[0]: "Ruang 1", cases[1]: "Ruang 2", cases[2]: "Ruang 3"}
    saved = {cases[0]: "Ruang 2", cases[1]: "Ruang 1"}  # a later seat gets the next free name
    assert queries.proposed_rooms(schedule, {"rooms": saved})[cases[2]] == "Ruang 3"


# ---- the online TUK verification (SOP 2.4.1) ----------------------------------------------------------------

def test_only_a_remote_tuk_sewaktu_gets_a_verifier(app):
    for tuk in (ON_SITE, REMOTE_MANDIRI):
        schedule_id, _ = seated_schedule(app, tuk)
        with pytest.raises(Conflict):
            app.appoint_verifier(TENANT, ADMIN, schedule_id, VERIFIER)


@pytest.mark.parametrize("values, field, text", [
    ({**FIT, "lingkungan": "tidak_sesuai", "lingkungan_catatan": "ada orang lain",
      "kesimpulan": "layak"}, "kesimpulan", "kesimpulan LAYAK tidak dapat diberikan bila ada baris 'tidak sesuai'"),
    ({**FIT, "perangkat": "tidak_sesuai", "kesimpulan": "layak_dengan_perbaikan"}, "perangkat_catatan",
     "wajib diberi catatan"),
    ({**FIT, "kesimpulan": "lumayan"}, "kesimpulan", ""),
    ({key: value for key, value in FIT.items() if key != "identitas"}, "identitas", ""),
])
def test_every_rule_of_the_checklist_is_refused(app, values, field, text):
    schedule_id, cases = seated_schedule(app)
    app.appoint_verifier(TENANT, ADMIN, schedule_id, VERIFIER)
    with pytest.raises(Invalid) as refused:
        app.verify_tuk(TENANT, VERIFIER, schedule_id, cases[0], values)
    assert refused.value.field == field and text in indonesian(refused.value)


def test_only_the_appointed_verifier_signs_and_only_for_a_seated_participant(app):
    schedule_id, cases = seated_schedule(app)
    with pytest.raises(Conflict) as nobody_appointed:
        app.verify_tuk(TENANT, VERIFIER, schedule_id, cases[0], FIT)
    assert "hanya verifikator yang ditetapkan" in indonesian(nobody_appointed.value)
    app.appoint_verifier(TENANT, ADMIN, schedule_id, VERIFIER)
    with pytest.raises(Conflict):
        app.verify_tuk(TENANT, ADMIN, schedule_id, cases[0], FIT)  # the admin is not the verifier
    elsewhere = opened_case(app, position=next(POSITIONS), asesi=PEOPLE[2])
    with pytest.raises(Invalid) as not_seated:
        app.verify_tuk(TENANT, VERIFIER, schedule_id, elsewhere, FIT)
    assert not_seated.value.field == "case_id" and "tidak terdaftar sebagai peserta" in indonesian(not_seated.value)
    result = app.verify_tuk(TENANT, VERIFIER, schedule_id, cases[0], FIT)
    assert result["conclusion"] == "layak"
    verification: TukVerification = app.repository.get(TukVerification.id_for(cases[0]))
    content = VERIFIKASI_TUK.content(verification.latest["data"], case_id=cases[0], schedule_id=schedule_id)
    assert verify(verification.latest["signature"], content, "asesor")


def test_tidak_layak_holds_the_case_for_a_new_schedule_and_publishes_the_contract(app):
    schedule_id, cases = seated_schedule(app)
    app.appoint_verifier(TENANT, ADMIN, schedule_id, VERIFIER)
    assert app.verify_tuk(TENANT, VERIFIER, schedule_id, cases[0], NOT_FIT)["conclusion"] == "tidak_layak"
    case: ScheduleCase = app.repository.get(UUID(cases[0]))
    assert case.needs_reschedule == "tuk_tidak_layak"
    assert getattr(app.repository.get(UUID(cases[1])), "needs_reschedule", None) is None
    [verified] = [e for e in published(app) if e.type == "TukVerified"]
    contract = parse_data("TukVerified", 1, verified.data)
    assert isinstance(contract, TukVerifiedV1) and contract.conclusion == "tidak_layak"
    assert verified.correlation_id == cases[0] and contract.asesi.id == PEOPLE[0]["id"]
    timeline = [e["type"] for e in app.case_timeline(TENANT, cases[0])]
    assert {"TukVerified", "CaseHeldForReschedule"} <= set(timeline)


# ---- assessment hears it: TIDAK LAYAK refuses the recommendation ------------------------------------------

@pytest.fixture
def assessment(settings):
    app = build_assessment(settings)
    yield app
    app.close()


def unit_results(scheme: dict[str, Any]) -> list[dict[str, str]]:
    return [{"code": unit["code"], "result": "K"} for unit in scheme["units"]]


def test_tidak_layak_blocks_the_recommendation_until_a_later_layak(app, assessment):
    """Verified TIDAK LAYAK before the assessor is assigned (held, applied on opening), then LAYAK again."""
    schedule_id, cases = seated_schedule(app)
    app.register_assessor(TENANT, ADMIN, ASESOR_USER["id"], ASESOR_USER["name"], MET, "2030-12-31", [SCHEME_NUMBER])
    app.appoint_verifier(TENANT, ADMIN, schedule_id, VERIFIER)
    app.verify_tuk(TENANT, VERIFIER, schedule_id, cases[0], NOT_FIT)
    app.assign_assessor(TENANT, ADMIN, cases[0], ASESOR_USER["id"])
    app.confirm_assignment(TENANT, ASESOR, cases[0], CLEAR)
    consumer = inbox(assessment)
    for envelope in published(app):
        if envelope.type in ("TukVerified", "AssessorAssigned"):
            assert consumer.handle(envelope.model_dump(mode="json")) == "processed"
    opened = assessment.repository.get(UUID(cases[0]))
    with pytest.raises(Conflict) as blocked:
        assessment.give_recommendation(TENANT, VERIFIER, cases[0], unit_results(opened.scheme))
    assert indonesian(blocked.value).startswith("TUK jarak jauh asesi diverifikasi TIDAK LAYAK")
    app.verify_tuk(TENANT, VERIFIER, schedule_id, cases[0], FIT)  # verified again (after rescheduling)
    latest = [e for e in published(app) if e.type == "TukVerified"][-1]
    assert consumer.handle(latest.model_dump(mode="json")) == "processed"
    assert consumer.handle(latest.model_dump(mode="json")) == "duplicate"
    given = assessment.give_recommendation(TENANT, VERIFIER, cases[0], unit_results(opened.scheme))
    assert given["recommendation"] == "K"


def test_a_verification_heard_after_the_assessment_opened_applies_at_once(app, assessment):
    schedule_id, cases = seated_schedule(app)
    app.register_assessor(TENANT, ADMIN, ASESOR_USER["id"], ASESOR_USER["name"], MET, "2030-12-31", [SCHEME_NUMBER])
    app.assign_assessor(TENANT, ADMIN, cases[0], ASESOR_USER["id"])
    app.confirm_assignment(TENANT, ASESOR, cases[0], CLEAR)
    app.appoint_verifier(TENANT, ADMIN, schedule_id, VERIFIER)
    app.verify_tuk(TENANT, VERIFIER, schedule_id, cases[0], NOT_FIT)
    consumer = inbox(assessment)
    for envelope in published(app):
        if envelope.type in ("AssessorAssigned", "TukVerified"):
            consumer.handle(envelope.model_dump(mode="json"))
    opened = assessment.repository.get(UUID(cases[0]))
    assert opened.tuk_verification["conclusion"] == "tidak_layak"
    with pytest.raises(Conflict):
        assessment.give_recommendation(TENANT, VERIFIER, cases[0], unit_results(opened.scheme))


# ---- the .ics and the participant card ----------------------------------------------------------------------

def test_the_ics_parses_with_the_session_in_asia_jakarta():
    schedule = {"id": "s-1", "tanggal": "2027-03-15", "mulai": "08:00", "selesai": "12:30", "skema": SCHEME_NUMBER,
                "tuk": {"id": "t-1", "nama": "TUK Daring"}, "tautan": "https://meet.example.org/uji-k3"}
    case = {"id": "c-1", "asesi": PEOPLE[0], "scheme": {"number": SCHEME_NUMBER, "title": "Ahli K3 Umum"}}
    calendar = icalendar.Calendar.from_ical(invitation_ics(schedule, case, "Ruang 2"))
    [event] = calendar.walk("VEVENT")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.isoformat(), end.isoformat()) == ("2027-03-15T08:00:00+07:00", "2027-03-15T12:30:00+07:00")
    assert str(event["dtstart"].params["TZID"]) == "Asia/Jakarta"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    assert "Ruang 2" in str(event["description"]) and str(event["url"]) == schedule["tautan"]


# ---- the HTTP API: roles, tenancy, the asesi's own downloads -----------------------------------------------

ADMIN_USER = as_user(ADMIN)
OWNER = as_user({**PEOPLE[0], "role": "asesi"})
OTHER_ASESI = as_user({**PEOPLE[1], "role": "asesi"})
VERIFIER_USER = as_user(VERIFIER)
SBY_ADMIN = as_user({**ADMIN, "id": "admin-sby"}, "SBY01")
SBY_ASESOR = as_user({**VERIFIER, "id": "asesor-sby"}, "SBY01")


@pytest.fixture
def client(app, store):
    return api_client(api.router, {"scheduling": app}, store, ADMIN_USER, OWNER, OTHER_ASESI, VERIFIER_USER,
                      SBY_ADMIN, SBY_ASESOR)


def project(app, store) -> None:
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())


def test_api_prepares_a_session_and_refuses_in_indonesian(app, store, client):
    schedule_id, cases = seated_schedule(app)
    project(app, store)
    base = f"/api/schedules/{schedule_id}"
    assert client.post(f"{base}/systems-check", json=SYSTEMS, headers=auth(ADMIN_USER)).status_code == 200
    assert client.post(f"{base}/systems-check", json=SYSTEMS, headers=auth(VERIFIER_USER)).status_code == 403
    shared_room = client.put(f"{base}/rooms", json={"rooms": {cases[0]: "Ruang 1", cases[1]: "Ruang 1"}},
                             headers=auth(ADMIN_USER))
    assert shared_room.status_code == 422 and shared_room.json()["detail"]["field"] == "rooms"
    assert shared_room.json()["detail"]["message"] == "dua asesi tidak boleh berada di ruang yang sama (Ruang 1)"
    planned = client.put(f"{base}/rooms", json={"rooms": {cases[0]: "Ruang 1", cases[1]: "Ruang 2"},
                                                "rundown": RUNDOWN}, headers=auth(ADMIN_USER))
    assert planned.status_code == 200, planned.text
    for user_id in ("unknown", OWNER.id, SBY_ASESOR.id):  # missing, an asesi, another branch's asesor
        refused = client.post(f"{base}/verifier", json={"user_id": user_id}, headers=auth(ADMIN_USER))
        assert refused.status_code == 422 and refused.json()["detail"]["field"] == "user_id"
    appointed = client.post(f"{base}/verifier", json={"user_id": VERIFIER_USER.id}, headers=auth(ADMIN_USER))
    assert appointed.status_code == 200 and appointed.json()["verifier"]["id"] == VERIFIER_USER.id
    check = f"{base}/cases/{cases[0]}/tuk-verification"
    wrong = client.post(check, json={**FIT, "perangkat": "tidak_sesuai"}, headers=auth(VERIFIER_USER))
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "perangkat_catatan"
    assert client.post(check, json=FIT, headers=auth(ADMIN_USER)).status_code == 409  # not the verifier
    done = client.post(check, json=NOT_FIT, headers=auth(VERIFIER_USER))
    assert done.status_code == 200 and done.json()["conclusion"] == "tidak_layak"
    project(app, store)
    plan = client.get(f"{base}/session-plan", headers=auth(VERIFIER_USER)).json()
    assert plan["rooms_saved"] and [p["room"] for p in plan["participants"]] == ["Ruang 1", "Ruang 2"]
    assert plan["participants"][0]["verification"]["conclusion"] == "tidak_layak"
    assert plan["participants"][0]["needs_reschedule"] == "tuk_tidak_layak"
    assert plan["systems_check"]["perekaman_aktif"] == "tidak" and plan["rundown"] == RUNDOWN


def test_api_tenancy_another_branch_gets_404_on_every_new_route(app, store, client):
    schedule_id, cases = seated_schedule(app)
    app.appoint_verifier(TENANT, ADMIN, schedule_id, VERIFIER)
    project(app, store)
    base = f"/api/schedules/{schedule_id}"
    for method, path, body, user in (
            ("post", f"{base}/systems-check", SYSTEMS, SBY_ADMIN),
            ("get", f"{base}/session-plan", None, SBY_ADMIN),
            ("put", f"{base}/rooms", {"rooms": {cases[0]: "Ruang 1", cases[1]: "Ruang 2"}}, SBY_ADMIN),
            ("post", f"{base}/verifier", {"user_id": SBY_ASESOR.id}, SBY_ADMIN),
            ("post", f"{base}/cases/{cases[0]}/tuk-verification", FIT, SBY_ASESOR),
            ("get", f"/api/cases/{cases[0]}/undangan.ics", None, SBY_ADMIN),
            ("get", f"/api/cases/{cases[0]}/kartu-peserta.pdf", None, SBY_ADMIN)):
        answer = client.request(method.upper(), path, json=body, headers=auth(user))
        assert answer.status_code == 404, (path, answer.text)


def test_api_an_asesi_downloads_only_their_own_invitation_and_card(app, store, client):
    schedule_id, cases = seated_schedule(app)
    app.plan_rooms(TENANT, ADMIN, schedule_id, {cases[0]: "Ruang 1", cases[1]: "Ruang 2"}, RUNDOWN)
    project(app, store)
    ics = client.get(f"/api/cases/{cases[0]}/undangan.ics", headers=auth(OWNER))
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    day = app.repository.get(UUID(schedule_id)).data["tanggal"]
    assert event.decoded("dtstart").isoformat() == f"{day}T08:00:00+07:00" and "Ruang 1" in str(event["description"])
    card = client.get(f"/api/cases/{cases[0]}/kartu-peserta.pdf", headers=auth(OWNER))
    assert card.status_code == 200 and card.content.startswith(b"%PDF")
    assert client.get(f"/api/cases/{cases[0]}/kartu-peserta.pdf", headers=auth(ADMIN_USER)).status_code == 200
    for path in (f"/api/cases/{cases[0]}/undangan.ics", f"/api/cases/{cases[0]}/kartu-peserta.pdf"):
        assert client.get(path, headers=auth(OTHER_ASESI)).status_code == 404  # another asesi's
        assert client.get(path, headers=auth(VERIFIER_USER)).status_code == 403  # not their document
    # the office page's plan is the office's and the verifier's: not an asesi's, not an unappointed asesor's
    assert client.get(f"/api/schedules/{schedule_id}/session-plan", headers=auth(OWNER)).status_code == 403
    assert client.get(f"/api/schedules/{schedule_id}/session-plan", headers=auth(VERIFIER_USER)).status_code == 404


def test_a_case_held_by_tidak_layak_is_rescheduled_and_its_verification_undone(app):
    schedule_id, cases = seated_schedule(app)
    later, _ = seated_schedule(app, people=0)
    app.appoint_verifier(TENANT, ADMIN, schedule_id, VERIFIER)
    app.verify_tuk(TENANT, VERIFIER, schedule_id, cases[0], NOT_FIT)
    assert app.repository.get(UUID(cases[0])).needs_reschedule
    app.reschedule_case(TENANT, ADMIN, cases[0], later, "TUK tidak layak: ruangan ramai")
    case = app.repository.get(UUID(cases[0]))
    assert case.needs_reschedule is None and case.schedule_id == later
    [moved] = [e for e in published(app) if e.type == "CaseRescheduled"]
    assert "tuk_verification" in moved.data["invalidated"] and "session_invitation" in moved.data["invalidated"]
