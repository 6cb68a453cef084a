"""Per-subject keys and crypto-shredding on SQLite (shared/privacy.py)."""
import base64
import logging
import os
import sqlite3
import stat
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.exceptions import InvalidTag

from services.gateway.web.i18n import error_message
from shared.eventstore import ServiceApplication, event_store_env
from shared.privacy import ERASED, Forgotten, PrivacyError, RedactPersonalData, Vault, is_sealed, mask, parse
from shared.settings import Settings
from tests.support.samples import ADMIN

NIK = "3174012345670001"
SERVICE = "registration"


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def master() -> str:
    return new_key()


@pytest.fixture
def vaults(settings, master):
    """Vaults on the service's SQLite file, as separate processes would open them."""
    made = []

    def make(**overrides):
        vault = Vault.for_service(settings.model_copy(update={"privacy_master_key": master, **overrides}), SERVICE)
        made.append(vault)
        return vault
    yield make
    for vault in made:
        vault.close()


def key_table(settings) -> list[tuple]:
    with sqlite3.connect(settings.data_dir / f"{SERVICE}.sqlite") as conn:
        return conn.execute("SELECT * FROM privacy_keys").fetchall()


def test_round_trip_of_json_values(vaults):
    vault = vaults()
    for value in [NIK, "Jl. Melati No. 5, RT 02/RW 03, Bekasi", {"kota": "Bandung", "tanggal": "1990-01-31"}, 7, ""]:
        token = vault.seal("asesi-1", value)
        assert is_sealed(token) and parse(token)[:2] == (SERVICE, "asesi-1")
        assert vault.open(token) == value
    assert vault.seal("asesi-1", NIK) != vault.seal("asesi-1", NIK)  # fresh nonce each time


def test_vault_of_a_running_application_uses_its_store(settings, master):
    class App(ServiceApplication):
        name = SERVICE

    app = App(env=event_store_env(settings, SERVICE))
    vault = Vault.for_application(app, settings.model_copy(update={"privacy_master_key": master}))
    token = vault.seal("asesi-1", NIK)
    assert vault.datastore is app.recorder.datastore and len(key_table(settings)) == 1
    assert vault.open(token) == NIK
    vault.close()
    app.close()


def test_no_plain_text_in_tokens_or_at_rest(vaults, settings):
    vault = vaults()
    token = vault.seal("asesi-1", NIK)
    assert NIK not in token and "01234567" not in token
    rows = key_table(settings)
    assert len(rows) == 1 and NIK not in repr(rows)
    raw_key = vault._load("asesi-1", create=False)  # the data key itself is stored only wrapped
    stored = (settings.data_dir / f"{SERVICE}.sqlite").read_bytes()
    assert raw_key not in stored and base64.urlsafe_b64encode(raw_key).rstrip(b"=") not in stored


def test_a_token_does_not_open_for_another_subject_or_vault(vaults, settings, master):
    vault = vaults()
    token = vault.seal("asesi-1", NIK)
    vault.seal("asesi-2", "other")
    moved = token.replace(":asesi-1:", ":asesi-2:")
    with pytest.raises(PrivacyError, match="another subject"):
        vault.open(moved)
    key = vault._key("asesi-1", create=False)  # even with the right key, the subject is bound as associated data
    raw = base64.urlsafe_b64decode(parse(token)[2] + "==")
    with pytest.raises(InvalidTag):
        key.decrypt(raw[:12], raw[12:], b"pii:v1:registration:asesi-2")
    other = Vault.for_service(settings.model_copy(update={"privacy_master_key": master}), "scheduling")
    with pytest.raises(PrivacyError, match="registration"):
        other.open(token)
    other.close()
    with pytest.raises(PrivacyError):
        vault.open(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))


def test_forget_shreds_one_subject_only(vaults, settings):
    vault = vaults()
    record = {"nik": NIK, "phone": "081234567890", "name": "Budi"}
    sealed1 = vault.seal_fields("asesi-1", record, ["nik", "phone", "missing"])
    sealed2 = vault.seal_fields("asesi-2", {"nik": "3273010101900002"}, ["nik"])
    assert sealed1["name"] == "Budi" and "missing" not in sealed1 and is_sealed(sealed1["nik"])
    assert vault.seal_fields("asesi-1", sealed1, ["nik"]) == sealed1  # already sealed: unchanged

    vault.forget("asesi-1", ADMIN)
    vault.forget("asesi-1", {"id": "someone-else", "role": "admin_lsp"})  # idempotent, first record kept

    with pytest.raises(Forgotten) as error:
        vault.open(sealed1["nik"])
    assert error.value.status == 410 and error_message(error.value, "id") == ERASED
    assert vault.open_fields(sealed1, ["nik", "phone", "name"]) == {"nik": ERASED, "phone": ERASED, "name": "Budi"}
    with pytest.raises(Forgotten):
        vault.seal("asesi-1", NIK)  # no new personal data for an erased subject
    assert vault.open_fields(sealed2, ["nik"]) == {"nik": "3273010101900002"}
    assert vaults().open(sealed2["nik"]) == "3273010101900002"

    erasure = vault.erasure("asesi-1")
    assert erasure["by"] == ADMIN["id"] and erasure["role"] == "admin_lsp" and erasure["at"]
    assert vault.erasure("asesi-2") is None
    (row,) = [r for r in key_table(settings) if r[0] == "asesi-1"]
    assert row[1] is None and row[2] is None  # kid and wrapped key gone


