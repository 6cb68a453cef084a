"""Distributed mode: the login throttle and logout hold across gateway processes, on PostgreSQL.

Each Authenticator here has its own IdentityApp (own connection pool) on the identity schema of this
test session, as two gateway processes would.
"""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from fastapi import HTTPException

from services.gateway.authstore import AuthStore
from services.gateway.identity import Authenticator, IdentityApp, build_identity
from shared.errors import Conflict
from tests.integration.shared.test_schema_start_race import race

SYSTEM = {"id": "system", "role": "system", "name": "test"}
PASSWORD = "rahasia123"


@pytest.fixture
def gateways(settings, monkeypatch):
    """Two gateway processes' identity stores and authenticators (argon2 at its cheapest)."""
    monkeypatch.setattr(IdentityApp, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    settings = settings.model_copy(update={"secret_key": "integration-secret-" + "k" * 32})
    apps = [build_identity(settings), build_identity(settings)]
    try:
        apps[0].create_branch(SYSTEM, "JKT01", "LSP Jakarta")
    except Conflict:  # made by an earlier test of this session
        pass
    yield apps, [Authenticator(app, settings) for app in apps], settings
    for app in apps:
        app.close()


def new_user(identity: IdentityApp) -> str:
    email = f"budi.{uuid.uuid4().hex[:8]}@contoh.co.id"
    identity.register(SYSTEM, "JKT01", email, "Budi", "asesi", PASSWORD)
    return email


def status(auth: Authenticator, email: str, password: str, address: str) -> int:
    try:
        auth.login(email, password, address)
    except HTTPException as error:
        return error.status_code
    return 200


def test_parallel_guesses_through_two_gateways_cannot_all_pass_the_check(gateways, monkeypatch):
    apps, auths, settings = gateways
    email = new_user(apps[0])
    verified, lock, gate = [], threading.Lock(), threading.Event()
    for app in apps:
        real = app.hasher

        class Gated:  # wrong guesses wait at the gate, as if argon2 were slow
            hash = real.hash

            @staticmethod
            def verify(password_hash, password, real=real):
                with lock:
                    verified.append(password)
                if password != PASSWORD:
                    gate.wait(10)
                return real.verify(password_hash, password)
        monkeypatch.setattr(app, "hasher", Gated)
    outcomes: dict[int, int] = {}

    def guess(n: int) -> None:
        outcomes[n] = status(auths[n % 2], email, PASSWORD if n == 37 else f"tebakan-{n}", "203.0.113.80")

    with ThreadPoolExecutor(40) as pool:
        for n in range(1, 37):
            pool.submit(guess, n)
        deadline = time.monotonic() + 20
        while len(verified) + list(outcomes.values()).count(429) < 36:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        pool.submit(guess, 37).result(timeout=20)
        gate.set()
    assert len(verified) <= settings.login_max_failures
    assert outcomes[37] == 429


def test_failures_in_one_gateway_lock_the_address_in_the_other(gateways):
    apps, (here, there), settings = gateways
    email = new_user(apps[0])
    for n in range(settings.login_max_failures):
        assert status(here if n % 2 else there, email, "tebakan-salah", "203.0.113.81") == 401
    assert status(here, email, PASSWORD, "203.0.113.81") == 429
    assert status(there, email, PASSWORD, "203.0.113.81") == 429
    assert status(there, email, PASSWORD, "198.51.100.81") == 200  # the owner elsewhere is not locked out


def test_logout_in_one_gateway_ends_the_token_in_the_other(gateways):
    apps, (here, there), _ = gateways
    email = new_user(apps[0])
    token = here.login(email, PASSWORD, "198.51.100.82")
    assert there.authenticate(token).email == email
    assert here.revoke(token)
    with pytest.raises(HTTPException) as refused:
        there.authenticate(token)
    assert refused.value.status_code == 401


def test_gateways_starting_together_create_the_tables_once(settings):
    """Concurrent starters race on CREATE TABLE: each must come up (the advisory lock takes turns)."""
    for round_ in range(3):  # a fresh schema each round: the race is on the first creation only
        fresh = settings.model_copy(update={
            "postgres_schema_prefix": f"{settings.postgres_schema_prefix}auth{round_}{uuid.uuid4().hex[:4]}_"})

        def start(fresh=fresh) -> IdentityApp:
            app = build_identity(fresh)
            AuthStore.for_application(app)
            return app
        apps, failures = race(6, start)
        for app in apps:
            app.close()
        assert failures == [] and len(apps) == 6
