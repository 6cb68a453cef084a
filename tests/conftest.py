"""Fixtures for tests on real servers (integration, distributed e2e): real RabbitMQ (127.0.0.1:5672)
and PostgreSQL (127.0.0.1:5432), no fakes.

Isolation: each session gets its own RabbitMQ vhost and PostgreSQL schema prefix (t<tag>_), both
removed at the end, and a tag in every test service's name. nameko runs in real subprocesses
(`nameko run`, as in production), so this pytest process is never monkey-patched.
Unreachable servers skip these tests, or fail them when CI=true.
"""
import base64
import contextlib
import os
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

import psycopg
import pytest

# Read by the sample services at import, here and in their subprocesses.
TAG = os.environ.setdefault("LSP_IT_TAG", secrets.token_hex(3))

from deploy.run_local import ROOT  # noqa: E402
from shared.settings import Settings  # noqa: E402
from tests.support.driver import ADMIN  # noqa: E402
from tests.support.waiting import HOST, free_port  # noqa: E402,F401 (the integration tests import them from here)
from tests.support.waiting import wait_for as eventually  # noqa: E402,F401

# Every platform a test starts, in this process or as a subprocess, bootstraps the same platform admin
os.environ["LSP_PLATFORM_ADMIN_EMAIL"], os.environ["LSP_PLATFORM_ADMIN_PASSWORD"] = ADMIN

ACTOR = {"id": "it-user", "role": "admin_lsp", "name": "Integration"}


def unavailable(why: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"integration servers required in CI: {why}")
    pytest.skip(why)


@pytest.fixture(scope="session")
def servers() -> None:
    try:
        socket.create_connection((HOST, 5672), timeout=2).close()
    except OSError as error:
        unavailable(f"RabbitMQ not reachable at {HOST}:5672 ({error})")
    try:
        psycopg.connect(host=HOST, port=5432, user="postgres", dbname="postgres", connect_timeout=3).close()
    except psycopg.Error as error:
        unavailable(f"PostgreSQL not reachable at {HOST}:5432 ({error})")


def _rabbitmqctl(*args: str) -> bool:
    if not shutil.which("rabbitmqctl"):
        return False
    return subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, timeout=60).returncode == 0


@pytest.fixture(scope="session")
def vhost(servers: None) -> str | None:
    """A private vhost, deleted with everything in it; None when rabbitmqctl is not usable
    (then names alone keep sessions apart, and queues are left to expire with the broker)."""
    name = f"t{TAG}"
    if not (_rabbitmqctl("add_vhost", name) and _rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")):
        yield None
        return
    yield name
    _rabbitmqctl("delete_vhost", name)


# (kind, name) of durable queues/exchanges the tests make; deleted when there is no private vhost.
CREATED: list[tuple[str, str]] = []


def created(*, queues: tuple[str, ...] = (), exchanges: tuple[str, ...] = ()) -> None:
    CREATED.extend([("queue", q) for q in queues] + [("exchange", e) for e in exchanges])


@pytest.fixture(scope="session")
def amqp_uri(vhost: str | None) -> str:
    uri = f"amqp://guest:guest@{HOST}:5672/{vhost or ''}"
    yield uri
    if vhost is None:
        from kombu import Connection
        with Connection(uri) as conn:
            channel = conn.default_channel
            for kind, name in CREATED:
                try:
                    channel.queue_delete(name) if kind == "queue" else channel.exchange_delete(name)
                except Exception:  # already gone; the channel is then closed, so reopen it
                    channel = conn.channel()


@pytest.fixture(scope="session")
def settings(servers: None, amqp_uri: str) -> Settings:
    prefix = f"t{TAG}_"
    yield Settings(mode="distributed", amqp_uri=amqp_uri, postgres_schema_prefix=prefix,
                   retry_attempts=3, retry_base_delay=0.01)
    with psycopg.connect(host=HOST, user="postgres", dbname=Settings().postgres_db, autocommit=True) as conn:
        schemas = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                               (prefix.replace("_", r"\_") + "%",)).fetchall()
        for (schema,) in schemas:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def it_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("it")


@pytest.fixture(scope="session")
def it_env(settings: Settings, amqp_uri: str, it_dir: Path) -> dict[str, str]:
    """Environment of the service subprocesses: same broker, schemas and tag as this session."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": path,
            "LSP_MODE": "distributed", "LSP_AMQP_URI": amqp_uri,
            "LSP_POSTGRES_SCHEMA_PREFIX": settings.postgres_schema_prefix, "LSP_IT_TAG": TAG,
            "LSP_IT_DIR": str(it_dir), "LSP_RETRY_ATTEMPTS": "2", "LSP_RETRY_BASE_DELAY": "0.05",
            "LSP_DATA_DIR": str(it_dir / "data"), "LSP_READ_DB_PREFIX": f"t{TAG}",
            "LSP_PRIVACY_MASTER_KEY": base64.b64encode(os.urandom(32)).decode()}


@contextlib.contextmanager
def private_vhost(name: str):
    """A RabbitMQ vhost of its own for one stack, so leftover messages never cross stacks."""
    if not (_rabbitmqctl("add_vhost", name) and _rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")):
        unavailable("needs rabbitmqctl to make a private RabbitMQ vhost")
    try:
        yield f"amqp://guest:guest@{HOST}:5672/{name}"
    finally:
        _rabbitmqctl("delete_vhost", name)
