"""The batch placement proposal (services/scheduling/planning.py) at a branch's real size, measured on this machine.

    .venv/bin/python bench/bench_batch.py [--cases 1000] [--assessors 100] [--limit 10] [--postgres]

It builds the scheduling application embedded (as tests/unit/scheduling builds it: SQLite files in a temporary
directory; with --postgres the event store is PostgreSQL, database lsp_bench_batch, dropped at the end), registers
the assessors (each competent in two of five schemes), TUK and schedules over five days (two sessions a day, two
at once per scheme), opens the paid, feasible cases through the App's own policy (registration's
FeasibilityReviewed, as the inbox delivers it), projects the read models and then prints:
  1. the time to compute the plan from the read models (usecases.plan_input + planning.propose),
  2. the time to apply it through the command path (app.place_case, then app.assign_assessor, per row),
  3. rows applied and refused,
  4. the rules the final state breaks, read back from the aggregates (planning.rule_breaks): must be 0.
Every case has an institution (FR.APL.01, carried by FeasibilityReviewed) and every assessor an institution and a
declared trainee of their own, so the conflict-of-interest rules are planned, enforced by the domain and checked.
--limit is the branch's limit of asesi per assessor in one session (default ASESI_PER_ASSESSOR, 10). This is a
benchmark, not a test; it exits 1 if a row was refused or a rule is broken.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import warnings
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

warnings.filterwarnings("ignore", message="Using `httpx`")  # starlette's, from tests.support's import

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from services.scheduling import planning, queries, usecases  # noqa: E402
from services.scheduling.application import SchedulingApp  # noqa: E402
from services.scheduling.domain import ASESI_PER_ASSESSOR, Assessor, Jadwal, ScheduleCase  # noqa: E402
from services.scheduling.projections import PROJECTIONS  # noqa: E402
from shared.display import wib_today  # noqa: E402
from shared.errors import DomainError  # noqa: E402
from shared.eventstore import event_store_env  # noqa: E402
from shared.projector import Projector  # noqa: E402
from shared.readstore import open_read_store  # noqa: E402
from shared.settings import Settings  # noqa: E402
from tests.support.api import envelope, inbox  # noqa: E402

TENANT = "JKT01"
ADMIN = {"id": "bench-admin", "role": "admin_lsp", "name": "Bench Admin"}
SCHEMES = [f"SKM/BENCH/{n}/2025" for n in range(5)]
SLOTS = [("08:00", "12:00"), ("13:00", "17:00")]
DAYS = 5
PARALLEL = 2  # sessions of one scheme at the same time
DATABASE = "lsp_bench_batch"


def log(message: str) -> None:
    print(message, flush=True)


def institution_of_case(n: int) -> str:
    return f"PT Contoh  {n % 7}"  # spelled with two spaces: the rule compares with whitespace collapsed


def extras_of_assessor(n: int) -> tuple[list[str], list[str]]:
    """Institutions (one, in another case) and trainees (asesi it trained) of assessor n."""
    return [f"pt contoh {n % 7}"], [f"asesi-{(n * 13) % 1000:04d}"]


def build(settings: Settings, limit: int, n_assessors: int, n_cases: int) -> tuple[SchedulingApp, list[str]]:
    app = SchedulingApp(env=event_store_env(settings, SchedulingApp.name), asesi_per_assessor=limit)
    for n in range(n_assessors):
        institutions, trainees = extras_of_assessor(n)
        app.register_assessor(TENANT, ADMIN, f"asesor-{n:03d}", f"Asesor {n:03d}", "MET.000.001668.2012",
                              "2035-12-31", [SCHEMES[n % 5], SCHEMES[(n + 2) % 5]], institutions=institutions)
        assessor: Assessor = app.repository.get(Assessor.create_id(TENANT, f"asesor-{n:03d}"))
        for asesi_id in trainees:  # as if declared when declining an earlier case of theirs
            assessor.declare_trainee(actor=ADMIN, asesi_id=asesi_id, case_id="")
        app.save(assessor)
    seats = -(-n_cases // (len(SCHEMES) * DAYS * len(SLOTS) * PARALLEL)) + 1  # a little slack
    first = wib_today() + timedelta(days=7)
    for scheme in SCHEMES:
        for day in range(DAYS):
            for start, end in SLOTS:
                for _ in range(PARALLEL):
                    tuk = app.register_tuk(TENANT, ADMIN, {"nama": f"TUK {scheme} {day}", "jenis": "sewaktu",
                                                           "jarak_jauh": "ya", "kapasitas": str(seats)})
                    app.create_schedule(TENANT, ADMIN, {
                        "skema": scheme, "tanggal": (first + timedelta(days=day)).isoformat(), "mulai": start,
                        "selesai": end, "tuk_id": tuk, "tautan": "https://meet.example.org/uji", "kuota_min": "1",
                        "kuota_maks": str(seats)})
    deliver = inbox(app)
    cases = []
    for n in range(n_cases):
        case_id = str(uuid4())
        scheme = SCHEMES[n % 5]
        deliver.handle(envelope("registration", "FeasibilityReviewed", n + 1, case_id, tenant=TENANT, data={
            "asesi": {"id": f"asesi-{n:04d}", "name": f"Peserta {n:04d}"}, "institution": institution_of_case(n),
            "scheme": {"id": str(uuid4()), "number": scheme, "title": scheme, "version": 1,
                       "units": [{"code": "M.71KKK01.001.1", "title": "Unit 1"}]},
            "invoice_number": f"INV/{TENANT}/2025/{n:05d}", "amount": 3_500_000, "feasible": True, "notes": "",
            "signature": {"sha256": "0" * 64}}))
        cases.append(case_id)
    return app, cases


def final_check(app: SchedulingApp, given: planning.PlanInput, cases: list[str], limit: int) -> list[planning.Break]:
    """The final state read back from the aggregates, checked whole: every case's schedule and assessor as rows
    on empty schedules and idle assessors, and the schedules' own seats against their cases."""
    rows, seats = [], {}
    for case_id in cases:
        case: ScheduleCase = app.repository.get(UUID(case_id))
        if getattr(case, "schedule_id", None) and case.assessor:
            rows.append(planning.Row(case_id, case.schedule_id, case.assessor["id"]))
    for schedule in given.schedules:
        seats[schedule.id] = sorted(app.repository.get(UUID(schedule.id)).seats)
    empty = planning.PlanInput(
        given.cases, [planning.OpenSchedule(s.id, s.skema, s.tanggal, s.mulai, s.selesai, s.kuota_maks)
                      for s in given.schedules],
        [planning.RegistryAssessor(a.user_id, a.name, a.scheme_numbers, a.valid_until, a.status, a.institutions,
                                   a.trainees) for a in given.assessors], per_schedule=limit)
    breaks = planning.rule_breaks(empty, rows)
    seated = {row.case_id: row.schedule_id for row in rows}
    for schedule_id, held in seats.items():
        if held != sorted(c for c, s in seated.items() if s == schedule_id):
            breaks.append(planning.Break("seats_disagree", schedule_id=schedule_id))
    assert all(isinstance(app.repository.get(UUID(s.id)), Jadwal) for s in given.schedules)
    return breaks


