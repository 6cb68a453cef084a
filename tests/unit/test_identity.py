import pytest
from fastapi import HTTPException

from services.gateway.identity import Authenticator, build_identity
from shared.errors import Conflict, NotFound

SYSTEM = {"id": "system", "role": "system", "name": "test"}


@pytest.fixture
def identity(settings):
    app = build_identity(settings)
    app.create_branch(SYSTEM, "JKT01", "LSP Jakarta")
    yield app
    app.close()


def test_accounts_belong_to_an_existing_branch_and_emails_are_unique(identity):
    user = identity.register(SYSTEM, "JKT01", "Budi@Contoh.co.id", "Budi", "asesi", "rahasia123")
    assert (user.email, user.tenant, user.role) == ("budi@contoh.co.id", "JKT01", "asesi")
    with pytest.raises(Conflict) as duplicate:
        identity.register(SYSTEM, "JKT01", "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    assert duplicate.value.field == "email"
    with pytest.raises(NotFound):
        identity.register(SYSTEM, "XXX", "sari@contoh.co.id", "Sari", "asesi", "rahasia123")
    with pytest.raises(Conflict):
        identity.create_branch(SYSTEM, "JKT01", "again")


def test_passwords_are_hashed_not_stored(identity):
    identity.register(SYSTEM, "JKT01", "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    stored = b"".join(n.state for n in identity.recorder.select_notifications(start=None, limit=100))
    assert b"rahasia123" not in stored and b"argon2" in stored


def test_login_issues_a_token_that_authenticates(identity, settings):
    identity.register(SYSTEM, "JKT01", "budi@contoh.co.id", "Budi", "asesor", "rahasia123")
    auth = Authenticator(identity, settings)
    user = auth.authenticate(auth.login("BUDI@contoh.co.id", "rahasia123"))
    assert (user.email, user.role, user.tenant) == ("budi@contoh.co.id", "asesor", "JKT01")


def test_repeated_failures_lock_the_account_for_a_while(identity, settings):
    identity.register(SYSTEM, "JKT01", "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    auth = Authenticator(identity, settings)
    for _ in range(settings.login_max_failures):
        with pytest.raises(HTTPException) as failed:
            auth.login("budi@contoh.co.id", "salah")
        assert failed.value.status_code == 401
    with pytest.raises(HTTPException) as locked:
        auth.login("budi@contoh.co.id", "rahasia123")  # even the right password waits
    assert locked.value.status_code == 429


def test_expired_or_forged_tokens_are_refused(identity, settings):
    user = identity.register(SYSTEM, "JKT01", "budi@contoh.co.id", "Budi", "asesi", "rahasia123")
    expired = Authenticator(identity, settings.model_copy(update={"token_minutes": -1})).token(user)
    forged = Authenticator(identity, settings.model_copy(update={"secret_key": "x" * 40})).token(user)
    for token in (expired, forged, "not-a-token"):
        with pytest.raises(HTTPException) as refused:
            Authenticator(identity, settings).authenticate(token)
        assert refused.value.status_code == 401
