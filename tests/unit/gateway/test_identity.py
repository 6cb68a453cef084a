import os
import statistics
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from argon2 import PasswordHasher
from fastapi import HTTPException

from services.gateway.bootstrap import (
    ADMIN_PASSWORD_FILE,
    PUBLISHED_SECRETS,
    SECRET_FILE,
    StartupRefused,
    gateway_settings,
)
from services.gateway.identity import Account, Authenticator, legacy_account_id
from services.gateway.web.i18n import error_message
from shared.errors import Conflict, Invalid, NotFound
from shared.settings import Settings
from tests.support.samples import TENANT

SYSTEM = {"id": "system", "role": "system", "name": "test"}
ADDRESS = "203.0.113.10"
pytestmark = pytest.mark.usefixtures("fast_hashing")  # the timing test below puts the real cost back


def test_accounts_belong_to_an_existing_branch_and_emails_are_unique_in_it(identity):
    user = identity.register(SYSTEM, TENANT, "Budi@Contoh.co.id", "Budi", "asesi", "rahasia123")
    assert (user.email, user.tenant, user.role) == ("budi@contoh.co.id", TENANT, "asesi")
    with pytest.raises(Conflict) as duplicate:
        identity.register(SYSTEM, TENANT, "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    assert duplicate.value.field == "email"
    with pytest.raises(NotFound):
        identity.register(SYSTEM, "XXX", "sari@contoh.co.id", "Sari", "asesi", "rahasia123")
    with pytest.raises(Conflict):
        identity.create_branch(SYSTEM, TENANT, "again")


def test_an_email_of_another_branch_is_a_new_account_there_not_a_409(identity):
    """Signing up in SBY01 must not tell that the e-mail has an account in JKT01."""
    identity.create_branch(SYSTEM, "SBY01", "LSP Surabaya")
    jkt = identity.register(SYSTEM, TENANT, "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    sby = identity.register(SYSTEM, "SBY01", "budi@contoh.co.id", "Budi", "asesor", "lain-sandi-77")
    assert jkt.id != sby.id and (sby.tenant, sby.role) == ("SBY01", "asesor")
    assert [a.tenant for a in identity.accounts("BUDI@contoh.co.id")] == [TENANT, "SBY01"]
    # login by e-mail alone: the password says which account
    assert identity.check_password("budi@contoh.co.id", "lain-sandi-77") == sby
    assert identity.check_password("budi@contoh.co.id", "rahasia123") == jkt
    assert identity.check_password("budi@contoh.co.id", "rahasia123", "SBY01") is None


def test_one_password_for_accounts_in_two_branches_needs_the_branch_code(identity):
    identity.create_branch(SYSTEM, "SBY01", "LSP Surabaya")
    identity.register(SYSTEM, TENANT, "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    sby = identity.register(SYSTEM, "SBY01", "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    with pytest.raises(Invalid) as ambiguous:
        identity.check_password("budi@contoh.co.id", "rahasia123")
    assert ambiguous.value.field == "branch"
    assert error_message(ambiguous.value, "id") == "e-mail ini terdaftar di lebih dari satu cabang; isi kode cabang"
    assert identity.check_password("budi@contoh.co.id", "rahasia123", "SBY01") == sby


def test_an_account_from_before_accounts_were_per_branch_still_logs_in(identity):
    """Stores written when an account's id came from the e-mail alone keep working."""
    legacy = Account._create(Account.AccountRegistered, id=legacy_account_id("lama@contoh.co.id"), tenant=TENANT,
                             actor=SYSTEM, email="lama@contoh.co.id", name="Lama", role="asesi",
                             password_hash=identity.hasher.hash("rahasia123"))
    identity.save(legacy)
    assert identity.check_password("lama@contoh.co.id", "rahasia123").id == str(legacy.id)
    identity.create_branch(SYSTEM, "SBY01", "LSP Surabaya")
    with pytest.raises(Conflict):
        identity.register(SYSTEM, TENANT, "lama@contoh.co.id", "Lama", "asesi", "rahasia123")
    identity.register(SYSTEM, "SBY01", "lama@contoh.co.id", "Lama", "asesi", "sandi-baru-99")
    assert [a.id for a in identity.accounts("lama@contoh.co.id")][0] == legacy.id


def test_passwords_are_hashed_not_stored(identity):
    identity.register(SYSTEM, TENANT, "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    stored = b"".join(n.state for n in identity.recorder.select_notifications(start=None, limit=100))
    assert b"rahasia123" not in stored and b"argon2" in stored


@pytest.mark.parametrize("password, email, name, indonesian", [
    ("pendek123", "budi@contoh.co.id", "Budi", "kata sandi minimal 10 karakter"),
    ("qwertyuiop", "budi@contoh.co.id", "Budi", "kata sandi ini terlalu umum; pilih yang lain"),
    ("1234567890", "budi@contoh.co.id", "Budi", "kata sandi ini terlalu umum; pilih yang lain"),
    ("PASSWORD12", "budi@contoh.co.id", "Budi", "kata sandi ini terlalu umum; pilih yang lain"),
    ("sari.w-2025!", "sari.w@contoh.co.id", "Sari Wulandari", "kata sandi tidak boleh memuat nama atau e-mail Anda"),
    ("Wulandari#88", "sari@contoh.co.id", "Sari Wulandari", "kata sandi tidak boleh memuat nama atau e-mail Anda"),
])
def test_weak_passwords_are_refused_naming_the_field(identity, password, email, name, indonesian):
    with pytest.raises(Invalid) as weak:
        identity.register(SYSTEM, TENANT, email, name, "asesi", password)
    assert weak.value.field == "password" and error_message(weak.value, "id") == indonesian
    assert identity.accounts(email) == []


def test_the_bootstrap_admin_follows_the_password_policy(identity):
    with pytest.raises(Invalid):
        identity.ensure_platform_admin("admin@platform.local", "admin12345")
    identity.ensure_platform_admin("admin@platform.local", "Kuat-Sekali-2025")
    identity.ensure_platform_admin("admin@platform.local", "Kuat-Sekali-2025")  # a restart: nothing new
    [admin] = identity.accounts("admin@platform.local")
    assert (admin.role, admin.user().tenant) == ("platform_admin", None)


def test_login_issues_a_token_that_authenticates(identity, gateway):
    identity.register(SYSTEM, TENANT, "budi@contoh.co.id", "Budi", "asesor", "rahasia123")
    auth = Authenticator(identity, gateway)
    user = auth.authenticate(auth.login("BUDI@contoh.co.id", "rahasia123", ADDRESS))
    assert (user.email, user.role, user.tenant) == ("budi@contoh.co.id", "asesor", TENANT)


class CountingHasher:
    """The real hasher, counting verifications."""

    def __init__(self, hasher):
        self.hasher, self.verified = hasher, 0

    def hash(self, password):
        return self.hasher.hash(password)

    def verify(self, password_hash, password):
        self.verified += 1
        return self.hasher.verify(password_hash, password)


def test_an_unknown_email_costs_the_same_argon2_work_as_a_known_one(identity, monkeypatch):
    hasher = CountingHasher(PasswordHasher())  # the production parameters, for the stored and the dummy hash
    monkeypatch.setattr(identity, "hasher", hasher)
    identity.register(SYSTEM, TENANT, "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    samples = {"known": [], "unknown": []}
    for _ in range(4):
        for kind, email in (("known", "budi@contoh.co.id"), ("unknown", "siapa@contoh.co.id")):
            before, started = hasher.verified, time.perf_counter()
            assert identity.check_password(email, "salah-sandi-1") is None
            samples[kind].append(time.perf_counter() - started)
            assert hasher.verified == before + 1, kind  # exactly one argon2 verification either way
    known, unknown = statistics.median(samples["known"]), statistics.median(samples["unknown"])
    assert 0.5 < unknown / known < 2, (known, unknown)  # today's probe: 4 ms against 240 ms


def forged(claims: dict, secret: str) -> str:
    now = datetime.now(UTC)
    return jwt.encode({"iat": now, "exp": now + timedelta(minutes=5), **claims}, secret, algorithm="HS256")


def test_expired_forged_or_malformed_tokens_answer_401(identity, gateway):
    user = identity.register(SYSTEM, TENANT, "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    auth = Authenticator(identity, gateway)
    good = {"sub": user.id, "email": user.email, "name": user.name, "role": "asesi", "tenant": TENANT, "jti": "j1"}
    tokens = [Authenticator(identity, gateway.model_copy(update={"token_minutes": -1})).token(user),
              Authenticator(identity, gateway.model_copy(update={"secret_key": "x" * 40})).token(user),
              "not-a-token"]
    tokens += [forged({**good, "role": "platform_admin", "tenant": None}, secret) for secret in PUBLISHED_SECRETS]
    tokens += [forged({k: v for k, v in good.items() if k != missing}, gateway.secret_key)
               for missing in ("sub", "email", "name", "role", "tenant", "jti")]
    tokens += [forged({**good, **wrong}, gateway.secret_key) for wrong in (
        {"name": 7}, {"email": ["a"]}, {"role": "root"}, {"tenant": 5}, {"tenant": None}, {"jti": 1},
        {"role": "platform_admin"})]
    assert auth.authenticate(forged(good, gateway.secret_key)).id == user.id  # the forger's recipe is right
    for token in tokens:
        with pytest.raises(HTTPException) as refused:
            auth.authenticate(token)
        assert refused.value.status_code == 401, token


def test_a_revoked_token_answers_401_in_every_gateway_process(identity, gateway):
    user = identity.register(SYSTEM, TENANT, "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    here, elsewhere = Authenticator(identity, gateway), Authenticator(identity, gateway)
    token, other = here.token(user), here.token(user)
    assert here.revoke(token) and not here.revoke("not-a-token")
    for auth in (here, elsewhere):
        with pytest.raises(HTTPException) as refused:
            auth.authenticate(token)
        assert refused.value.status_code == 401
        assert auth.authenticate(other).id == user.id  # another session of the same user goes on


def test_revocation_check_costs_one_primary_key_lookup(identity, gateway):
    auth = Authenticator(identity, gateway)
    user = identity.register(SYSTEM, TENANT, "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    for _ in range(50):  # other sessions ended before
        auth.revoke(auth.token(user))
    jti = auth.claims(auth.token(user))["jti"]
    started = time.perf_counter()
    for _ in range(500):
        assert not auth.store.is_revoked(jti)
    per_request = (time.perf_counter() - started) / 500
    assert per_request < 0.005, f"{per_request * 1e6:.0f} µs"


# ---- start-up secrets --------------------------------------------------------------------------

def test_embedded_mode_generates_a_secret_and_admin_password_kept_in_the_data_dir(tmp_path, caplog):
    first = gateway_settings(Settings(data_dir=tmp_path, secret_key="", platform_admin_password=""))
    again = gateway_settings(Settings(data_dir=tmp_path, secret_key="", platform_admin_password=""))
    assert first.secret_key == again.secret_key and len(first.secret_key) >= 32
    assert first.secret_key not in PUBLISHED_SECRETS
    assert first.platform_admin_password == again.platform_admin_password
    for name in (SECRET_FILE, ADMIN_PASSWORD_FILE):
        assert os.stat(tmp_path / name).st_mode & 0o777 == 0o600
    assert str((tmp_path / ADMIN_PASSWORD_FILE).resolve()) in caplog.text  # says where the password is
    other = gateway_settings(Settings(data_dir=tmp_path / "other", secret_key="", platform_admin_password=""))
    assert other.secret_key != first.secret_key


@pytest.mark.parametrize("secret", ["", "kurang-panjang", *PUBLISHED_SECRETS])
def test_distributed_mode_refuses_a_missing_short_or_published_secret(tmp_path, secret):
    with pytest.raises(StartupRefused, match="LSP_SECRET_KEY"):
        gateway_settings(Settings(mode="distributed", data_dir=tmp_path, secret_key=secret,
                                  platform_admin_password="Kuat-Sekali-2025"))


def test_distributed_mode_requires_the_admin_password(tmp_path):
    with pytest.raises(StartupRefused, match="LSP_PLATFORM_ADMIN_PASSWORD"):
        gateway_settings(Settings(mode="distributed", data_dir=tmp_path, secret_key="k" * 40,
                                  platform_admin_password=""))
    assert not (tmp_path / ADMIN_PASSWORD_FILE).exists()
