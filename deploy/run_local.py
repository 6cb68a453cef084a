"""Run the distributed stack on one machine (needs RabbitMQ and PostgreSQL already running).

    .venv/bin/python deploy/run_local.py [--mongo-standin] [--port 8000] [--data data/local]

Starts, each with LSP_MODE=distributed and its log in <data>/logs/<name>.log:
  - the four services:  nameko run --config deploy/nameko.yaml services.<name>.service
  - the projector:      python -m services.projector registration scheduling assessment certification
  - the gateway:        uvicorn services.gateway.main:app --host 127.0.0.1 --port <port>
                        --http services.gateway.http_protocol:HeadTimeoutProtocol (request-head deadline)
  - with --mongo-standin, first the MongoDB wire-protocol stand-in nx-27017 (own venv,
    .venv-standin, created if missing) and LSP_MONGO_URI pointing at it; otherwise set
    LSP_MONGO_URI to a real MongoDB.
It waits until everything is ready, prints what runs where, and stops it all on Ctrl-C.

Tests use start_stack(env, ports, ...) -> Stack, with stop(), kill(name, sig), restart(name).
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv/bin/python") if (ROOT / ".venv/bin/python").exists() else sys.executable
STANDIN_VENV = ROOT / ".venv-standin"
NAMEKO_CONFIG = ROOT / "deploy/nameko.yaml"
DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672/"


@dataclass
class Ports:
    gateway: int = 8000
    mongo: int = 27017


def tcp_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready after {timeout:g}s")
        time.sleep(interval)


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def queue_consumed(amqp_uri: str, queue: str) -> bool:
    from kombu import Connection
    try:
        with Connection(amqp_uri, connect_timeout=2) as conn:
            return conn.default_channel.queue_declare(queue, passive=True).consumer_count > 0
    except Exception:  # queue not declared yet, or broker away
        return False


def rpc_ready(amqp_uri: str, service: str) -> bool:
    """A nameko service is up when its RPC queue has a consumer."""
    return queue_consumed(amqp_uri, f"rpc-{service}")


def nameko_argv(module: str, config: Path = NAMEKO_CONFIG) -> list[str]:
    return [PYTHON, "-m", "nameko", "run", "--config", str(config), module]


class Process:
    def __init__(self, name: str, argv: list[str], ready: Callable[[], bool], log: Path):
        self.name, self.argv, self.ready, self.log = name, argv, ready, log
        self.popen: subprocess.Popen | None = None
        self.extra_env: dict[str, str] = {}  # e.g. a fault to inject on this start only
        self.log_offset = 0  # where this run's output starts in the (appended) log

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def output(self) -> str:
        """This run's output so far."""
        try:
            with open(self.log, "rb") as log:
                log.seek(self.log_offset)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.output().splitlines()[-lines:])


