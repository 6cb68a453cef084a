"""Assigning an asesor to a placed case (SOP 1.5, 1.6.4): every rule is tried and refused, the assessor
confirms with a signed impartiality declaration or declines, the office delegates or reschedules, and the
AssessorAssigned contract carries the session (V2) while V1 events still read."""
import threading
from datetime import timedelta
from uuid import UUID

import pytest

from services.scheduling.domain import Assessor, Calendar
from services.scheduling.forms import KETIDAKBERPIHAKAN
from shared.contracts import parse_data
from shared.errors import Conflict, DomainError, Invalid, NotFound
from shared.signing import verify
from tests.support.api import ASESOR_USER, MET, SCHEME_NUMBER, TENANT, published
from tests.support.samples import ADMIN
from tests.support.scheduling import (
    ASESOR,
    BIG_TUK,
    CLEAR,
    SOON,
    opened_case,
    placed,
    registered,
    schedule_values,
    session,
)

OTHER = {"id": "asesor-2", "role": "asesor", "name": "Andi Saputra"}


def test_a_case_needs_its_session_before_an_assessor(app):
    registered(app)
    with pytest.raises(Conflict) as refused:
        app.assign_assessor(TENANT, ADMIN, opened_case(app), ASESOR_USER["id"])
    assert refused.value.field == "case_id" and "place the case" in refused.value.message


def test_appointed_then_confirmed_with_a_signed_declaration(app):
    registered(app)
    schedule_id = session(app)
    case_id = placed(app, schedule_id, 1)
    app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    case = app.repository.get(UUID(case_id))
    assert case.status == "appointed" and case.assessor["id"] == ASESOR_USER["id"]
    assert "AssessorAssigned" not in [e.type for e in published(app)]  # assessment waits for the confirmation
    with pytest.raises(NotFound):  # another asesor cannot answer it
        app.confirm_assignment(TENANT, OTHER, case_id, CLEAR)
    with pytest.raises(Conflict) as declared:  # a declared conflict is a decline, not a confirmation
        app.confirm_assignment(TENANT, ASESOR, case_id, {**CLEAR, "melatih": "ya"})
    assert declared.value.field == "melatih"
    with pytest.raises(Invalid) as missing:
        app.confirm_assignment(TENANT, ASESOR, case_id, {"melatih": "tidak"})
    assert missing.value.field in CLEAR
    app.confirm_assignment(TENANT, ASESOR, case_id, CLEAR)
    [assigned] = [e for e in published(app) if e.type == "AssessorAssigned"]
    assert assigned.schema_version == 2 and assigned.data["schedule"]["id"] == schedule_id
    assert assigned.data["replaces"] is None
    signature = assigned.data["impartiality"]
    assert signature["signer"]["id"] == ASESOR_USER["id"] and len(signature["sha256"]) == 64
    schedule = app.repository.get(UUID(schedule_id))
    assert schedule.assessors == {ASESOR_USER["id"]: [case_id]}


def test_v1_assessor_assigned_events_read_as_v2():
    data = {"asesi": {"id": "a", "name": "A"}, "assessor": {"id": "s", "name": "S", "met_number": MET},
            "scheme": {"id": "x", "number": "N", "title": "T", "version": 1, "units": []}}
    upcast = parse_data("AssessorAssigned", 1, data)
    assert upcast.schedule is None and upcast.replaces is None and upcast.assessor.id == "s"


@pytest.mark.parametrize("setup, field, words", [
    (lambda app: registered(app, schemes=("SKM/LAIN/2025",)), "assessor_id", "not registered as competent"),
    (lambda app: registered(app, valid_until=(SOON - timedelta(days=1)).isoformat()), "assessor_id",
     "not valid on"),
    (lambda app: (registered(app), app.set_assessor_active(TENANT, ADMIN, ASESOR_USER["id"], False, "cuti")),
     "assessor_id", "not active"),
    (lambda app: app.register_assessor(TENANT, ADMIN, ASESOR_USER["id"], ASESOR_USER["name"], MET, "2030-12-31",
                                       [SCHEME_NUMBER], institutions=["PT  Konstruksi   Maju"]),
     "assessor_id", "from the asesi's institution"),
])
def test_every_assessor_rule_is_refused(app, setup, field, words):
    setup(app)
    schedule_id = session(app)
    case_id = opened_case(app, asesi={"id": "asesi-9", "name": "Sari"}, institution="pt konstruksi maju")
    app.place_case(TENANT, ADMIN, schedule_id, case_id)
    with pytest.raises(DomainError) as refused:
        app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    assert refused.value.field == field and words in refused.value.message


