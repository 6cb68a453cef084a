"""The batch placement proposal (services/scheduling/planning.py): for every rule an input where breaking it is
the easy choice, the planner not breaking it, and the check naming it in a hand-made plan that does; balance;
the cases left out, with why; and speed."""
import time
from dataclasses import replace

import pytest

from services.scheduling.planning import (
    ASESI_BUSY,
    NO_ASSESSOR,
    NO_SCHEDULE,
    SCHEDULES_FULL,
    OpenSchedule,
    PlanInput,
    RegistryAssessor,
    Row,
    Session,
    WaitingCase,
    loads,
    propose,
    rule_breaks,
)
from services.scheduling.texts import TEXT

K3 = "SKM/K3/2025"
DAY = "2030-03-02"


def case(n: int = 1, scheme: str = K3, asesi: str = "", institution: str = "") -> WaitingCase:
    return WaitingCase(f"case-{n}", scheme, asesi or f"asesi-{n}", institution)


def schedule(sid: str = "s1", tanggal: str = DAY, mulai: str = "08:00", selesai: str = "12:00", kuota: int = 10,
             skema: str = K3, **more) -> OpenSchedule:
    return OpenSchedule(sid, skema, tanggal, mulai, selesai, kuota, **more)


def assessor(name: str, **more) -> RegistryAssessor:
    return RegistryAssessor(**{"user_id": name.lower(), "name": name, "scheme_numbers": [K3],
                               "valid_until": "2031-01-01", **more})


def placed(given: PlanInput) -> dict[str, tuple[str, str]]:
    """case id -> (schedule id, assessor id); the check finding nothing broken."""
    plan = propose(given)
    assert rule_breaks(given, plan.rows) == []
    return {row.case_id: (row.schedule_id, row.assessor_id) for row in plan.rows}


def broken(given: PlanInput, *rows: tuple[str, str, str]) -> set[str]:
    return {b.rule for b in rule_breaks(given, [Row(*row) for row in rows])}


# ---- one test per rule: the easy choice breaks it ------------------------------------------------------------

def test_a_case_goes_only_to_a_schedule_of_its_scheme():
    given = PlanInput([case()], [schedule("other", mulai="07:00", skema="SKM/LAIN/2025"), schedule("k3", DAY.replace(
        "02", "09"))], [assessor("Ani", scheme_numbers=[K3, "SKM/LAIN/2025"])])
    assert placed(given) == {"case-1": ("k3", "ani")}
    assert "wrong_scheme" in broken(given, ("case-1", "other", "ani"))


def test_a_full_schedule_takes_no_one_more():
    given = PlanInput([case()], [schedule("full", kuota=1, seated=["old"]), schedule("later", "2030-03-05")],
                      [assessor("Ani")])
    assert placed(given) == {"case-1": ("later", "ani")}
    assert "schedule_full" in broken(given, ("case-1", "full", "ani"))


def test_an_asesi_is_never_in_two_overlapping_sessions_but_back_to_back_is_fine():
    given = PlanInput([case(1), case(2)], [schedule("morning"), schedule("noon", mulai="12:00", selesai="15:00"),
                                           schedule("next", "2030-03-03")], [assessor("Ani")],
                      asesi_sessions={"asesi-1": [Session("x", DAY, "11:00", "13:00")],
                                      "asesi-2": [Session("y", DAY, "06:00", "08:00")]})
    plan = placed(given)
    assert plan["case-1"][0] == "next"  # 11-13 touches both sessions of that day
    assert plan["case-2"][0] in ("morning", "noon")  # 06-08 ends as the morning starts
    assert "asesi_overlap" in broken(given, ("case-1", "morning", "ani"))


def test_an_asesi_with_two_cases_gets_two_sessions_that_do_not_overlap():
    given = PlanInput([case(1, asesi="budi"), case(2, asesi="budi", scheme="SKM/B")],
                      [schedule("k3"), schedule("b", skema="SKM/B", mulai="09:00"),
                       schedule("b2", skema="SKM/B", tanggal="2030-03-04")],
                      [assessor("Ani", scheme_numbers=[K3, "SKM/B"]), assessor("Eko", scheme_numbers=["SKM/B"])])
    plan = placed(given)
    assert plan["case-1"][0] == "k3" and plan["case-2"][0] == "b2"  # b (09:00) overlaps k3 (08-12) that day
    assert "asesi_overlap" in broken(given, ("case-1", "k3", "ani"), ("case-2", "b", "eko"))


@pytest.mark.parametrize("ani, rule", [
    ({"scheme_numbers": ["SKM/LAIN"]}, "not_competent"),
    ({"status": "nonaktif"}, "assessor_inactive"),
    ({"valid_until": "2030-03-01"}, "met_expired"),  # valid until the day before the session
    ({"user_id": "asesi-1"}, "assesses_themself"),
    ({"institutions": ["  pt   MAJU  jaya "]}, "same_institution"),
    ({"trainees": ["asesi-1"]}, "trained_the_asesi"),
])
def test_an_assessor_who_may_not_take_the_case_is_passed_over_though_least_loaded(ani, rule):
    first = assessor("Ani", **ani)
    given = PlanInput([case(institution="PT Maju Jaya")], [schedule()], [first, assessor("Budi", load=3)])
    assert placed(given) == {"case-1": ("s1", "budi")}
    assert rule in broken(given, ("case-1", "s1", first.user_id))