def test_another_process_sees_the_erasure_when_its_cache_expires(vaults):
    here, cached, uncached = vaults(), vaults(), vaults(privacy_key_cache_seconds=0)
    token = here.seal("asesi-1", NIK)
    assert cached.open(token) == NIK and uncached.open(token) == NIK
    here.forget("asesi-1", ADMIN)
    assert cached.open(token) == NIK  # within LSP_PRIVACY_KEY_CACHE_SECONDS (documented)
    with pytest.raises(Forgotten):
        uncached.open(token)


def test_embedded_mode_generates_a_private_master_key(settings, caplog):
    with caplog.at_level(logging.WARNING, "shared.privacy"):
        vault = Vault.for_service(settings, SERVICE)
    path = settings.data_dir / "privacy-master.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.b64decode(path.read_text())) == 32
    assert "privacy-master.key" in caplog.text
    token = vault.seal("asesi-1", NIK)
    vault.close()
    again = Vault.for_service(settings, SERVICE)  # the same key is used on the next start
    assert again.open(token) == NIK
    again.close()


def test_distributed_mode_needs_a_master_key_unless_the_dev_flag_is_set(tmp_path):
    with pytest.raises(PrivacyError, match="LSP_PRIVACY_MASTER_KEY is required"):
        Vault(None, Settings(mode="distributed", data_dir=tmp_path), SERVICE)
    with pytest.raises(PrivacyError, match="32 bytes"):
        Vault(None, Settings(mode="distributed", privacy_master_key="c2hvcnQ="), SERVICE)


def test_a_wrong_master_key_cannot_unwrap_the_keys(vaults):
    token = vaults().seal("asesi-1", NIK)
    with pytest.raises(PrivacyError, match="master key"):
        vaults(privacy_master_key=new_key()).open(token)


def test_rotation_rewraps_keys_and_tokens_still_open(vaults, settings, master):
    token = vaults().seal("asesi-1", NIK)
    vaults().forget("asesi-9", ADMIN)
    new = new_key()
    rotating = vaults(privacy_master_key=new, privacy_previous_master_keys=master)
    assert rotating.open(token) == NIK
    assert rotating.rewrap() == 1
    assert vaults(privacy_master_key=new).open(token) == NIK  # the old key is no longer needed
    with pytest.raises(PrivacyError):
        vaults(privacy_key_cache_seconds=0).open(token)  # a process left on the old key fails clearly


def test_many_threads_many_subjects_one_key_each(vaults):
    vault = vaults(privacy_key_cache_size=16)  # small cache: keys are evicted and reloaded
    start = threading.Barrier(8)

    def work(worker: int) -> list[tuple[str, str, str]]:
        start.wait()
        done = []
        for i in range(40):
            subject = f"asesi-{i % 25}"  # every worker races to create the same 25 keys
            value = f"{worker:02d}{i:014d}"
            token = vault.seal(subject, value)
            assert vault.open(token) == value
            done.append((subject, value, token))
        return done

    with ThreadPoolExecutor(8) as pool:
        results = [item for batch in pool.map(work, range(8)) for item in batch]
    fresh = vaults(privacy_key_cache_seconds=0)  # straight from the table: one surviving key per subject
    assert all(fresh.open(token) == value for _, value, token in results)


def test_mask():
    assert mask(NIK) == "3174xxxxxxxx0001"
    assert mask("081234567890") == "081xxxxxx890"
    assert mask("12345678") == "12xxxx78"
    assert mask("abc") == "xxx"
    assert mask(None) == ""


def test_log_filter_masks_nik_and_phone_numbers():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "asesi %s phone %s", (NIK, "+6281234567890"), None)
    RedactPersonalData().filter(record)
    text = record.getMessage()
    assert NIK not in text and "81234567890" not in text and "3174xxxxxxxx0001" in text