def test_the_institution_travels_from_the_feasibility_review(app):
    registered(app, user={"id": "asesor-5", "name": "Budi"})
    app.revise_assessor(TENANT, ADMIN, "asesor-5", MET, "2030-12-31", [SCHEME_NUMBER],
                        institutions=["Politeknik K3 Nusantara"])
    schedule_id = session(app)
    case_id = opened_case(app, asesi={"id": "asesi-7", "name": "Dewi"}, institution="politeknik k3 nusantara")
    app.place_case(TENANT, ADMIN, schedule_id, case_id)
    with pytest.raises(Conflict) as refused:
        app.assign_assessor(TENANT, ADMIN, case_id, "asesor-5")
    assert "institution" in refused.value.message


def test_an_asesi_never_assesses_themself(app):
    registered(app)
    schedule_id = session(app)
    case_id = opened_case(app, asesi={"id": ASESOR_USER["id"], "name": ASESOR_USER["name"]})
    app.place_case(TENANT, ADMIN, schedule_id, case_id)
    with pytest.raises(Conflict) as refused:
        app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    assert "themself" in refused.value.message


def test_declining_as_trainer_frees_the_place_and_blocks_that_asesi_for_good(app):
    registered(app)
    first, second = session(app), session(app, mulai="17:00", selesai="18:00")
    case_id = placed(app, first, 1)
    app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    with pytest.raises(Invalid) as no_reason:
        app.decline_assignment(TENANT, ASESOR, case_id, "  ", "melatih")
    assert no_reason.value.field == "reason"
    app.decline_assignment(TENANT, ASESOR, case_id, "Saya pelatihnya di BLK", "melatih")
    case = app.repository.get(UUID(case_id))
    assert case.status == "awaiting_assessor" and case.assessor is None
    assert app.repository.get(UUID(first)).assessors == {}
    calendar = app.repository.get(Calendar.create_id(TENANT, ASESOR_USER["id"]))
    assert calendar.sessions == {}  # their session is free again
    with pytest.raises(Conflict) as trained:  # never again for this asesi, in this session or another
        app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    assert "trained" in trained.value.message
    app.reschedule_case(TENANT, ADMIN, case_id, second, "jadwal bentrok")
    with pytest.raises(Conflict):
        app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    assert app.repository.get(Assessor.create_id(TENANT, ASESOR_USER["id"])).trainees == ["asesi-1"]


def test_at_most_n_asesi_per_assessor_per_session_as_the_branch_sets_it(app):
    registered(app)
    app.set_asesi_per_assessor(TENANT, ADMIN, 2)
    with pytest.raises(Invalid):
        app.set_asesi_per_assessor(TENANT, ADMIN, 0)
    schedule_id, other = session(app), session(app, on=SOON + timedelta(days=1))
    cases = [placed(app, schedule_id, position) for position in (1, 2, 3)]
    for case_id in cases[:2]:
        app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    with pytest.raises(Conflict) as full:
        app.assign_assessor(TENANT, ADMIN, cases[2], ASESOR_USER["id"])
    assert "limit 2" in full.value.message
    app.assign_assessor(TENANT, ADMIN, placed(app, other, 4), ASESOR_USER["id"])  # per session, not overall
    assert app.limit_of("SBY01") == 10  # another branch keeps the default


def test_an_assessor_is_never_in_two_overlapping_sessions(app):
    registered(app)
    morning = session(app, mulai="08:00", selesai="12:00")
    overlapping = session(app, mulai="11:00", selesai="15:00")
    after = session(app, mulai="12:00", selesai="15:00")
    app.assign_assessor(TENANT, ADMIN, placed(app, morning, 1), ASESOR_USER["id"])
    app.assign_assessor(TENANT, ADMIN, placed(app, morning, 2), ASESOR_USER["id"])  # same session: fine
    with pytest.raises(Conflict) as refused:
        app.assign_assessor(TENANT, ADMIN, placed(app, overlapping, 3), ASESOR_USER["id"])
    assert refused.value.field == "assessor_id" and "assessor already has a session" in refused.value.message
    app.assign_assessor(TENANT, ADMIN, placed(app, after, 4), ASESOR_USER["id"])  # back to back


