"""Command throughput and cross-service latency of both runtimes, measured on this machine.

    .venv/bin/python bench/throughput.py [--quick] [--only embedded|distributed] [--keep]

For each runtime it measures, in one run:
  1. raw saves/s: eventsourcing save() of a one-event aggregate, one save per command, on the
     database that runtime uses (embedded: an SQLite file; distributed: PostgreSQL, with the
     same shared.eventstore.event_store_env as the services);
  2. HTTP commands/s: POST /api/applications (an asesi submits an application) against the real
     platform, from 1, 4 and 8 concurrent clients (one httpx.Client per client thread);
  3. latency from FeasibilityReviewed being stored (POST .../feasibility returned, after the
     payment is verified and FR.APL.02 signed) until another service's read model shows it
     (GET /api/scheduling/cases/{id} answers 200; the event goes relay -> broker -> scheduling
     inbox -> scheduling store -> scheduling projector -> read store), and, as a reference, until
     registration's own read model shows status "ready_for_scheduling". This runs before 2, while
     the read models are small.

Embedded: `python -m services.gateway.main` as a subprocess on a private port and temporary data
directory (what `make run` starts; cf. tests/support/platform.py EmbeddedPlatform).
Distributed: deploy/run_local.start_stack with the four nameko services, the projector, the
gateway and the nx-27017 Mongo stand-in, on a private RabbitMQ vhost (made with rabbitmqctl),
private PostgreSQL schemas (bench<tag>_*) and read databases (bench<tag>_*), on free ports.
Everything it starts or creates is stopped and removed at the end, also on Ctrl-C or failure.
This is a benchmark, not a test: it asserts nothing about the figures.
"""
from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402
from eventsourcing.domain import event  # noqa: E402

from deploy.run_local import DEFAULT_AMQP, PYTHON, Ports, Stack, start_stack  # noqa: E402
from shared.aggregate import TenantAggregate  # noqa: E402
from shared.eventstore import ServiceApplication, event_store_env  # noqa: E402
from shared.settings import Settings  # noqa: E402
from tests.support.samples import PERSONAL_DATA, tiny_pdf  # noqa: E402

POLL_SLEEP = 0.002  # between read-model polls in the latency phase
CLIENT_LEVELS = (1, 4, 8)
CASE_TIMEOUT = 20.0
LOAD_AT_START = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# 1. raw eventsourcing saves


class BenchItem(TenantAggregate):
    @event("BenchRecorded")
    def __init__(self, tenant: str, actor: dict, n: int):
        self.tenant = tenant
        self.n = n


class BenchRawApp(ServiceApplication):
    name = "benchraw"
    commands = ()

    def policies(self) -> dict:
        return {}


ACTOR = {"id": "bench", "role": "system", "name": "bench"}


def raw_saves(settings: Settings, n: int, threads: int = 1) -> float:
    """Saves per second: n new one-event aggregates, one save() each (after a short warm-up)."""
    app = BenchRawApp(env=event_store_env(settings, BenchRawApp.name))
    try:
        for i in range(20):
            app.save(BenchItem(tenant="BENCH", actor=ACTOR, n=-i))
        per_thread = max(1, n // threads)

        def work(_: int) -> None:
            for i in range(per_thread):
                app.save(BenchItem(tenant="BENCH", actor=ACTOR, n=i))

        started = time.perf_counter()
        if threads == 1:
            work(0)
        else:
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(work, range(threads)))
        return per_thread * threads / (time.perf_counter() - started)
    finally:
        app.close()


# ----------------------------------------------------------------------------------------------
# CPU accounting (read-only, from /proc): where the machine's time goes during a burst

CLK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    head, _, rest = text.rpartition(")")
    return [head.split(" (", 1)[-1], *rest.split()]  # [comm, state, ppid, pgrp, session, ...]


