"""Remote session preparation and the online TUK verification on the embedded platform, through its pages and
API: the admin's systems check, rooms and rundown (the default proposal prefilled; refusals beside their
field, what was typed kept), the verifier's checklist, TIDAK LAYAK stopping that asesi's assessment (409
from the assessment service) and sending them back to be rescheduled, the asesi's invitation on their case
page with the .ics and the participant card; other branches and other asesi get 404."""
from datetime import date, timedelta

import icalendar
import pytest

from shared.notices import list_outbox
from tests.support.driver import (
    NO_CONFLICT,
    as_page,
    ok_or_none,
    pay_case,
    signup_asesi,
    wait_for,
)
from tests.support.platform import two_branches

SYSTEMS = {"platform_siap": "ya", "internet_stabil": "ya", "tautan_dibuka": "ya", "perekaman_aktif": "ya",
           "akses_website": "ya"}
FIT = {"identitas": "sesuai", "lingkungan": "sesuai", "perangkat": "sesuai", "pengarahan": "sesuai",
       "kesimpulan": "layak"}




@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with two_branches(tmp_path_factory, "session") as (http, admin, jkt, sby):
        budi, sinta = (signup_asesi(http, "JKT01", email) for email in ("budi@contoh.co.id", "sinta@contoh.co.id"))
        cases = [pay_case(http, jkt, asesi)["case_id"] for asesi in (budi, sinta)]
        office = jkt.admin
        for case_id in cases:
            wait_for(lambda c=case_id: office.get(f"/api/scheduling/cases/{c}").status_code == 200, what="case")
        scheme = office.ok(office.get("/api/schemes"))[0]
        tuk_id = office.ok(office.post("/api/tuk", {"nama": "TUK Sewaktu Daring", "jenis": "sewaktu",
                                                    "jarak_jauh": "ya", "kapasitas": "4"}), 201)["id"]
        day = (date.today() + timedelta(days=21)).isoformat()
        schedule_id = office.ok(office.post("/api/schedules", {
            "skema": scheme["number"], "tanggal": day, "mulai": "09:00", "selesai": "15:00", "tuk_id": tuk_id,
            "tautan": "https://meet.example.org/k3", "kuota_min": "1", "kuota_maks": "4"}), 201)["id"]
        for case_id in cases:
            office.ok(office.post(f"/api/schedules/{schedule_id}/cases", {"case_id": case_id}))
        office.ok(office.post(f"/api/scheduling/cases/{cases[0]}/assign", {"assessor_id": jkt.asesor_id}))
        jkt.asesor.ok(jkt.asesor.post(f"/api/asesor/assignments/{cases[0]}/confirm", NO_CONFLICT))
        wait_for(lambda: len((ok_or_none(office.get(f"/api/schedules/{schedule_id}")) or {}).get("seats", [])) == 2,
                 what="both seated")
        yield {"http": http, "jkt": jkt, "sby": sby, "budi": budi, "sinta": sinta, "cases": cases,
               "schedule": f"/penjadwalan/jadwal/{schedule_id}", "schedule_id": schedule_id, "day": day}


def test_the_admin_prepares_the_session_on_the_schedule_page(world):
    http, cases, page = world["http"], world["cases"], world["schedule"]
    origin = as_page(http, world["jkt"].admin)
    shown = http.get(page)
    assert shown.status_code == 200 and "Persiapan sesi" in shown.text and "Verifikasi TUK" in shown.text
    assert f'name="room:{cases[0]}" value="Ruang 1"' in shown.text  # the default proposal, prefilled
    assert f'name="room:{cases[1]}" value="Ruang 2"' in shown.text
    incomplete = http.post(f"{page}/cek-sistem", headers=origin, data={**SYSTEMS, "internet_stabil": ""})
    assert incomplete.status_code == 422 and 'id="internet_stabil-error"' in incomplete.text
    assert '<option value="ya" selected>' in incomplete.text  # what was typed is kept
    checked = http.post(f"{page}/cek-sistem", headers=origin, data=SYSTEMS)
    assert checked.status_code == 200 and "Pemeriksaan sistem disimpan." in checked.text
    assert 'id="systems-checked"' in checked.text
    shared = http.post(f"{page}/ruang", headers=origin, data={
        f"room:{cases[0]}": "Ruang A", f"room:{cases[1]}": "Ruang A", "waktu:0": "09:00", "kegiatan:0": "Pembukaan"})
    assert shared.status_code == 422 and "dua asesi tidak boleh berada di ruang yang sama (Ruang A)" in shared.text
    assert 'value="Pembukaan"' in shared.text and f'name="room:{cases[1]}" value="Ruang A"' in shared.text
    planned = http.post(f"{page}/ruang", headers=origin, data={
        f"room:{cases[0]}": "Ruang 1", f"room:{cases[1]}": "Ruang 2", "waktu:0": "09:00-09:30",
        "kegiatan:0": "Pembukaan dan pengarahan integritas", "waktu:1": "09:30", "kegiatan:1": "Asesmen"})
    assert planned.status_code == 200 and "Rencana ruang disimpan; undangan dikirim." in planned.text
    # each seated asesi's invitation goes out by e-mail (embedded: the outbox transport)
    store = http.app.state.read_store

    def invitations() -> list | None:
        sent = [n for n in http.portal.call(list_outbox, store, "scheduling", "JKT01")
                if n["kind"] == "invitation" and n["status"] == "sent"]
        return sent if len(sent) == 2 else None
    assert {n["case_id"] for n in wait_for(invitations, what="invitations sent")} == set(cases)
    appointed = http.post(f"{page}/verifikator", headers=origin, data={"user_id": world["jkt"].asesor_id})
    assert appointed.status_code == 200 and "Verifikator ditetapkan." in appointed.text
    as_page(http, world["sby"].admin)  # another branch: none of it exists
    for path in ("/cek-sistem", "/ruang", "/verifikator"):
        assert http.post(f"{page}{path}", headers=origin, data=SYSTEMS).status_code == 404
    assert http.get(page).status_code == 404
    http.cookies.clear()


