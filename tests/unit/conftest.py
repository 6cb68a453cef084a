import pytest

from services.registration.application import build_application
from shared.readstore import open_read_store
from shared.settings import Settings


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path, mode="embedded")


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


TENANT = "JKT01"
ADMIN = {"id": "admin-1", "role": "admin_lsp", "name": "Sari"}
ASESI = {"id": "asesi-1", "role": "asesi", "name": "Budi Santoso"}
