import pytest

from shared.readstore import open_read_store
from shared.settings import Settings


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path, mode="embedded")


@pytest.fixture
def store():
    return open_read_store("memory", "test")


ADMIN = {"id": "admin-1", "role": "admin_lsp", "name": "Sari"}
ASESI = {"id": "asesi-1", "role": "asesi", "name": "Budi Santoso"}