class Stack:
    """Child processes, each in its own session (so a signal reaches its whole group)."""

    def __init__(self, env: dict[str, str], log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.procs: dict[str, Process] = {}
        log_dir.mkdir(parents=True, exist_ok=True)

    def add(self, name: str, argv: list[str], ready: Callable[[], bool] = lambda: True) -> None:
        self.procs[name] = Process(name, argv, ready, self.log_dir / f"{name}.log")

    def start(self, name: str, extra_env: dict[str, str] | None = None) -> None:
        proc = self.procs[name]
        proc.extra_env = extra_env or {}
        with open(proc.log, "ab") as log:
            proc.log_offset = log.tell()
            proc.popen = subprocess.Popen(proc.argv, cwd=ROOT, env={**self.env, **proc.extra_env}, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, names: Iterable[str] | None = None, timeout: float = 60.0) -> None:
        pending = list(names or self.procs)
        deadline = time.monotonic() + timeout
        while pending:
            for name in list(pending):
                proc = self.procs[name]
                if not proc.alive:
                    raise RuntimeError(f"{name} exited (rc={proc.popen.returncode if proc.popen else None}):"
                                       f"\n{proc.tail()}")
                if proc.ready():
                    pending.remove(name)
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout:g}s: {', '.join(pending)}\n"
                                   + "\n".join(f"--- {n}\n{self.procs[n].tail()}" for n in pending))
            time.sleep(0.1)

    def kill(self, name: str, sig: int = signal.SIGKILL, timeout: float = 15.0) -> int | None:
        """Signal one process group; waits for the exit and returns the exit code."""
        proc = self.procs[name]
        if not proc.alive:
            return proc.popen.returncode if proc.popen else None
        os.killpg(proc.popen.pid, sig)
        try:
            return proc.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.popen.pid, signal.SIGKILL)
            return proc.popen.wait()

    def restart(self, name: str, timeout: float = 60.0, extra_env: dict[str, str] | None = None) -> None:
        self.kill(name, signal.SIGTERM)
        self.start(name, extra_env)
        self.wait_ready([name], timeout)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM all at once (nameko takes a few seconds to drain), then SIGKILL stragglers."""
        running = [p for p in self.procs.values() if p.alive]
        for proc in running:
            try:
                os.killpg(proc.popen.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        for proc in running:
            try:
                proc.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.popen.pid, signal.SIGKILL)
                proc.popen.wait()

    def describe(self) -> str:
        return "\n".join(f"  {p.name:<14} pid {p.popen.pid if p.popen else '-':<8} log {p.log}\n"
                         f"  {'':<14} {' '.join(p.argv)}" for p in self.procs.values())

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def ensure_standin_venv() -> Path:
    exe = STANDIN_VENV / "bin/nx-27017"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(STANDIN_VENV)], check=True)
        subprocess.run([str(STANDIN_VENV / "bin/pip"), "install", "-q", "-r",
                        str(ROOT / "requirements-mongo-standin.txt")], check=True)
    return exe


def check_servers(env: dict[str, str], timeout: float) -> None:
    amqp = urlparse(env.get("LSP_AMQP_URI", DEFAULT_AMQP))
    pg = (env.get("LSP_POSTGRES_HOST", "127.0.0.1"), int(env.get("LSP_POSTGRES_PORT", "5432")))
    wait_for(lambda: tcp_open(amqp.hostname or "127.0.0.1", amqp.port or 5672), timeout,
             f"RabbitMQ at {amqp.hostname}:{amqp.port or 5672}", interval=0.5)
    wait_for(lambda: tcp_open(*pg), timeout, f"PostgreSQL at {pg[0]}:{pg[1]}", interval=0.5)


def start_stack(env: dict[str, str] | None = None, ports: Ports | None = None, *,
                services: Iterable[str] | None = None, projector: bool = True, gateway: bool = True,
                mongo_standin: bool = False, data_dir: Path | None = None,
                ready_timeout: float = 90.0) -> Stack:
    """Start the stack (all four services unless `services` names some) and wait until it is ready.
    `env` is added to os.environ."""
    from services import DEFINITIONS
    definitions = {service.name: service for service in DEFINITIONS}
    ports = ports or Ports()
    data_dir = Path(data_dir or ROOT / "data/local").resolve()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "LSP_MODE": "distributed",
           "LSP_DATA_DIR": str(data_dir), **(env or {})}
    if not env.get("LSP_PRIVACY_MASTER_KEY"):
        # one machine, one data dir: every process shares the generated <data>/privacy-master.key
        env.setdefault("LSP_PRIVACY_INSECURE_DEV_KEY", "true")
    if not (env.get("LSP_SECRET_KEY") and env.get("LSP_PLATFORM_ADMIN_PASSWORD")):
        # the gateway requires both in distributed mode; for development they are generated in the data dir
        for name, value in dev_secrets(data_dir).items():
            env[name] = env.get(name) or value
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    check_servers(env, timeout=30)
    amqp_uri = env.get("LSP_AMQP_URI", DEFAULT_AMQP)
    services = list(definitions if services is None else services)

    stack = Stack(env, data_dir / "logs")
    if mongo_standin:
        env["LSP_MONGO_URI"] = f"mongodb://127.0.0.1:{ports.mongo}"
        # --data-dir: one SQLite file per database; with --db, all databases share tables
        (data_dir / "nx").mkdir(parents=True, exist_ok=True)
        stack.add("mongo-standin", [str(ensure_standin_venv()), "--data-dir", str(data_dir / "nx"),
                                    "--host", "127.0.0.1", "-p", str(ports.mongo),
                                    "--log-file", str(data_dir / "logs/nx-27017.internal.log"),
                                    "--pid-file", str(data_dir / "nx-27017.pid")],
                  lambda: tcp_open("127.0.0.1", ports.mongo))
    for name in services:
        stack.add(name, nameko_argv(definitions[name].nameko_module),
                  lambda name=name: rpc_ready(amqp_uri, name))
    if projector and services:
        stack.add("projector", [PYTHON, "-m", "services.projector", *services],
                  lambda: "projector running" in stack.procs["projector"].output())
    if gateway:
        stack.add("gateway", [PYTHON, "-m", "uvicorn", "services.gateway.main:app", "--host",
                              "127.0.0.1", "--port", str(ports.gateway), "--timeout-graceful-shutdown", "3",
                              "--http", "services.gateway.http_protocol:HeadTimeoutProtocol"],
                  lambda: http_ok(f"http://127.0.0.1:{ports.gateway}/health"))
    try:
        if mongo_standin:  # the projector and the gateway connect to it at start
            stack.start("mongo-standin")
            stack.wait_ready(["mongo-standin"], ready_timeout)
        for name in stack.procs:
            if name != "mongo-standin":
                stack.start(name)
        stack.wait_ready(timeout=ready_timeout)
    except BaseException:
        stack.stop()
        raise
    return stack


def dev_secrets(data_dir: Path) -> dict[str, str]:
    """Token secret and platform admin password kept in the data dir, as embedded mode keeps them."""
    if str(ROOT) not in sys.path:  # run as a script (make distributed): the repository is not on the path
        sys.path.insert(0, str(ROOT))
    from services.gateway.bootstrap import ADMIN_PASSWORD_FILE, local_secrets
    print(f"platform admin password (unless LSP_PLATFORM_ADMIN_PASSWORD is set): {data_dir / ADMIN_PASSWORD_FILE}",
          flush=True)
    return local_secrets(data_dir)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mongo-standin", action="store_true",
                        help="start the nx-27017 MongoDB stand-in and use it as the read store")
    parser.add_argument("--port", type=int, default=8000, help="gateway port")
    parser.add_argument("--mongo-port", type=int, default=27017, help="stand-in port")
    parser.add_argument("--data", type=Path, default=ROOT / "data/local", help="logs, stand-in db")
    args = parser.parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGINT):  # also when started in the background (SIGINT ignored)
        signal.signal(sig, _interrupt)
    print("starting the distributed stack ...", flush=True)
    try:
        stack = start_stack(ports=Ports(args.port, args.mongo_port), mongo_standin=args.mongo_standin,
                            data_dir=args.data)
    except KeyboardInterrupt:
        return 130
    except (RuntimeError, TimeoutError) as error:
        print(f"failed to start: {error}", file=sys.stderr)
        return 1
    print(f"running (LSP_MODE=distributed):\n{stack.describe()}\n"
          f"  gateway        http://127.0.0.1:{args.port}/  (health: /health)\n"
          f"  RabbitMQ       {stack.env.get('LSP_AMQP_URI', DEFAULT_AMQP)}\n"
          f"  read store     {stack.env.get('LSP_MONGO_URI', 'mongodb://127.0.0.1:27017')}\n"
          "Ctrl-C stops everything.", flush=True)
    reported: set[str] = set()
    try:
        while True:
            for proc in stack.procs.values():
                if not proc.alive and proc.name not in reported:
                    reported.add(proc.name)
                    print(f"!! {proc.name} exited (rc={proc.popen.returncode}); see {proc.log}", flush=True)
            time.sleep(1)
    except KeyboardInterrupt:
        print("stopping ...", flush=True)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