def test_met_valid_on_the_session_day_and_an_empty_institution_are_fine():
    given = PlanInput([case(institution="")], [schedule()], [assessor("Ani", valid_until=DAY, institutions=[""]),
                                                             assessor("Budi", load=3)])
    assert placed(given) == {"case-1": ("s1", "ani")}


def test_an_assessor_takes_at_most_n_asesi_in_a_schedule():
    given = PlanInput([case(n) for n in range(1, 5)], [schedule(assessors={"ani": ["old"]})],
                      [assessor("Ani"), assessor("Budi", load=9)], per_schedule=2)
    assert sorted(a for _, a in placed(given).values()) == ["ani", "budi", "budi"]  # Ani had one already
    assert [u.reason for u in propose(given).unplaced] == [NO_ASSESSOR]
    assert "assessor_schedule_full" in broken(given, ("case-1", "s1", "ani"), ("case-2", "s1", "ani"))


def test_an_assessor_is_never_in_two_overlapping_sessions_but_takes_many_cases_in_one():
    given = PlanInput([case(n) for n in range(1, 4)], [schedule("a"), schedule("b", mulai="10:00", selesai="14:00")],
                      [assessor("Ani", sessions=[Session("elsewhere", DAY, "11:00", "12:00")]),
                       assessor("Budi", load=5)])
    plan = placed(given)  # Ani is busy 11-12 elsewhere: only Budi, and only in one of the two overlapping sessions
    assert {a for _, a in plan.values()} == {"budi"} and len({s for s, _ in plan.values()}) == 1
    assert "assessor_overlap" in broken(given, ("case-1", "a", "budi"), ("case-2", "b", "budi"))
    assert "assessor_overlap" in broken(given, ("case-1", "a", "ani"))


def test_a_case_is_planned_once():
    given = PlanInput([case()], [schedule()], [assessor("Ani")])
    assert "case_twice" in broken(given, ("case-1", "s1", "ani"), ("case-1", "s1", "ani"))


# ---- balance ---------------------------------------------------------------------------------------------------

def test_twenty_cases_spread_ten_and_ten_over_two_sessions_of_a_day_and_five_per_assessor():
    given = PlanInput([case(n) for n in range(20)], [schedule("a", kuota=15), schedule("b", kuota=15)],
                      [assessor(name) for name in ("Dian", "Ani", "Citra", "Budi")])
    plan = propose(given)
    assert rule_breaks(given, plan.rows) == [] and not plan.unplaced
    per_schedule = {sid: sum(1 for r in plan.rows if r.schedule_id == sid) for sid in ("a", "b")}
    assert per_schedule == {"a": 10, "b": 10}
    assert loads(plan) == {"ani": 5, "budi": 5, "citra": 5, "dian": 5}


def test_the_earliest_day_is_filled_first_and_ties_go_by_name():
    given = PlanInput([case(1)], [schedule("later", "2030-03-09"), schedule("first")],
                      [assessor("Budi"), assessor("Ani")])
    assert placed(given) == {"case-1": ("first", "ani")}


# ---- what cannot be placed, and why ----------------------------------------------------------------------------

def test_cases_left_out_say_why_in_both_languages():
    given = PlanInput([case(1, scheme="SKM/TANPA"), case(2), case(3), case(4, asesi="sibuk"), case(5, scheme="SKM/B")],
                      [schedule(kuota=2, seated=["old"]), schedule("b", skema="SKM/B")],
                      [assessor("Ani")], asesi_sessions={"sibuk": [Session("x", DAY, "07:00", "09:00")]})
    plan = propose(given)
    assert [r.case_id for r in plan.rows] == ["case-2"]
    why = {u.case_id: u.reason for u in plan.unplaced}
    assert why == {"case-1": NO_SCHEDULE, "case-3": SCHEDULES_FULL, "case-4": SCHEDULES_FULL, "case-5": NO_ASSESSOR}
    given = replace(given, cases=[case(4, asesi="sibuk")])
    assert propose(given).unplaced[0].reason == ASESI_BUSY
    for reason in (NO_SCHEDULE, SCHEDULES_FULL, ASESI_BUSY, NO_ASSESSOR):
        indonesian, english = TEXT[reason]
        assert indonesian and english and indonesian != english


def test_the_digest_tells_two_plans_apart():
    given = PlanInput([case(1)], [schedule()], [assessor("Ani")])
    assert propose(given).digest() == propose(given).digest()
    assert propose(given).digest() != propose(replace(given, cases=[case(2)])).digest()


# ---- speed: the real size in well under a second ---------------------------------------------------------------

