import pytest
from argon2 import PasswordHasher

from services.gateway.bootstrap import gateway_settings
from services.gateway.identity import IdentityApp, build_identity
from services.registration.application import build_application
from shared.readstore import open_read_store
from shared.settings import Settings
from tests.support.samples import ADMIN, TENANT


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path, mode="embedded")


@pytest.fixture
def gateway(settings):
    """The settings as the gateway runs with them (a generated token secret, the platform admin's password)."""
    return gateway_settings(settings)


@pytest.fixture
def identity(gateway):
    """The gateway's identity store, with one branch (TENANT)."""
    app = build_identity(gateway)
    app.create_branch(ADMIN, TENANT, "LSP Jakarta")
    yield app
    app.close()


@pytest.fixture
def fast_hashing(monkeypatch):
    """Argon2 at its cheapest, for tests that log in many times (the policy is the same, only cheaper)."""
    monkeypatch.setattr(IdentityApp, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def store():
    return open_read_store("memory", "test")


@pytest.fixture
def app(settings):
    """Registration's App, which most unit tests are about; a module about another service defines its own."""
    app = build_application(settings)
    yield app
    app.close()


@pytest.fixture
def scheme_id(app):
    """Ahli K3 Umum, seeded in the test branch."""
    return app.seed_schemes(TENANT, ADMIN)[0]

