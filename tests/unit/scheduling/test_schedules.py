"""Schedules (SOP 1.6.1-1.6.4): every rule of a schedule tried and refused by its field; placing cases
into seats, with the quota holding when many admins place at once."""
import threading
from datetime import date, timedelta

import pytest

from services.scheduling import api
from shared.errors import Conflict, DomainError, Invalid, NotFound
from tests.support.api import TENANT, api_client, as_user, auth, scheme
from tests.support.samples import ADMIN, ASESI
from tests.support.scheduling import REMOTE_TUK, opened_case, schedule_values


@pytest.mark.parametrize("changes, field", [
    ({"selesai": "07:30"}, "selesai"),  # ends before it starts
    ({"tanggal": "2020-01-01"}, "tanggal"),  # in the past
    ({"kuota_min": "4"}, "kuota_min"),  # more than the maximum
    ({"kuota_maks": "6"}, "kuota_maks"),  # more than the TUK holds
    ({"tautan": ""}, "tautan"),  # a remote TUK without its link
    ({"tautan": "http://tidak-aman.example"}, "tautan"),
    ({"mulai": "25:00"}, "mulai"),
])
def test_every_rule_of_a_schedule_is_refused_by_its_field(app, changes, field):
    tuk_id = app.register_tuk(TENANT, ADMIN, REMOTE_TUK)
    with pytest.raises(Invalid) as refused:
        app.create_schedule(TENANT, ADMIN, schedule_values(tuk_id, **changes))
    assert refused.value.field == field


def test_a_tuk_out_of_use_or_of_another_branch_takes_no_schedule(app):
    tuk_id = app.register_tuk(TENANT, ADMIN, REMOTE_TUK)
    with pytest.raises(NotFound):
        app.create_schedule("SBY01", ADMIN, schedule_values(tuk_id))
    app.set_tuk_active(TENANT, ADMIN, tuk_id, False)
    with pytest.raises(Conflict):
        app.create_schedule(TENANT, ADMIN, schedule_values(tuk_id))


def test_cases_take_seats_until_the_schedule_is_full(app):
    schedule_id = app.create_schedule(TENANT, ADMIN, schedule_values(app.register_tuk(TENANT, ADMIN, REMOTE_TUK)))
    cases = [opened_case(app, position=index + 1) for index in range(4)]
    for case_id in cases[:3]:
        app.place_case(TENANT, ADMIN, schedule_id, case_id)
    with pytest.raises(Conflict) as full:
        app.place_case(TENANT, ADMIN, schedule_id, cases[3])
    assert full.value.template.startswith("the schedule is full")
    with pytest.raises(Conflict):  # the same case again
        app.place_case(TENANT, ADMIN, schedule_id, cases[0])
    other = app.create_schedule(TENANT, ADMIN, schedule_values(app.register_tuk(TENANT, ADMIN, REMOTE_TUK)))
    with pytest.raises(Conflict):  # one place per case: another is a reschedule
        app.place_case(TENANT, ADMIN, other, cases[0])


def test_a_case_of_another_scheme_gets_no_seat(app):
    schedule_id = app.create_schedule(TENANT, ADMIN, schedule_values(app.register_tuk(TENANT, ADMIN, REMOTE_TUK),
                                                                     skema="SKM/LAIN/2025"))
    with pytest.raises(Invalid) as refused:
        app.place_case(TENANT, ADMIN, schedule_id, opened_case(app))
    assert refused.value.field == "case_id"