def big_input() -> PlanInput:
    schemes = [f"SKM/{n}" for n in range(5)]
    days = [f"2030-04-{d:02d}" for d in range(1, 6)]
    slots = [("08:00", "12:00"), ("13:00", "17:00")]
    schedules = [schedule(f"{s}-{d}-{t}-{k}", day, *slots[t], kuota=10, skema=s)
                 for s in schemes for d, day in enumerate(days) for t in range(2) for k in range(2)]
    assessors = [assessor(f"Asesor {n:03d}", scheme_numbers=[schemes[n % 5], schemes[(n + 1) % 5]],
                          institutions=[f"Inst {n % 7}"], trainees=[f"asesi-{n * 10}"]) for n in range(100)]
    cases = [case(n, scheme=schemes[n % 5], institution=f"inst  {n % 7}") for n in range(1000)]
    return PlanInput(cases, schedules, assessors)


def test_a_thousand_cases_a_hundred_assessors_and_schedules_plan_fast():
    given = big_input()
    started = time.perf_counter()
    plan = propose(given)
    elapsed = time.perf_counter() - started
    assert len(plan.rows) == 1000 and rule_breaks(given, plan.rows) == []
    assert elapsed < 1.0, elapsed


# ---- applied through the API: from the read models, row by row through the commands ---------------------------



def test_applying_reports_a_row_the_domain_refuses_and_goes_on_with_the_rest(app, store):
    import asyncio

    from services.scheduling import api, queries, usecases
    from services.scheduling.projections import PROJECTIONS
    from shared.display import wib_today
    from shared.projector import Projector
    from tests.support.api import ASESOR_USER, TENANT, api_client, as_user, auth
    from tests.support.samples import ADMIN, ASESI
    from tests.support.scheduling import REMOTE_TUK, opened_case, registered, schedule_values

    registered(app)
    schedule_id = app.create_schedule(TENANT, ADMIN, schedule_values(app.register_tuk(TENANT, ADMIN, REMOTE_TUK)))
    cases = [opened_case(app, position=n, asesi={"id": f"asesi-{n}", "name": f"Peserta {n}"}) for n in (1, 2, 3)]
    project = lambda: asyncio.run(Projector(app, store, PROJECTIONS).catch_up())  # noqa: E731
    project()
    admin, asesi, other = as_user(ADMIN), as_user(ASESI), as_user({**ADMIN, "id": "admin-sby"}, "SBY01")
    with api_client(api.router, {"scheduling": app}, store, admin, asesi, other) as client:
        plan = client.get("/api/schedules/proposal", headers=auth(admin)).json()
        assert [r["case_id"] for r in plan["rows"]] == cases and plan["schedules"][0]["planned"] == 3
        app.place_case(TENANT, ADMIN, schedule_id, cases[0])  # behind the plan's back (the read model lags)
        batch = client.post("/api/schedules/proposal/apply", json={"plan_hash": plan["plan_hash"]},
                            headers=auth(admin))
        assert batch.status_code == 202, batch.text
        path = f"/api/schedules/proposal/batches/{batch.json()['id']}"
        for _ in range(100):
            batch = client.get(path, headers=auth(admin)).json()
            if batch["finished"]:
                break
            time.sleep(0.05)
        assert (batch["total"], batch["done"], batch["applied"]) == (3, 3, 2)
        [refused] = batch["refused"]
        assert refused["case_id"] == cases[0] and refused["step"] == "place"
        assert refused["error"]["template"] == "this case is already placed in this schedule"
        assert client.get(path, headers=auth(other)).status_code == 404  # another branch's batch
        assert client.get("/api/schedules/proposal", headers=auth(asesi)).status_code == 403
        assert client.post("/api/schedules/proposal/apply", json={"plan_hash": "0" * 16},
                           headers=auth(asesi)).status_code == 403
    project()
    given = usecases.plan_input(asyncio.run(queries.list_cases(store, TENANT)),
                                asyncio.run(queries.list_schedules(store, TENANT)),
                                asyncio.run(queries.list_assessors(store, TENANT)), wib_today())
    [seated] = given.schedules
    assert sorted(seated.seated) == sorted(cases) and seated.assessors == {ASESOR_USER["id"]: cases[1:]}
    assert [(c.id, c.seated_in) for c in given.cases] == [(cases[0], schedule_id)]  # seated, still no assessor
    assert given.asesi_sessions["asesi-2"][0].schedule_id == schedule_id
    assert given.assessors[0].sessions[0].schedule_id == schedule_id and given.assessors[0].status == "aktif"


def test_a_seated_case_without_an_assessor_is_planned_its_assessor_only():
    """An assessor declined, or a batch was cut short after the seat: the case keeps its seat and session."""
    seated = WaitingCase("case-9", K3, "asesi-9", seated_in="s1")
    busy = schedule("s1")
    busy.seated.append("case-9")
    given = PlanInput([seated], [busy, schedule("s2")], [assessor("Ani")],
                      asesi_sessions={"asesi-9": [busy.session()]})
    plan = propose(given)
    assert plan.rows == [Row("case-9", "s1", "ani", seated=True)] and rule_breaks(given, plan.rows) == []
    assert "wrong_seat" in broken(given, ("case-9", "s2", "ani"))  # not moved by a plan