def cpu_by_group(sessions: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of: each named session (our children), postgres, rabbitmq, this process."""
    out = {name: 0.0 for name in [*sessions, "postgres", "rabbitmq"]}
    by_sid = {sid: name for name, sid in sessions.items()}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        fields = _stat(pid)
        if fields is None:
            continue
        comm, session = fields[0], int(fields[4])
        seconds = (int(fields[12]) + int(fields[13])) / CLK  # utime, stime
        if session in by_sid:
            out[by_sid[session]] += seconds
        elif comm.startswith("postgres") or comm == "postmaster":
            out["postgres"] += seconds
        elif comm in ("beam.smp", "erl_child_setup", "epmd", "inet_gethost"):
            out["rabbitmq"] += seconds
    times = os.times()
    out["bench client"] = times.user + times.system
    return out


def machine_busy() -> float:
    """CPU seconds the whole machine spent busy so far (user, nice, system, irq, softirq)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return (sum(values[:3]) + values[5] + values[6]) / CLK


@dataclass
class CpuWindow:
    sessions: dict[str, int]
    start: dict[str, float] = field(default_factory=dict)
    busy0: float = 0.0
    result: dict[str, float] = field(default_factory=dict)
    busy: float = 0.0
    wall: float = 0.0

    def __enter__(self) -> CpuWindow:
        self.start, self.busy0, self.wall = cpu_by_group(self.sessions), machine_busy(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        end = cpu_by_group(self.sessions)
        self.wall = time.perf_counter() - self.wall
        self.result = {k: end[k] - self.start.get(k, 0.0) for k in end}
        self.busy = machine_busy() - self.busy0

    def per_command(self, commands: int) -> str:
        """CPU per command of each process group (kernel ticks: coarse for short windows)."""
        parts = [f"{name} {1000 * secs / commands:.2f}" for name, secs in
                 sorted(self.result.items(), key=lambda kv: -kv[1]) if secs > 0.005]
        cores = self.busy / self.wall if self.wall else 0.0
        return (f"CPU ms/command: {', '.join(parts)}; machine busy {cores:.2f} of {os.cpu_count()} cores, "
                f"{self.other_cores:.2f} of them in processes not listed")

    @property
    def other_cores(self) -> float:
        """Cores used by processes that are not this benchmark's (other work on the machine)."""
        return max(0.0, self.busy - sum(self.result.values())) / self.wall if self.wall else 0.0


# ----------------------------------------------------------------------------------------------
# the platform over HTTP (what tests/support/driver.py does, kept here so the benchmark does not
# depend on the test suite)


@dataclass
class Actors:
    admin: dict[str, str]  # headers of the branch's admin_lsp
    asesi: dict[str, str]
    scheme_id: str


def login(http: httpx.Client, email: str, password: str) -> dict[str, str]:
    response = http.post("/api/auth/token", data={"username": email, "password": password})
    expect(response, 200)
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def expect(response: httpx.Response, status: int) -> Any:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: "
                           f"{response.status_code} {response.text[:300]}")
    return response.json()


def set_up_branch(url: str, code: str) -> Actors:
    """Platform admin opens a branch (seeded with a scheme) and its admin_lsp; an asesi signs up."""
    settings = Settings()
    with httpx.Client(base_url=url, timeout=30) as http:
        root = login(http, settings.platform_admin_email, settings.platform_admin_password)
        expect(http.post("/api/branches", json={"code": code, "name": f"LSP Bench {code}"}, headers=root), 201)
        email = f"admin_lsp.{code.lower()}@bench.example.com"
        expect(http.post(f"/api/branches/{code}/users", headers=root, json={
            "email": email, "name": f"Admin {code}", "password": "rahasia123", "role": "admin_lsp"}), 201)
        admin = login(http, email, "rahasia123")
        asesi_email = f"asesi.{code.lower()}@bench.example.com"
        expect(http.post("/api/auth/register", json={"branch": code, "email": asesi_email,
                                                     "name": "Budi Santoso", "password": "rahasia123"}), 201)
        asesi = login(http, asesi_email, "rahasia123")
        deadline = time.monotonic() + 30
        while not (schemes := expect(http.get("/api/schemes", headers=asesi), 200)):
            if time.monotonic() > deadline:
                raise RuntimeError("the seeded scheme never reached the read model")
            time.sleep(0.05)
        return Actors(admin, asesi, schemes[0]["id"])


@dataclass
class Burst:
    clients: int
    commands: int
    seconds: float
    errors: int
    latencies: list[float]
    cpu: str
    other_cores: float
    last_ids: list[str]

    @property
    def rate(self) -> float:
        return self.commands / self.seconds


def submit_burst(url: str, actors: Actors, n: int, clients: int, sessions: dict[str, int]) -> Burst:
    """n POST /api/applications from `clients` threads, each with its own httpx.Client."""
    per_client = max(1, n // clients)
    body = {"scheme_id": actors.scheme_id, "purpose": "Sertifikasi"}
    ready = threading.Barrier(clients + 1)
    go = threading.Event()
    results: list[tuple[list[float], int, str]] = [([], 0, "")] * clients

    def client(index: int) -> None:
        latencies, errors, last = [], 0, ""
        try:
            with httpx.Client(base_url=url, timeout=60, headers=actors.asesi) as http:
                http.get("/health")  # connect before the clock starts
                ready.wait(timeout=60)
                go.wait()
                for _ in range(per_client):
                    t = time.perf_counter()
                    response = http.post("/api/applications", json=body)
                    latencies.append(time.perf_counter() - t)
                    if response.status_code == 201:
                        last = response.json()["id"]
                    else:
                        errors += 1
        except Exception as error:  # counted; the burst's figures say how many were lost
            if not _interrupted:
                log(f"client {index}: {type(error).__name__}: {error}")
            ready.abort()
            errors += per_client - len(latencies) + (1 if latencies else 0)
        results[index] = (latencies, errors, last)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    try:
        ready.wait(timeout=60)
    except threading.BrokenBarrierError:
        pass
    with CpuWindow(sessions) as cpu:
        started = time.perf_counter()
        go.set()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    latencies = sorted(x for r in results for x in r[0])
    return Burst(clients, per_client * clients, seconds, sum(r[1] for r in results), latencies,
                 cpu.per_command(per_client * clients), cpu.other_cores, [r[2] for r in results if r[2]])


def wait_visible(url: str, headers: dict[str, str], case_ids: list[str], timeout: float = 120.0) -> float:
    """Seconds until every client's last application is in the read model (it caught up)."""
    started = time.perf_counter()
    with httpx.Client(base_url=url, timeout=30, headers=headers) as http:
        for case_id in case_ids:
            while http.get(f"/api/applications/{case_id}").status_code != 200:
                if time.perf_counter() - started > timeout:
                    raise RuntimeError(f"application {case_id} not in the read model after {timeout:g}s")
                time.sleep(0.01)
    return time.perf_counter() - started


@dataclass
class Latencies:
    cross: list[float] = field(default_factory=list)  # scheduling read model (another service)
    own: list[float] = field(default_factory=list)    # registration read model (same service)
    cycle: list[float] = field(default_factory=list)  # time between two polls of one endpoint
    get: list[float] = field(default_factory=list)    # one GET round trip
    failures: int = 0


def paid_but_unverified(asesi: httpx.Client, admin: httpx.Client, body: dict[str, str]) -> str:
    """FR.APL.01 through the API: draft, Bagian 1, documents, sign; verified and accepted; paid."""
    case = expect(asesi.post("/api/applications", json=body), 201)["id"]
    expect(asesi.put(f"/api/applications/{case}/personal-data", json=PERSONAL_DATA), 200)
    requirements = expect(asesi.get(f"/api/applications/{case}"), 200)["documents"]
    for requirement in requirements:
        expect(asesi.post(f"/api/applications/{case}/requirements/{requirement['code']}",
                          files={"file": ("bukti.pdf", tiny_pdf(requirement["code"]), "application/pdf")}), 200)
    expect(asesi.post(f"/api/applications/{case}/submit", json={}), 200)
    wait_status(admin, case, "submitted")
    for requirement in requirements:
        expect(admin.post(f"/api/applications/{case}/requirements/{requirement['code']}/verdict",
                          json={"verdict": "memenuhi"}), 200)
    invoice = expect(admin.post(f"/api/applications/{case}/recommend",
                                json={"recommendation": "diterima"}), 200)["invoice"]
    expect(asesi.post(f"/api/applications/{case}/payment-proof", data={"reference": "TRF-BENCH",
                      "amount": str(invoice["amount"])},
                      files={"file": ("transfer.pdf", tiny_pdf("transfer"), "application/pdf")}), 200)
    return case


def wait_status(http: httpx.Client, case: str, status: str) -> None:
    deadline = time.monotonic() + CASE_TIMEOUT
    while (response := http.get(f"/api/applications/{case}")).status_code != 200 or \
            response.json()["status"] != status:
        if time.monotonic() > deadline:
            raise RuntimeError(f"application {case} never reached {status}")
        time.sleep(0.01)


def measure_latency(url: str, actors: Actors, cases: int) -> Latencies:
    """Per case: the full FR.APL.01 to a payment proof, verified, FR.APL.02 signed; then time the
    feasibility review -> both read models."""
    out = Latencies()
    body = {"scheme_id": actors.scheme_id, "purpose": "Sertifikasi"}
    with httpx.Client(base_url=url, timeout=30, headers=actors.asesi) as asesi, \
            httpx.Client(base_url=url, timeout=30, headers=actors.admin) as admin:
        scheme = expect(asesi.get(f"/api/schemes/{actors.scheme_id}"), 200)
        answers = [{"unit_code": u["code"], "element_no": str(e["number"]), "answer": "K"}
                   for u in scheme["units"] for e in u.get("elements") or []]
        answers += [{"unit_code": u["code"], "element_no": None, "answer": "K"}
                    for u in scheme["units"] if not u.get("elements")]
        for _ in range(cases):
            case = paid_but_unverified(asesi, admin, body)
            expect(admin.post(f"/api/applications/{case}/verify-payment", json={}), 200)
            expect(asesi.put(f"/api/applications/{case}/self-assessment", json={"answers": answers}), 200)
            expect(asesi.post(f"/api/applications/{case}/self-assessment/submit", json={}), 200)
            expect(admin.post(f"/api/applications/{case}/feasibility", json={"feasible": True}), 200)
            t0 = time.perf_counter()  # FeasibilityReviewed is stored: the command returned
            cross = own = None
            last_poll: dict[str, float] = {}
            while cross is None or own is None:
                now = time.perf_counter()
                if now - t0 > CASE_TIMEOUT:
                    out.failures += 1
                    break
                if cross is None:
                    cross = _poll(admin, f"/api/scheduling/cases/{case}", None, t0, last_poll, out)
                if own is None:
                    own = _poll(admin, f"/api/applications/{case}", "ready_for_scheduling", t0, last_poll, out)
                time.sleep(POLL_SLEEP)
            else:
                out.cross.append(cross)
                out.own.append(own)
    return out


def _poll(http: httpx.Client, path: str, status: str | None, t0: float,
          last_poll: dict[str, float], out: Latencies) -> float | None:
    """One GET; the seconds since t0 at which the answer showed the effect, else None."""
    sent = time.perf_counter()
    if path in last_poll:
        out.cycle.append(sent - last_poll[path])
    last_poll[path] = sent
    response = http.get(path)
    received = time.perf_counter()
    out.get.append(received - sent)
    if response.status_code == 200 and (status is None or response.json().get("status") == status):
        return received - t0
    return None


# ----------------------------------------------------------------------------------------------
# the two runtimes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmbeddedProcess:
    """`python -m services.gateway.main` (the README's `make run`) on a private port and data dir,
    in its own session so that a Ctrl-C reaches it only through stop()."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "platform.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items()
               if k not in ("LSP_EVENT_STORE", "LSP_BROKER_URI", "LSP_READ_STORE_URI")}
        env.update(LSP_MODE="embedded", LSP_DATA_DIR=str(self.data_dir), LSP_PORT=str(self.port),
                   PYTHONUNBUFFERED="1")
        with open(self.log_path, "ab") as out:
            self.popen = subprocess.Popen([PYTHON, "-m", "services.gateway.main"], cwd=ROOT, env=env,
                                          stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"embedded platform exited (rc={self.popen.returncode}):\n{self.tail()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"embedded platform not ready after 90s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        except ProcessLookupError:
            pass


_interrupted = False
_cleaning = 0


def _interrupt(signum: int, _: object) -> None:
    """First Ctrl-C / SIGTERM: unwind, stopping everything started. Never during a cleanup step,
    and later signals do not cut the cleanup short."""
    global _interrupted
    if _interrupted or _cleaning:
        _interrupted = True
        log("stopping what this run started; please wait")
        return
    _interrupted = True
    raise KeyboardInterrupt


def shielded(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], None]:
    """A cleanup step that a Ctrl-C cannot interrupt halfway."""
    def step() -> None:
        global _cleaning
        _cleaning += 1
        try:
            fn(*args, **kwargs)
        finally:
            _cleaning -= 1
    return step


def rabbitmqctl(*args: str) -> bool:
    if not shutil.which("rabbitmqctl"):
        return False
    try:
        return subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, timeout=60).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def private_vhost(name: str, cleanup: ExitStack) -> str:
    """A RabbitMQ vhost of our own (as tests/conftest.py makes), deleted at cleanup."""
    cleanup.callback(shielded(delete_vhost, name))
    if not (rabbitmqctl("add_vhost", name) and rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")):
        raise RuntimeError("cannot make a private RabbitMQ vhost with rabbitmqctl; the distributed "
                           "benchmark does not run on a shared vhost")
    base = urlparse(os.environ.get("LSP_AMQP_URI", DEFAULT_AMQP))
    return urlunparse(base._replace(path=f"/{name}"))


def delete_vhost(name: str) -> None:
    if not rabbitmqctl("delete_vhost", name):  # also when it was never made
        log(f"note: rabbitmqctl delete_vhost {name} failed (check `rabbitmqctl list_vhosts`)")


def drop_schemas(prefix: str) -> None:
    settings = Settings()
    try:
        with psycopg.connect(host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
                             password=settings.postgres_password, dbname=settings.postgres_db,
                             autocommit=True, connect_timeout=5) as conn:
            like = prefix.replace("_", r"\_") + "%"
            for (schema,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (like,)).fetchall():
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            log(f"WARNING: could not drop PostgreSQL schemas {prefix}*: {error}")


# ----------------------------------------------------------------------------------------------


@dataclass
class Result:
    runtime: str
    database: str
    raw: float = 0.0
    raw_threads: float = 0.0
    raw_threads_n: int = 4
    bursts: list[Burst] = field(default_factory=list)
    catch_up: float = 0.0
    repeat: Burst | None = None  # 1 client again, after every other burst (growth effects)
    latency: Latencies | None = None
    idle_cpu: str = ""
    idle_get: dict[str, float] = field(default_factory=dict)  # path -> p50 ms on an idle system
    applications: int = 0


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * p // 100)))
    return 1000 * ordered[int(rank) - 1]


def idle_figures(result: Result, url: str, actors: Actors, case_id: str, sessions: dict[str, int]) -> None:
    """CPU the runtime burns doing nothing, and GET round trips on a quiet system."""
    time.sleep(1.0)
    with CpuWindow(sessions) as cpu:
        time.sleep(3.0)
    parts = [f"{name} {100 * secs / cpu.wall:.1f}%" for name, secs in
             sorted(cpu.result.items(), key=lambda kv: -kv[1]) if secs > 0.005 and name != "bench client"]
    result.idle_cpu = ", ".join(parts) or "none measurable"
    with httpx.Client(base_url=url, timeout=30, headers=actors.asesi) as http:
        for path in ("/health", f"/api/applications/{case_id}"):
            times = []
            for _ in range(60):
                t = time.perf_counter()
                expect(http.get(path), 200)
                times.append(time.perf_counter() - t)
                time.sleep(0.005)
            result.idle_get[path.replace(case_id, "{id}")] = pct(times[10:], 50)


def drive(result: Result, url: str, tag: str, n: int, cases: int, sessions: dict[str, int]) -> None:
    log(f"{result.runtime}: setting up a branch, its admin_lsp and an asesi over HTTP")
    actors = set_up_branch(url, f"B{tag[:6].upper()}")
    log(f"{result.runtime}: warming up (threadpool, connections, RPC proxies)")
    warm = submit_burst(url, actors, 32, 8, sessions)
    wait_visible(url, actors.asesi, warm.last_ids)  # drafts: their owner sees them
    result.applications = warm.commands
    idle_figures(result, url, actors, warm.last_ids[0], sessions)
    log(f"{result.runtime}: idle CPU {result.idle_cpu}")
    # latency first, while the read models are small: embedded mongomock answers a lookup by id
    # in time proportional to the collection, which would otherwise coarsen the polling
    log(f"{result.runtime}: measuring {cases} cases feasibility review -> read models")
    result.latency = measure_latency(url, actors, cases)
    result.applications += cases
    log(f"{result.runtime}: cross-service p50 {pct(result.latency.cross, 50):.1f} ms; bursts of {n} commands")
    for clients in (*CLIENT_LEVELS, 1):
        burst = submit_burst(url, actors, n, clients, sessions)
        result.applications += burst.commands
        if len(result.bursts) < len(CLIENT_LEVELS):
            result.bursts.append(burst)
        else:
            result.repeat = burst
        catch_up = wait_visible(url, actors.asesi, burst.last_ids)
        result.catch_up = max(result.catch_up, catch_up)
        log(f"{result.runtime}: {clients} client(s): {burst.commands} commands in {burst.seconds:.2f}s = "
            f"{burst.rate:.0f}/s, {burst.errors} errors; read model caught up {1000 * catch_up:.0f} ms later")
        time.sleep(0.5)  # let relays and projectors settle before the next level


def run_embedded(n: int, cases: int, raw_n: int, keep: bool) -> Result:
    result = Result("embedded", "SQLite file (WAL)")
    with ExitStack() as cleanup:
        tmp = Path(tempfile.mkdtemp(prefix="lsp-bench-embedded-"))
        if keep:
            log(f"embedded: keeping {tmp}")
        else:
            cleanup.callback(shielded(shutil.rmtree, tmp, ignore_errors=True))
        log(f"embedded: raw saves on SQLite ({raw_n})")
        result.raw = raw_saves(Settings(data_dir=tmp / "raw"), raw_n)
        result.raw_threads = raw_saves(Settings(data_dir=tmp / "raw4"), raw_n, threads=result.raw_threads_n)
        log(f"embedded: {result.raw:.0f} saves/s sequential, {result.raw_threads:.0f}/s from "
            f"{result.raw_threads_n} threads; starting the platform")
        platform_proc = EmbeddedProcess(tmp / "data")
        platform_proc.data_dir.mkdir(parents=True)
        cleanup.callback(shielded(platform_proc.stop))
        platform_proc.start()
        try:
            drive(result, platform_proc.url, secrets.token_hex(3), n, cases, {"platform": platform_proc.popen.pid})
        except Exception:
            log(f"embedded platform log (tail):\n{platform_proc.tail()}")
            raise
    return result


def run_distributed(n: int, cases: int, raw_n: int, keep: bool) -> Result:
    tag = secrets.token_hex(3)
    prefix = f"bench{tag}_"
    result = Result("distributed", "PostgreSQL")
    with ExitStack() as cleanup:
        tmp = Path(tempfile.mkdtemp(prefix="lsp-bench-distributed-"))
        if keep:
            log(f"distributed: keeping {tmp}")
        else:
            cleanup.callback(shielded(shutil.rmtree, tmp, ignore_errors=True))
        cleanup.callback(shielded(drop_schemas, prefix))  # runs after the stack stopped (LIFO)
        log(f"distributed: raw saves on PostgreSQL schema {prefix}benchraw ({raw_n})")
        raw_settings = Settings(mode="distributed", postgres_schema_prefix=prefix)
        result.raw = raw_saves(raw_settings, raw_n)
        result.raw_threads = raw_saves(Settings(mode="distributed", postgres_schema_prefix=prefix + "t"),
                                       raw_n, threads=result.raw_threads_n)
        log(f"distributed: {result.raw:.0f} saves/s sequential, {result.raw_threads:.0f}/s from "
            f"{result.raw_threads_n} threads")
        amqp_uri = private_vhost(f"bench{tag}", cleanup)
        ports = Ports(gateway=free_port(), mongo=free_port())
        env = {"LSP_AMQP_URI": amqp_uri, "LSP_POSTGRES_SCHEMA_PREFIX": prefix,
               "LSP_READ_DB_PREFIX": f"bench{tag}", "LSP_LOG_LEVEL": "WARNING"}
        for name in ("LSP_EVENT_STORE", "LSP_BROKER_URI", "LSP_READ_STORE_URI"):
            env[name] = ""  # start_stack adds os.environ; these must come from the mode
        log(f"distributed: starting the stack (vhost bench{tag}, gateway :{ports.gateway}, "
            f"stand-in :{ports.mongo})")
        stack: Stack = start_stack(env, ports, mongo_standin=True, data_dir=tmp / "data", ready_timeout=120)
        cleanup.callback(shielded(stack.stop))
        sessions = {name: proc.popen.pid for name, proc in stack.procs.items()}
        try:
            drive(result, f"http://127.0.0.1:{ports.gateway}", tag, n, cases, sessions)
        except Exception:
            for proc in stack.procs.values():
                log(f"--- {proc.name} (alive={proc.alive}):\n{proc.tail(15)}")
            raise
    return result


def report(results: list[Result], plan: dict[str, tuple[int, int, int]], quick: bool, elapsed: float) -> str:
    def ms3(values: list[float]) -> str:
        return f"{pct(values, 50):.1f} / {pct(values, 99):.1f} / {pct(values, 100):.1f}"

    sizes = "; ".join(f"{r.runtime} N = {r.bursts[0].commands if r.bursts else plan[r.runtime][0]}, "
                      f"M = {len((r.latency or Latencies()).cross)}, raw saves = {plan[r.runtime][2]}"
                      for r in results)
    lines = [
        "",
        "LSP platform benchmark" + (" (--quick: small N and M, a smoke run)" if quick else ""),
        f"machine: {os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}, "
        f"{platform.platform()}; load average at start {LOAD_AT_START}",
        f"sizes: {sizes} (N = POST /api/applications per client level, M = cases timed for latency)",
        "",
    ]
    header = (f"{'runtime':<12} {'raw saves/s':>11}   {'HTTP cmd/s (1 / 4 / 8 clients)':<30}  "
              f"{'ratio':>5}   {'cross-service p50 / p99 / max ms':<32}   {'own read model p50 / p99 ms':<27}")
    lines += [header, "-" * len(header)]
    for r in results:
        rates = " / ".join(f"{b.rate:.0f}" for b in r.bursts)
        ratio = r.bursts[0].rate / r.raw if r.bursts and r.raw else float("nan")
        lat = r.latency or Latencies()
        own = f"{pct(lat.own, 50):.1f} / {pct(lat.own, 99):.1f}"
        lines.append(f"{r.runtime:<12} {r.raw:>11.0f}   {rates:<30}  {ratio:>5.2f}   {ms3(lat.cross):<32}   {own:<27}")
    lines += [
        "",
        "raw saves/s: eventsourcing save() of a new one-event aggregate, sequential, on the runtime's database.",
        "ratio: HTTP commands/s with 1 client / raw saves/s (both sequential, same database).",
        "cross-service: feasibility returned (FeasibilityReviewed stored) -> GET /api/scheduling/cases/{id} 200.",
        "own read model: the same moment -> GET /api/applications/{id} shows 'ready_for_scheduling' (its own).",
    ]
    for r in results:
        lat = r.latency or Latencies()
        lines += ["", f"{r.runtime} ({r.database}):",
                  f"  raw save(): {r.raw:.0f}/s sequential, {r.raw_threads:.0f}/s from {r.raw_threads_n} threads"]
        if r.bursts:
            best = max(r.bursts, key=lambda b: b.rate)
            who = f"{best.clients} client" + ("s" if best.clients > 1 else "")
            lines.append(f"  best HTTP: {best.rate:.0f} cmd/s ({who}) = {best.rate / r.raw:.2f} x "
                         f"sequential raw, {best.rate / r.raw_threads:.2f} x threaded raw")
        for b in [*r.bursts, *([r.repeat] if r.repeat else [])]:
            label = f"{b.clients} client(s)" if b is not r.repeat else "1 client, again after all the above"
            lines.append(f"  {label}: {b.commands} commands in {b.seconds:.2f}s = {b.rate:.0f}/s, {b.errors} errors; "
                         f"request p50 {pct(b.latencies, 50):.1f} ms, p99 {pct(b.latencies, 99):.1f} ms")
            lines.append(f"      {b.cpu}")
        lines.append(f"  registration read model caught up with a burst at most {1000 * r.catch_up:.0f} ms "
                     f"after its last command returned; {r.applications} applications submitted in all")
        lines.append(f"  idle (3 s, no requests): CPU {r.idle_cpu}")
        lines.append("  idle GET round trip p50: " + ", ".join(f"{p} {ms:.1f} ms" for p, ms in r.idle_get.items()))
        lines.append(f"  latency, {len(lat.cross)} cases ({lat.failures} timed out after {CASE_TIMEOUT:g}s), "
                     f"min / p50 / p90 / p99 / max ms:")
        for label, values in (("cross-service (scheduling read model)", lat.cross),
                              ("own read model (registration)", lat.own)):
            lines.append(f"      {label:<40}" + " / ".join(f"{pct(values, p):.1f}" for p in (0, 50, 90, 99, 100)))
        lines.append(f"  resolution: both read models polled alternately, {1000 * POLL_SLEEP:.0f} ms sleep between "
                     f"rounds; each endpoint re-polled every {pct(lat.cycle, 50):.1f} ms (p50; p99 "
                     f"{pct(lat.cycle, 99):.1f}); a GET took {pct(lat.get, 50):.1f} ms (p50).")
        lines.append("      Each figure is when the first positive answer arrived: an upper bound, late by at most "
                     "one poll cycle.")
    other = max((b.other_cores for r in results for b in [*r.bursts, *([r.repeat] if r.repeat else [])]),
                default=0.0)
    if other > 0.2:
        lines += ["", f"NOTE: other processes on this machine used up to {other:.2f} cores during a burst; "
                      "the figures are disturbed by that load."]
    lines += ["", f"total run time {elapsed:.0f}s"]
    return "\n".join(lines)




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small N and M: a smoke run of a few seconds")
    parser.add_argument("--only", choices=("embedded", "distributed"), help="run one runtime only")
    parser.add_argument("-n", type=int, help="commands per client level (default 500 embedded, 400 distributed)")
    parser.add_argument("-m", type=int, help="latency cases (default 100 embedded, 60 distributed)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directories and logs")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    # every platform started here bootstraps this admin, and set_up_branch logs in with it
    os.environ.setdefault("LSP_PLATFORM_ADMIN_PASSWORD", secrets.token_urlsafe(18))
    # one bench asesi opens every draft (a real asesi holds a few at once: LSP_ASESI_MAX_DRAFTS)
    os.environ.setdefault("LSP_ASESI_MAX_DRAFTS", "1000000")

    plan = {"embedded": (500, 100, 2000), "distributed": (400, 60, 1000)}  # N, M, raw saves
    if args.quick:
        plan = {"embedded": (40, 10, 200), "distributed": (40, 10, 200)}
    plan = {k: (args.n or n, args.m or m, raw) for k, (n, m, raw) in plan.items()}
    started = time.perf_counter()
    results: list[Result] = []
    failed = False
    try:
        for name in [args.only] if args.only else ["embedded", "distributed"]:
            run = run_embedded if name == "embedded" else run_distributed
            try:
                results.append(run(*plan[name], args.keep))
            except Exception as error:
                log(f"{name} FAILED: {type(error).__name__}: {error}")
                failed = True
    except KeyboardInterrupt:
        log("interrupted; everything this run started has been stopped")
        return 130
    if _interrupted:
        log("interrupted; everything this run started has been stopped")
        return 130
    if results:
        print(report(results, plan, args.quick, time.perf_counter() - started), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