def test_delegation_hands_over_and_assessment_learns_who_replaces_whom(app):
    registered(app)
    registered(app, user=OTHER)
    schedule_id = session(app)
    case_id = placed(app, schedule_id, 1)
    app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    app.confirm_assignment(TENANT, ASESOR, case_id, CLEAR)
    with pytest.raises(Conflict):
        app.delegate_assignment(TENANT, ADMIN, case_id, ASESOR_USER["id"], "sama")
    app.delegate_assignment(TENANT, ADMIN, case_id, OTHER["id"], "asesor sakit")
    case = app.repository.get(UUID(case_id))
    assert case.status == "appointed" and case.assessor["id"] == OTHER["id"]
    assert app.repository.get(UUID(schedule_id)).assessors == {OTHER["id"]: [case_id]}
    app.confirm_assignment(TENANT, OTHER, case_id, CLEAR)
    assigned = [e for e in published(app) if e.type == "AssessorAssigned"]
    assert [e.data["assessor"]["id"] for e in assigned] == [ASESOR_USER["id"], OTHER["id"]]
    assert assigned[1].data["replaces"] == ASESOR_USER["id"]


def test_rescheduling_keeps_history_and_lists_what_it_undid(app):
    registered(app)
    old, new = session(app), session(app, on=SOON + timedelta(days=7))
    case_id = placed(app, old, 1)
    app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    app.confirm_assignment(TENANT, ASESOR, case_id, CLEAR)
    with pytest.raises(Invalid) as why:
        app.reschedule_case(TENANT, ADMIN, case_id, new, "")
    assert why.value.field == "reason"
    with pytest.raises(Conflict):
        app.reschedule_case(TENANT, ADMIN, case_id, old, "sama")
    app.reschedule_case(TENANT, ADMIN, case_id, new, "asesi sakit, surat dokter")
    [moved] = [e for e in published(app) if e.type == "CaseRescheduled"]
    assert moved.actor.id == ADMIN["id"] and moved.data["reason"] == "asesi sakit, surat dokter"
    assert moved.data["old"]["id"] == old and moved.data["new"]["id"] == new
    assert moved.data["invalidated"] == ["assessor_appointment", "impartiality_declaration", "session_invitation"]
    assert case_id not in app.repository.get(UUID(old)).seats and case_id in app.repository.get(UUID(new)).seats
    case = app.repository.get(UUID(case_id))
    assert case.schedule_id == new and case.status == "awaiting_assessor"
    calendar = app.repository.get(Calendar.create_id(TENANT, "asesi-1"))
    assert list(calendar.sessions) == [new]
    app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])  # appointed again for the new session
    app.confirm_assignment(TENANT, ASESOR, case_id, CLEAR)


def test_a_full_session_refuses_the_reschedule_and_nothing_moves(app):
    old = session(app)
    full = app.create_schedule(TENANT, ADMIN, schedule_values(app.register_tuk(TENANT, ADMIN, BIG_TUK),
                                                              kuota_maks="1"))
    placed(app, full, 1)
    case_id = placed(app, old, 2)
    with pytest.raises(Conflict):
        app.reschedule_case(TENANT, ADMIN, case_id, full, "pindah")
    assert app.repository.get(UUID(case_id)).schedule_id == old
    assert case_id in app.repository.get(UUID(old)).seats