def test_the_verifier_signs_each_checklist_and_tidak_layak_stops_the_assessment(world):
    http, jkt, cases = world["http"], world["jkt"], world["cases"]
    schedule_id = world["schedule_id"]
    wait_for(lambda: (ok_or_none(jkt.admin.get(f"/api/schedules/{schedule_id}/session-plan")) or {}).get("verifier"),
             what="verifier appointed")
    origin = as_page(http, jkt.asesor)
    listing = http.get("/verifikasi-tuk")
    assert listing.status_code == 200 and f"/verifikasi-tuk/{schedule_id}/{cases[0]}" in listing.text
    checklist = f"/verifikasi-tuk/{schedule_id}/{cases[0]}"
    assert http.get(checklist).status_code == 200
    wrong = http.post(checklist, headers=origin, data={**FIT, "lingkungan": "tidak_sesuai",
                                                       "lingkungan_catatan": "ada orang lain di ruangan"})
    assert wrong.status_code == 422 and 'id="kesimpulan-error"' in wrong.text
    assert "minimal LAYAK DENGAN PERBAIKAN" in wrong.text and "ada orang lain di ruangan" in wrong.text
    no_note = http.post(checklist, headers=origin, data={**FIT, "perangkat": "tidak_sesuai",
                                                         "kesimpulan": "layak_dengan_perbaikan"})
    assert no_note.status_code == 422 and 'id="perangkat_catatan-error"' in no_note.text
    signed = http.post(checklist, headers=origin, data={**FIT, "lingkungan": "tidak_sesuai",
                                                        "lingkungan_catatan": "ada orang lain di ruangan",
                                                        "kesimpulan": "tidak_layak"})
    assert signed.status_code == 200 and "Verifikasi TUK disimpan dan ditandatangani." in signed.text
    assert http.post(f"/verifikasi-tuk/{schedule_id}/{cases[1]}", headers=origin, data=FIT).status_code == 200
    as_page(http, world["sby"].asesor)  # another branch's asesor: no such schedule
    assert http.get(checklist).status_code == 404
    assert http.post(checklist, headers=origin, data=FIT).status_code == 404
    http.cookies.clear()
    # assessment heard TIDAK LAYAK: the assessor's recommendation is refused, in Indonesian
    assessment = wait_for(lambda: ok_or_none(jkt.asesor.get(f"/api/assessments/{cases[0]}")), what="assessment")
    units = [{"code": unit["code"], "result": "K"} for unit in assessment["scheme"]["units"]]

    def refused():
        answer = jkt.asesor.post(f"/api/assessments/{cases[0]}/recommendation", {"units": units})
        return answer if answer.status_code == 409 else None
    blocked = wait_for(refused, what="recommendation refused after TIDAK LAYAK")
    assert blocked.json()["detail"]["message"].startswith("TUK jarak jauh asesi diverifikasi TIDAK LAYAK")
    case = wait_for(lambda: (ok_or_none(jkt.admin.get(f"/api/scheduling/cases/{cases[0]}")) or {}).get(
        "needs_reschedule") and jkt.admin.get(f"/api/schedules/{schedule_id}/session-plan").json(), what="held")
    assert case["participants"][0]["needs_reschedule"] == "tuk_tidak_layak"
    as_page(http, jkt.admin)
    assert "Perlu dijadwalkan ulang" in http.get(world["schedule"]).text
    http.cookies.clear()


def test_the_asesi_sees_the_invitation_and_downloads_only_their_own(world):
    http, cases, budi, sinta = world["http"], world["cases"], world["budi"], world["sinta"]
    wait_for(lambda: budi.get(f"/api/cases/{cases[0]}/undangan.ics").status_code == 200, what="invitation")
    ics = budi.get(f"/api/cases/{cases[0]}/undangan.ics")
    [event] = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == f"{world['day']}T09:00:00+07:00"
    assert event.decoded("dtend").isoformat() == f"{world['day']}T15:00:00+07:00"
    card = budi.get(f"/api/cases/{cases[0]}/kartu-peserta.pdf")
    assert card.status_code == 200 and card.content.startswith(b"%PDF")
    for path in (f"/api/cases/{cases[0]}/undangan.ics", f"/api/cases/{cases[0]}/kartu-peserta.pdf"):
        assert sinta.get(path).status_code == 404  # another asesi's
        assert world["sby"].admin.get(path).status_code == 404  # another branch
    as_page(http, budi)
    journey = wait_for(lambda: (lambda text: text if "journey-room" in text else None)(
        http.get(f"/asesi/permohonan/{cases[0]}").text), what="room on the case page")
    assert "Ruang 1" in journey and "Pembukaan dan pengarahan integritas" in journey
    assert f"/api/cases/{cases[0]}/undangan.ics" in journey and f"/api/cases/{cases[0]}/kartu-peserta.pdf" in journey
    assert "TIDAK LAYAK" in journey and "Perlu dijadwalkan ulang" in journey
    http.cookies.clear()