def test_admins_placing_at_once_never_overfill_a_schedule(app):
    """Eight placements race for three seats on the real store: exactly three win (one that lost a race
    looks again while seats are left), the others are told the schedule is full, and the seats and the
    cases' places agree."""
    schedule_id = app.create_schedule(TENANT, ADMIN, schedule_values(app.register_tuk(TENANT, ADMIN, REMOTE_TUK)))
    cases = [opened_case(app, position=index + 1) for index in range(8)]
    start, outcomes = threading.Barrier(len(cases)), {}

    def place(case_id: str) -> None:
        start.wait()
        try:
            app.place_case(TENANT, ADMIN, schedule_id, case_id)
            outcomes[case_id] = "placed"
        except DomainError as error:
            outcomes[case_id] = error.template
    threads = [threading.Thread(target=place, args=(case_id,)) for case_id in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    placed = [case_id for case_id, outcome in outcomes.items() if outcome == "placed"]
    assert len(placed) == 3, outcomes
    assert all(outcome == "placed" or outcome.startswith("the schedule is full") for outcome in outcomes.values())
    from uuid import UUID
    schedule = app.repository.get(UUID(schedule_id))
    assert sorted(schedule.seats) == sorted(placed)
    assert {case_id for case_id in cases if getattr(app.repository.get(UUID(case_id)), "schedule_id", None)} \
        == set(placed)


def test_the_api_places_for_the_branch_office_only(app, store):
    admin, asesi, other = as_user(ADMIN), as_user(ASESI), as_user({**ADMIN, "id": "admin-sby"}, "SBY01")
    client = api_client(api.router, {"scheduling": app}, store, admin, asesi, other)
    tuk_id = client.post("/api/tuk", json=REMOTE_TUK, headers=auth(admin)).json()["id"]
    refused = client.post("/api/schedules", json=schedule_values(tuk_id, selesai="07:00"), headers=auth(admin))
    assert refused.status_code == 422 and refused.json()["detail"]["field"] == "selesai"
    created = client.post("/api/schedules", json=schedule_values(tuk_id), headers=auth(admin))
    assert created.status_code == 201, created.text
    schedule_id, case_id = created.json()["id"], opened_case(app)
    assert client.post("/api/schedules", json=schedule_values(tuk_id), headers=auth(asesi)).status_code == 403
    assert client.post(f"/api/schedules/{schedule_id}/cases", json={"case_id": case_id},
                       headers=auth(other)).status_code == 404
    placed = client.post(f"/api/schedules/{schedule_id}/cases", json={"case_id": case_id}, headers=auth(admin))
    assert placed.status_code == 200 and placed.json()["version"] == 2


def test_an_asesi_is_never_in_two_overlapping_sessions(app):
    """Two cases of one asesi (two schemes) cannot sit in sessions that overlap; back to back they can."""
    other_scheme = {**scheme(), "number": "SKM/LAIN/2025"}
    first, second = opened_case(app, position=1), opened_case(app, position=2, snapshot=other_scheme)
    tuk_id = app.register_tuk(TENANT, ADMIN, REMOTE_TUK)
    morning = app.create_schedule(TENANT, ADMIN, schedule_values(tuk_id, mulai="08:00", selesai="12:00"))
    app.place_case(TENANT, ADMIN, morning, first)
    overlapping = app.create_schedule(TENANT, ADMIN, schedule_values(
        tuk_id, skema="SKM/LAIN/2025", mulai="11:00", selesai="15:00"))
    with pytest.raises(Conflict) as refused:
        app.place_case(TENANT, ADMIN, overlapping, second)
    assert refused.value.template.startswith("the asesi already has a session")
    afternoon = app.create_schedule(TENANT, ADMIN, schedule_values(
        tuk_id, skema="SKM/LAIN/2025", mulai="12:00", selesai="15:00"))
    app.place_case(TENANT, ADMIN, afternoon, second)  # back to back: allowed


def test_a_registration_window_bounds_placements(app):
    tuk_id = app.register_tuk(TENANT, ADMIN, REMOTE_TUK)
    on = date.today() + timedelta(days=30)
    with pytest.raises(Invalid) as late:  # registration cannot close after the session
        app.create_schedule(TENANT, ADMIN, schedule_values(tuk_id, pendaftaran_ditutup=(on + timedelta(days=1))
                                                           .isoformat()))
    assert late.value.field == "pendaftaran_ditutup"
    with pytest.raises(Invalid) as backwards:
        app.create_schedule(TENANT, ADMIN, schedule_values(tuk_id, pendaftaran_dibuka=on.isoformat(),
                                                           pendaftaran_ditutup=(on - timedelta(days=5)).isoformat()))
    assert backwards.value.field == "pendaftaran_dibuka"
    window = app.create_schedule(TENANT, ADMIN, schedule_values(
        tuk_id, pendaftaran_dibuka=(date.today() + timedelta(days=3)).isoformat(),
        pendaftaran_ditutup=(date.today() + timedelta(days=10)).isoformat()))
    case_id = opened_case(app)
    with pytest.raises(Conflict) as early:
        app.place_case(TENANT, ADMIN, window, case_id)
    assert early.value.template.startswith("registration for this schedule opens")
    app.today = lambda: date.today() + timedelta(days=3)
    app.place_case(TENANT, ADMIN, window, case_id)  # the first day of the window
    app.today = lambda: date.today() + timedelta(days=11)
    with pytest.raises(Conflict) as closed:
        app.place_case(TENANT, ADMIN, window, opened_case(app, position=2))
    assert closed.value.template.startswith("registration for this schedule closed")


def test_a_schedule_is_cancelled_only_once_empty_and_finished_only_from_its_date(app):
    tuk_id = app.register_tuk(TENANT, ADMIN, REMOTE_TUK)
    schedule_id = app.create_schedule(TENANT, ADMIN, schedule_values(tuk_id))
    other = app.create_schedule(TENANT, ADMIN, schedule_values(tuk_id, mulai="17:00", selesai="18:00"))
    case_id = opened_case(app)
    app.place_case(TENANT, ADMIN, schedule_id, case_id)
    with pytest.raises(Invalid):
        app.cancel_schedule(TENANT, ADMIN, schedule_id, " ")
    with pytest.raises(Conflict) as seated:
        app.cancel_schedule(TENANT, ADMIN, schedule_id, "TUK banjir")
    assert "still seated" in seated.value.message
    app.reschedule_case(TENANT, ADMIN, case_id, other, "TUK banjir")
    app.cancel_schedule(TENANT, ADMIN, schedule_id, "TUK banjir")
    with pytest.raises(Conflict):  # a cancelled schedule takes nobody
        app.place_case(TENANT, ADMIN, schedule_id, opened_case(app, position=2))
    with pytest.raises(Conflict) as early:
        app.finish_schedule(TENANT, ADMIN, other)
    assert early.value.template.startswith("a schedule is finished on or after")
    app.today = lambda: date.today() + timedelta(days=30)
    app.finish_schedule(TENANT, ADMIN, other)
    with pytest.raises(NotFound):
        app.cancel_schedule("SBY01", ADMIN, other, "x")