def test_admins_appointing_one_assessor_at_once_never_pass_the_limit(app):
    registered(app)
    app.set_asesi_per_assessor(TENANT, ADMIN, 3)
    schedule_id = session(app)
    cases = [placed(app, schedule_id, position) for position in range(1, 9)]
    outcomes: list[str] = []

    def appoint(case_id: str) -> None:
        try:
            app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
            outcomes.append("ok")
        except Conflict:
            outcomes.append("409")
    threads = [threading.Thread(target=appoint, args=(case_id,)) for case_id in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409"] * 5 + ["ok"] * 3
    assert len(app.repository.get(UUID(schedule_id)).assessors[ASESOR_USER["id"]]) == 3
    assert len(app.repository.get(Assessor.create_id(TENANT, ASESOR_USER["id"])).active_cases) == 3


def test_the_declaration_signature_is_over_its_content(app):
    registered(app)
    case_id = placed(app, session(app), 1)
    app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    app.confirm_assignment(TENANT, ASESOR, case_id, CLEAR)
    [assigned] = [e for e in published(app) if e.type == "AssessorAssigned"]
    content = KETIDAKBERPIHAKAN.content(CLEAR, case_id=case_id, asesi_id="asesi-1",
                                        schedule_id=assigned.data["schedule"]["id"])
    assert verify(assigned.data["impartiality"], content, role="asesor")
    assert not verify(assigned.data["impartiality"], {**content, "melatih": "ya"}, role="asesor")


def test_the_asesi_is_told_of_their_session_and_of_a_move_with_why(app):
    from shared.messaging.inbox import Inbox
    registered(app)
    old, new = session(app), session(app, on=SOON + timedelta(days=7), mulai="09:00", selesai="11:00")
    case_id = opened_case(app, asesi={"id": "asesi-1", "name": "Sari Dewi"})
    app.place_case(TENANT, ADMIN, old, case_id, contact="sari@contoh.co.id")
    app.reschedule_case(TENANT, ADMIN, case_id, new, "asesi sakit")
    app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    app.confirm_assignment(TENANT, ASESOR, case_id, CLEAR)
    inbox = Inbox(app, app.policies(), attempts=2, sleep=lambda _: None)
    for envelope in published(app):
        if f"{envelope.source}:{envelope.type}" in inbox.policies:
            inbox.handle(envelope.model_dump(mode="json"))
    notices = [app.repository.get(app.mapper.to_domain_event(n).originator_id)
               for n in app.recorder.select_notifications(start=None, limit=1000) if n.topic.endswith("NoticeQueued")]
    placed, moved = [n for n in notices if n.kind == "session_set"]
    assert "Sari" not in placed.subject  # subjects hold no personal data
    assert app.vault.open(placed.recipient) == app.vault.open(moved.recipient) == "sari@contoh.co.id"
    first, second = app.vault.open(placed.body), app.vault.open(moved.body)
    assert "08:00-16:00 WIB" in first and "diubah" not in first
    assert "09:00-11:00 WIB" in second and "Alasan: asesi sakit" in second and "08:00 WIB" in second
    [told] = [n for n in notices if n.kind == "assessor_assigned"]
    assert ASESOR_USER["name"] in app.vault.open(told.body) and ASESOR_USER["name"] not in told.subject


def test_an_assessor_away_on_the_day_is_refused_and_not_planned(app):
    from services.scheduling import planning
    registered(app)
    schedule_id = session(app)
    app.revise_assessor(TENANT, ADMIN, ASESOR_USER["id"], MET, "2030-12-31", [SCHEME_NUMBER],
                        unavailable=[SOON.isoformat(), "2031-01-02"])
    with pytest.raises(Invalid) as bad:
        app.revise_assessor(TENANT, ADMIN, ASESOR_USER["id"], MET, "2030-12-31", [SCHEME_NUMBER],
                            unavailable=["15/03/2027"])
    assert bad.value.field == "unavailable"
    case_id = placed(app, schedule_id, 1)
    with pytest.raises(Conflict) as away:
        app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    assert "not available on" in away.value.message
    given = planning.PlanInput(
        [planning.WaitingCase("c", SCHEME_NUMBER, "a")],
        [planning.OpenSchedule("s", SCHEME_NUMBER, SOON.isoformat(), "08:00", "16:00", 5)],
        [planning.RegistryAssessor(ASESOR_USER["id"], "Rina", [SCHEME_NUMBER], "2030-12-31",
                                   unavailable=[SOON.isoformat()])])
    assert planning.propose(given).rows == []
    assert planning.rule_breaks(given, [planning.Row("c", "s", ASESOR_USER["id"])])


@pytest.mark.parametrize("conflict", ["institusi_sama", "hubungan_keluarga", "kepentingan_lain"])
def test_any_declared_conflict_keeps_the_assessor_from_that_asesi(app, conflict):
    registered(app)
    case_id = placed(app, session(app), 1)
    app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    app.decline_assignment(TENANT, ASESOR, case_id, "saya punya konflik kepentingan", conflict)
    with pytest.raises(Conflict) as refused:
        app.assign_assessor(TENANT, ADMIN, case_id, ASESOR_USER["id"])
    assert "declared one with this asesi" in refused.value.message
    other = placed(app, session(app, on=SOON + timedelta(days=1)), 2)  # another asesi: no conflict
    app.assign_assessor(TENANT, ADMIN, other, ASESOR_USER["id"])