def run(settings: Settings, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    app, cases = build(settings, args.limit, args.assessors, args.cases)
    log(f"event store: {settings.resolved_event_store()}")
    log(f"set-up: {args.assessors} assessors, {len(SCHEMES) * DAYS * len(SLOTS) * PARALLEL} schedules, "
        f"{len(cases)} cases opened in {time.perf_counter() - started:.1f} s")
    try:
        store = open_read_store("memory", "bench")
        started = time.perf_counter()
        asyncio.run(Projector(app, store, PROJECTIONS).catch_up())
        log(f"read models projected in {time.perf_counter() - started:.2f} s")
        docs = [asyncio.run(query(store, TENANT)) for query in (queries.list_cases, queries.list_schedules,
                                                                 queries.list_assessors)]
        started = time.perf_counter()
        given = usecases.plan_input(*docs, wib_today(), per_schedule=args.limit)
        plan = planning.propose(given)
        planned_in = time.perf_counter() - started
        log(f"plan computed in {planned_in * 1000:.0f} ms: {len(plan.rows)} rows, {len(plan.unplaced)} not placed "
            f"{sorted({u.reason for u in plan.unplaced})}; rule breaks in the plan: "
            f"{len(planning.rule_breaks(given, plan.rows))}")
        loads = planning.loads(plan).values()
        log(f"  cases per assessor: min {min(loads, default=0)}, max {max(loads, default=0)}")
        started, refused = time.perf_counter(), []
        for row in plan.rows:
            try:
                app.place_case(TENANT, ADMIN, row.schedule_id, row.case_id)
                app.assign_assessor(TENANT, ADMIN, row.case_id, row.assessor_id)
            except DomainError as error:
                refused.append((row, error.message))
        applied_in = time.perf_counter() - started
        log(f"applied through the commands in {applied_in:.1f} s ({len(plan.rows) / applied_in:.0f} rows/s): "
            f"{len(plan.rows) - len(refused)} applied, {len(refused)} refused")
        for row, message in refused[:10]:
            log(f"  refused {row}: {message}")
        breaks = final_check(app, given, cases, args.limit)
        log(f"rule check on the final state read back from the aggregates: {len(breaks)} broken rules")
        for found in breaks[:10]:
            log(f"  {found}")
        return 1 if breaks or refused else 0
    finally:
        app.close()


def drop_database(settings: Settings) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, host=settings.postgres_host, port=settings.postgres_port,
                         user=settings.postgres_user, password=settings.postgres_password or None) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--assessors", type=int, default=100)
    parser.add_argument("--limit", type=int, default=ASESI_PER_ASSESSOR,
                        help="asesi per assessor in one session (the branch's setting)")
    parser.add_argument("--postgres", action="store_true", help=f"event store on PostgreSQL ({DATABASE}, dropped)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as data_dir:
        if not args.postgres:
            return run(Settings(data_dir=Path(data_dir), mode="embedded"), args)
        settings = Settings(data_dir=Path(data_dir), mode="embedded", event_store="postgres", postgres_db=DATABASE)
        drop_database(settings)  # a run interrupted before its clean-up
        try:
            return run(settings, args)
        finally:
            drop_database(settings)


if __name__ == "__main__":
    sys.exit(main())
