"""The login throttle (services/gateway/throttle.py) against the attacks a probe found on the old one."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import HTTPException
from starlette.requests import Request

from services.gateway.identity import Authenticator, build_identity
from services.gateway.throttle import client_address
from tests.support.samples import TENANT
from tests.support.waiting import wait_for as eventually

SYSTEM = {"id": "system", "role": "system", "name": "test"}
EMAIL, PASSWORD = "budi@contoh.co.id", "rahasia123"
OWNER, STRANGER = "198.51.100.20", "203.0.113.66"
pytestmark = pytest.mark.usefixtures("fast_hashing")


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def auth(identity, gateway, clock):
    identity.register(SYSTEM, TENANT, EMAIL, "Budi", "asesi", PASSWORD)
    return Authenticator(identity, gateway, clock)


def attempt(auth, password: str, address: str, email: str = EMAIL) -> int:
    """The HTTP status the login would answer."""
    try:
        auth.login(email, password, address)
    except HTTPException as error:
        return error.status_code
    return 200


def retry_after(auth, address: str, email: str = EMAIL) -> int:
    with pytest.raises(HTTPException) as refused:
        auth.login(email, PASSWORD, address)
    assert refused.value.status_code == 429
    return int(refused.value.headers["Retry-After"])


class GatedVerifier:
    """The real verify, counting calls; wrong guesses wait at a gate, as if argon2 were slow."""

    def __init__(self, hasher):
        self.hasher, self.calls, self.gate = hasher, 0, threading.Event()
        self.lock = threading.Lock()

    def hash(self, password):
        return self.hasher.hash(password)

    def verify(self, password_hash, password):
        with self.lock:
            self.calls += 1
        if password != PASSWORD:
            self.gate.wait(10)
        return self.hasher.verify(password_hash, password)


def test_forty_parallel_guesses_cannot_all_pass_the_check(identity, auth, gateway, monkeypatch):
    """36 wrong guesses in flight, then the right password as guess 37: it must not get a token."""
    verifier = GatedVerifier(identity.hasher)
    monkeypatch.setattr(identity, "hasher", verifier)
    outcomes: dict[int, int] = {}

    def guess(n: int) -> None:
        outcomes[n] = attempt(auth, PASSWORD if n == 37 else f"tebakan-{n:02d}", STRANGER)

    with ThreadPoolExecutor(40) as pool:
        for n in range(1, 37):
            pool.submit(guess, n)
        eventually(lambda: verifier.calls + list(outcomes.values()).count(429) >= 36)
        pool.submit(guess, 37).result(timeout=10)
        for n in range(38, 41):
            pool.submit(guess, n)
        verifier.gate.set()
    assert verifier.calls <= gateway.login_max_failures
    assert outcomes[37] == 429
    assert sorted(set(outcomes.values())) == [401, 429]


def test_a_stranger_cannot_lock_the_owner_out(auth, gateway):
    for _ in range(gateway.login_max_failures):
        assert attempt(auth, "tebakan-salah", STRANGER) == 401
    assert retry_after(auth, STRANGER) == gateway.login_lock_seconds  # the guesser's own address waits
    assert attempt(auth, PASSWORD, OWNER) == 200  # the owner, elsewhere, does not


def test_the_platform_admin_cannot_be_locked_out_either(identity, gateway, clock):
    identity.ensure_platform_admin("admin@platform.local", "Kuat-Sekali-2025")
    auth = Authenticator(identity, gateway, clock)
    for _ in range(gateway.login_max_failures + 3):
        attempt(auth, "admin12345", STRANGER, "admin@platform.local")
    assert attempt(auth, "Kuat-Sekali-2025", OWNER, "admin@platform.local") == 200


def test_the_owners_own_mistakes_lock_their_address_until_the_lock_is_over(auth, gateway, clock):
    for _ in range(gateway.login_max_failures):
        assert attempt(auth, "lupa-sandi-1", OWNER) == 401
    assert retry_after(auth, OWNER) == gateway.login_lock_seconds  # even the right password waits
    clock.now += gateway.login_lock_seconds - 1
    assert retry_after(auth, OWNER) == 1
    clock.now += 1
    assert attempt(auth, PASSWORD, OWNER) == 200


def test_a_successful_login_forgets_the_mistakes_before_it(auth, gateway):
    for _ in range(gateway.login_max_failures - 1):
        assert attempt(auth, "lupa-sandi-1", OWNER) == 401
    assert attempt(auth, PASSWORD, OWNER) == 200
    for _ in range(gateway.login_max_failures - 1):
        assert attempt(auth, "lupa-sandi-2", OWNER) == 401
    assert attempt(auth, PASSWORD, OWNER) == 200


def test_guesses_spread_over_many_addresses_only_slow_the_account_down(auth, gateway, clock):
    """The per-account ceiling: the owner waits a minute at most, however many addresses guess."""
    for n in range(gateway.login_account_max_failures):
        assert attempt(auth, "tebakan-salah", f"192.0.2.{n + 1}") == 401
    wait = retry_after(auth, OWNER)
    assert 0 < wait <= gateway.login_account_wait_seconds <= 60
    clock.now += wait
    assert attempt(auth, PASSWORD, OWNER) == 200


def test_one_address_spraying_many_accounts_is_stopped(identity, gateway, clock):
    auth = Authenticator(identity, gateway, clock)
    for n in range(gateway.login_address_max_failures):
        assert attempt(auth, "Indonesia2025", STRANGER, f"orang{n}@contoh.co.id") == 401
    assert retry_after(auth, STRANGER, "orang-lain@contoh.co.id") == gateway.login_lock_seconds
    assert attempt(auth, "Indonesia2025", OWNER, "orang-lain@contoh.co.id") == 401  # other addresses go on


def test_unknown_emails_are_throttled_like_known_ones(identity, gateway, clock):
    """Otherwise the throttle itself would tell which e-mails have accounts."""
    auth = Authenticator(identity, gateway, clock)
    for _ in range(gateway.login_max_failures):
        assert attempt(auth, "tebakan-salah", STRANGER, "siapa@contoh.co.id") == 401
    assert retry_after(auth, STRANGER, "siapa@contoh.co.id") == gateway.login_lock_seconds


def test_every_gateway_process_sees_the_same_counters(identity, gateway, clock):
    """Two Authenticators on one identity store (as two gateway processes on one SQLite file)."""
    identity.register(SYSTEM, TENANT, EMAIL, "Budi", "asesi", PASSWORD)
    other_process = build_identity(gateway)
    try:
        here, there = Authenticator(identity, gateway, clock), Authenticator(other_process, gateway, clock)
        for n in range(gateway.login_max_failures):
            assert attempt(here if n % 2 else there, "tebakan-salah", STRANGER) == 401
        assert retry_after(here, STRANGER) == retry_after(there, STRANGER) == gateway.login_lock_seconds
    finally:
        other_process.close()


def test_the_throttle_table_holds_no_email_or_address(identity, auth):
    attempt(auth, "tebakan-salah", STRANGER)
    with identity.recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute("SELECT key FROM login_throttle")
        keys = " ".join(row["key"] for row in cursor.fetchall())
    assert keys and EMAIL not in keys and STRANGER not in keys


def request_from(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 5000), "headers": headers})


@pytest.mark.parametrize("peer, forwarded, trusted, expected", [
    ("203.0.113.7", None, "", "203.0.113.7"),
    ("203.0.113.7", "198.51.100.1", "", "203.0.113.7"),  # anyone can send the header: ignored by default
    ("10.0.0.2", "198.51.100.1", "10.0.0.2", "198.51.100.1"),
    ("10.0.0.2", "1.2.3.4, 198.51.100.1", "10.0.0.2", "198.51.100.1"),  # the client forged the first hop
    ("10.0.0.2", "198.51.100.1, 10.0.0.3", "10.0.0.2,10.0.0.3", "198.51.100.1"),
    ("10.0.0.2", "not-an-address", "10.0.0.2", "10.0.0.2"),
])
def test_client_address_believes_forwarded_for_only_from_a_trusted_proxy(peer, forwarded, trusted, expected):
    assert client_address(request_from(peer, forwarded), trusted) == expected
