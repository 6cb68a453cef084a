"""Per-subject keys on PostgreSQL: in the service's own schema, shredded by forget, never plain text."""
import base64
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from shared.eventstore import ServiceApplication, event_store_env, schema_name
from shared.privacy import ERASED, Forgotten, PrivacyError, Vault
from tests.conftest import ACTOR, HOST, TAG

pytestmark = pytest.mark.integration

NAME = f"itprivacy{TAG}"
NIK = "3174012345670001"


class PrivacyApp(ServiceApplication):
    name = NAME


@pytest.fixture(scope="module")
def vault_settings(settings):
    return settings.model_copy(update={"privacy_master_key": base64.b64encode(os.urandom(32)).decode()})


@pytest.fixture(scope="module")
def app(vault_settings):
    app = PrivacyApp(env=event_store_env(vault_settings, NAME))
    yield app
    app.close()


@pytest.fixture(scope="module")
def vault(app, vault_settings):
    vault = Vault.for_application(app, vault_settings)
    yield vault
    vault.close()


@pytest.fixture
def other_process(vault_settings):
    """A second vault on its own connection pool and without a cache, as another process would be."""
    vault = Vault.for_service(vault_settings.model_copy(update={"privacy_key_cache_seconds": 0}), NAME)
    yield vault
    vault.close()


def key_rows(settings) -> list[dict]:
    with psycopg.connect(host=HOST, user="postgres", dbname=settings.postgres_db,
                         row_factory=psycopg.rows.dict_row) as conn:
        return conn.execute(f'SELECT * FROM "{schema_name(settings, NAME)}".privacy_keys').fetchall()


def test_keys_live_in_the_service_schema_without_plain_text(vault, vault_settings, other_process):
    token = vault.seal("asesi-1", NIK)
    assert NIK not in token and other_process.open(token) == NIK
    assert vault.datastore.schema == schema_name(vault_settings, NAME)
    with psycopg.connect(host=HOST, user="postgres", dbname=vault_settings.postgres_db) as conn:
        schemas = conn.execute("SELECT table_schema FROM information_schema.tables WHERE table_name='privacy_keys' "
                               "AND table_schema LIKE %s", (f"%{NAME}",)).fetchall()
    assert schemas == [(schema_name(vault_settings, NAME),)]
    rows = key_rows(vault_settings)
    raw_key = vault._load("asesi-1", create=False)
    assert NIK not in repr(rows)
    for form in (base64.urlsafe_b64encode(raw_key).rstrip(b"=").decode(), base64.b64encode(raw_key).decode(),
                 raw_key.hex()):
        assert form not in repr(rows)  # the data key is stored only wrapped


def test_forget_shreds_the_subject_for_every_process(vault, vault_settings, other_process):
    mine = vault.seal_fields("asesi-2", {"nik": NIK, "phone": "081234567890"}, ["nik", "phone"])
    theirs = vault.seal("asesi-3", "3273010101900002")
    assert other_process.open(mine["nik"]) == NIK

    vault.forget("asesi-2", ACTOR)

    for reader in (vault, other_process):
        with pytest.raises(Forgotten):
            reader.open(mine["nik"])
        assert reader.open_fields(mine, ["nik", "phone"]) == {"nik": ERASED, "phone": ERASED}
        assert reader.open(theirs) == "3273010101900002"
    with pytest.raises(Forgotten):
        other_process.seal("asesi-2", NIK)
    assert other_process.erasure("asesi-2")["by"] == ACTOR["id"]
    (row,) = [r for r in key_rows(vault_settings) if r["subject_id"] == "asesi-2"]
    assert row["wrapped_key"] is None and row["forgotten_role"] == ACTOR["role"]


def test_processes_racing_to_create_keys_agree_on_one(vault, other_process):
    start = threading.Barrier(8)

    def work(worker: int) -> list[tuple[str, str]]:
        start.wait()
        writer = vault if worker % 2 else other_process
        return [(f"{worker}-{i}", writer.seal(f"race-{i}", f"{worker}-{i}")) for i in range(15)]

    with ThreadPoolExecutor(8) as pool:
        results = [item for batch in pool.map(work, range(8)) for item in batch]
    assert all(other_process.open(token) == value for value, token in results)


def test_a_process_with_another_master_key_fails_clearly(vault, vault_settings):
    token = vault.seal("asesi-4", NIK)
    stranger = Vault.for_service(vault_settings.model_copy(
        update={"privacy_master_key": base64.b64encode(os.urandom(32)).decode()}), NAME)
    with pytest.raises(PrivacyError, match="LSP_PRIVACY_MASTER_KEY differs"):
        stranger.open(token)
    stranger.close()
