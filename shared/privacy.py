"""Personal data: sealed with per-subject keys, erasable by crypto-shredding (UU 27/2022).

What is sealed. An asesi's personal data (NIK/KTP number, phone numbers, home address, date and
place of birth, references to ID-scan files) never goes into an event, a broker message, a read
model or a log line in plain text. It is sealed into a token as early as possible (ideally in the
gateway, before the command leaves it), and only the token travels and is stored:

    pii:v1:<vault>:<subject>:<base64url(nonce | AES-256-GCM ciphertext)>

`<vault>` is the service whose store holds the key, `<subject>` the asesi's user id (an opaque
id: it stays readable, so never use an e-mail or a NIK as subject). Both are the associated data,
so a token moved to another subject or vault does not open. Values are JSON (a date comes back as
its ISO string). `mask()` gives staff lists a partial view (NIK 3174xxxxxxxx0001).

Where keys live. One random 256-bit data key per subject, in the table `privacy_keys` of the same
database as the service's event store (its SQLite file or its PostgreSQL schema; the vault uses the
Application's own datastore, or builds one from Settings with `event_store_env`, so it can never
point elsewhere). Each key is stored wrapped (AES-GCM) under the master key `LSP_PRIVACY_MASTER_KEY`
(base64 of 32 bytes), which is never stored in the database; `kid` records which master key wrapped
it. Embedded mode without it generates `<data_dir>/privacy-master.key` (0600) and warns; distributed
mode refuses to start without it unless `LSP_PRIVACY_INSECURE_DEV_KEY=true` (development only).

Erasure. `forget(subject, actor)` replaces the subject's key by a tombstone recording who and when
(no personal data). From then on every token of that subject, in events, read models, broker
history, exports, is undecryptable noise: `open()` raises `Forgotten` (show `ERASED`), and sealing
new data for the subject is refused. The event log is not touched and still replays (tokens are
opaque strings to the domain). Other processes may keep a decrypted key cached for at most
`LSP_PRIVACY_KEY_CACHE_SECONDS`. Database backups still hold the wrapped key until they expire:
bound their retention. Each vault is one service's store, so forget in every vault that sealed.

Rotating the master key. 1) Generate a new key: `python -c "import os,base64;
print(base64.b64encode(os.urandom(32)).decode())"`. 2) Deploy it to every process as
`LSP_PRIVACY_MASTER_KEY`, with the old one in `LSP_PRIVACY_PREVIOUS_MASTER_KEYS` (both are read,
new keys are wrapped with the new one). 3) Run `python -m shared.privacy rewrap <service>...` for
every service with a vault. 4) Remove the old key from the settings and destroy it. Data keys and
tokens never change, so nothing else is rewritten.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import re
import sys
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresDatastore

from shared.errors import ERASED, DomainError, Forgotten  # noqa: F401  (re-exported)
from shared.eventstore import event_store_env
from shared.keyfile import read_or_create
from shared.settings import Settings

log = logging.getLogger(__name__)

PREFIX = "pii:v1:"
KEY_FILE = "privacy-master.key"


class PrivacyError(Exception):
    """Misconfiguration (master key) or a token that is malformed, tampered with or misplaced."""


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _kid(master: bytes) -> str:
    return hashlib.sha256(b"lsp-privacy-kid:" + master).hexdigest()[:16]


def _decode_master(text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 32:
        raise PrivacyError("a privacy master key must be the base64 of exactly 32 bytes")
    return key


def _generated_key(settings: Settings) -> str:
    """Embedded mode (or the explicit dev flag): a key file made once, atomically, mode 0600."""
    if settings.mode != "embedded" and not settings.privacy_insecure_dev_key:
        raise PrivacyError("LSP_PRIVACY_MASTER_KEY is required in distributed mode (base64 of 32 random bytes); "
                           "for local development only, LSP_PRIVACY_INSECURE_DEV_KEY=true uses a generated "
                           f"<data_dir>/{KEY_FILE}")
    path = settings.data_dir / KEY_FILE
    key, created = read_or_create(path, lambda: base64.b64encode(os.urandom(32)).decode())
    if created:
        log.warning("LSP_PRIVACY_MASTER_KEY is not set: generated %s (0600). Keep it with the data: "
                    "without it no sealed personal data can be read.", path)
    return key


class Vault:
    """Per-subject data keys of one service's store; seal, open, forget. Thread- and eventlet-safe:
    the lock guards only the in-memory cache, never I/O; the database settles races (one key per
    subject: INSERT ... ON CONFLICT DO NOTHING; forget vs first use: same primary key)."""

    def __init__(self, datastore: Any, settings: Settings, name: str, *, owns_datastore: bool = False):
        self.datastore, self.name, self._owns = datastore, name, owns_datastore
        self._pg = isinstance(datastore, PostgresDatastore)
        self.table = f'"{datastore.schema}".privacy_keys' if self._pg else "privacy_keys"
        keys = [_decode_master(settings.privacy_master_key or _generated_key(settings))]
        keys += [_decode_master(k) for k in settings.privacy_previous_master_keys.split(",") if k.strip()]
        self._kid = _kid(keys[0])
        self._masters = {_kid(k): AESGCM(k) for k in reversed(keys)}
        self._cache: OrderedDict[str, tuple[AESGCM, float]] = OrderedDict()
        self._cache_size, self._ttl = settings.privacy_key_cache_size, settings.privacy_key_cache_seconds
        self._lock = threading.Lock()
        self._generation = 0  # bumped by forget: a key loaded before it is not cached
        self._create_table()

    @classmethod
    def for_application(cls, app: Any, settings: Settings) -> Vault:
        """The vault in the store of a running service Application (shares its connection pool)."""
        return cls(app.recorder.datastore, settings, app.name)

    @classmethod
    def for_service(cls, settings: Settings, service: str) -> Vault:
        """The vault of a service's store, from Settings alone (gateway or tools in distributed mode)."""
        factory = InfrastructureFactory.construct(event_store_env(settings, service))
        try:
            return cls(factory.datastore, settings, service, owns_datastore=True)
        except Exception:
            factory.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._cache.clear()
        if self._owns:
            self.datastore.close()

    # -- sealing ---------------------------------------------------------------------------------

    def seal(self, subject: str, value: Any) -> str:
        subject = str(subject)
        if not subject:
            raise PrivacyError("personal data needs a subject (the asesi's user id)")
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode()
        nonce = os.urandom(12)
        sealed = self._key(subject, create=True).encrypt(nonce, plain, self._aad(subject))
        return f"{PREFIX}{self.name}:{subject}:{_b64e(nonce + sealed)}"

    def open(self, token: str) -> Any:
        """The sealed value; Forgotten if its subject was erased, PrivacyError if the token is bad."""
        vault, subject, payload = parse(token)
        if vault != self.name:
            raise PrivacyError(f"token belongs to the {vault!r} vault, not {self.name!r}")
        try:
            raw = _b64d(payload)
            plain = self._key(subject, create=False).decrypt(raw[:12], raw[12:], self._aad(subject))
        except (InvalidTag, ValueError):
            raise PrivacyError("token does not open: tampered with, or bound to another subject") from None
        return json.loads(plain)

    def seal_fields(self, subject: str, data: dict[str, Any], fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
        """A copy with the given fields sealed (absent, None and already sealed ones left as they are)."""
        return {**data, **{f: self.seal(subject, data[f]) for f in fields
                           if data.get(f) is not None and not is_sealed(data[f])}}

    def open_fields(self, data: dict[str, Any], fields: list[str] | tuple[str, ...],
                    erased: Any = ERASED) -> dict[str, Any]:
        """A copy with the given fields opened; a forgotten subject's fields become `erased`."""
        out = dict(data)
        for f in fields:
            if is_sealed(data.get(f)):
                try:
                    out[f] = self.open(data[f])
                except Forgotten:
                    out[f] = erased
        return out

    # -- erasure ---------------------------------------------------------------------------------

    def forget(self, subject: str, actor: dict[str, Any]) -> None:
        """Shred the subject's key (idempotent; the first erasure's record is kept)."""
        subject, now = str(subject), _now()
        self._execute(f"INSERT INTO {self.table} (subject_id, created_at, forgotten_at, forgotten_by, forgotten_role)"
                      " VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject_id) DO UPDATE SET kid = NULL, wrapped_key = NULL,"
                      " forgotten_at = excluded.forgotten_at, forgotten_by = excluded.forgotten_by,"
                      " forgotten_role = excluded.forgotten_role WHERE privacy_keys.forgotten_at IS NULL",
                      (subject, now, now, str(actor.get("id", "")), str(actor.get("role", ""))))
        with self._lock:
            self._generation += 1
            self._cache.pop(subject, None)
        log.info("privacy: subject %s forgotten in %s by %s (%s)", subject, self.name, actor.get("id"),
                 actor.get("role"))

    def erasure(self, subject: str) -> dict[str, Any] | None:
        """Who erased the subject and when, or None."""
        row = self._row(str(subject), "forgotten_at, forgotten_by, forgotten_role")
        if row is None or row["forgotten_at"] is None:
            return None
        return {"subject": str(subject), "at": row["forgotten_at"], "by": row["forgotten_by"],
                "role": row["forgotten_role"]}

    def rewrap(self) -> int:
        """Re-wrap every data key under the current master key (step 3 of a rotation)."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._sql(f"SELECT subject_id, kid, wrapped_key FROM {self.table} "
                                     "WHERE wrapped_key IS NOT NULL AND kid <> ?"), (self._kid,))
            rows = cursor.fetchall()
            for row in rows:
                key = self._unwrap(row["subject_id"], row["kid"], row["wrapped_key"])
                cursor.execute(self._sql(f"UPDATE {self.table} SET kid = ?, wrapped_key = ? "
                                         "WHERE subject_id = ? AND kid = ?"),
                               (self._kid, self._wrap(row["subject_id"], key), row["subject_id"], row["kid"]))
        return len(rows)

    # -- keys ------------------------------------------------------------------------------------

    def _aad(self, subject: str) -> bytes:
        return f"{PREFIX}{self.name}:{subject}".encode()

    def _key(self, subject: str, create: bool) -> AESGCM:
        with self._lock:
            hit = self._cache.get(subject)
            if hit and hit[1] > time.monotonic():
                self._cache.move_to_end(subject)
                return hit[0]
            generation = self._generation
        key = AESGCM(self._load(subject, create))
        with self._lock:
            if generation == self._generation and self._ttl > 0:
                self._cache[subject] = (key, time.monotonic() + self._ttl)
                self._cache.move_to_end(subject)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return key

    def _load(self, subject: str, create: bool) -> bytes:
        row = self._row(subject, "kid, wrapped_key, forgotten_at")
        if row is None and create:
            self._execute(f"INSERT INTO {self.table} (subject_id, kid, wrapped_key, created_at) VALUES (?, ?, ?, ?)"
                          " ON CONFLICT (subject_id) DO NOTHING",
                          (subject, self._kid, self._wrap(subject, AESGCM.generate_key(256)), _now()))
            row = self._row(subject, "kid, wrapped_key, forgotten_at")  # ours, or a concurrent winner's
        if row is None:
            raise PrivacyError(f"no key for subject {subject} in the {self.name!r} vault")
        if row["forgotten_at"] is not None:
            raise Forgotten()
        return self._unwrap(subject, row["kid"], row["wrapped_key"])

    def _wrap(self, subject: str, key: bytes) -> str:
        nonce = os.urandom(12)
        return _b64e(nonce + self._masters[self._kid].encrypt(nonce, key, f"lsp-privacy-key:{subject}".encode()))

    def _unwrap(self, subject: str, kid: str, wrapped: str) -> bytes:
        master = self._masters.get(kid)
        if master is None:
            raise PrivacyError(f"subject {subject}'s key is wrapped with master key {kid}, which this process does "
                               "not have: LSP_PRIVACY_MASTER_KEY differs between processes, or a rotation is "
                               "incomplete (see shared/privacy.py)")
        raw = _b64d(wrapped)
        try:
            return master.decrypt(raw[:12], raw[12:], f"lsp-privacy-key:{subject}".encode())
        except InvalidTag:
            raise PrivacyError(f"subject {subject}'s key does not unwrap: the key row was altered") from None

    # -- storage (the same SQL on SQLite and PostgreSQL) -----------------------------------------

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._pg else sql

    def _create_table(self) -> None:
        sql = (f"CREATE TABLE IF NOT EXISTS {self.table} (subject_id TEXT PRIMARY KEY, kid TEXT, wrapped_key TEXT,"
               " created_at TEXT NOT NULL, forgotten_at TEXT, forgotten_by TEXT, forgotten_role TEXT)")
        with self.datastore.transaction(commit=True) as cursor:
            if self._pg:  # processes starting together collide in PostgreSQL's catalog: take turns
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(f"setup:{self.table}"),))
            cursor.execute(sql)

    def _execute(self, sql: str, params: tuple[Any, ...]) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._sql(sql), params)

    def _row(self, subject: str, columns: str) -> Any:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._sql(f"SELECT {columns} FROM {self.table} WHERE subject_id = ?"), (subject,))
            return cursor.fetchone()


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def parse(token: str) -> tuple[str, str, str]:
    """(vault, subject, payload) of a token; the vault tells a reader which service's vault opens it."""
    if not is_sealed(token):
        raise PrivacyError("not a sealed value")
    vault, _, rest = token[len(PREFIX):].partition(":")
    subject, _, payload = rest.rpartition(":")
    if not (vault and subject and payload):
        raise PrivacyError("malformed sealed value")
    return vault, subject, payload


def mask(value: Any, keep: int = 4) -> str:
    """For staff lists: 3174xxxxxxxx0001. Short values show less (a quarter at each end at most)."""
    text = "" if value is None else str(value)
    shown = min(keep, len(text) // 4)
    return text[:shown] + "x" * (len(text) - 2 * shown) + (text[-shown:] if shown else "")


# A safety net for log lines (the real protection is that only tokens travel): NIK-like 16-digit
# numbers and Indonesian mobile numbers are masked in every record that passes the handlers.
_PII_IN_LOGS = re.compile(r"(?<!\d)(?:\d{16}|(?:\+62|62|0)8\d{1,3}[- ]?\d{3,4}[- ]?\d{3,5})(?!\d)")


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _PII_IN_LOGS.sub(lambda m: mask(m.group()), message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _PII_IN_LOGS.sub(lambda m: mask(m.group()),
                                               logging.Formatter().formatException(record.exc_info))
        return True


# A bearer token reaches a URL only as ?access_token= on the event stream (EventSource sends no
# headers), and a holder's name as ?name= on the public certificate check; uvicorn's access log writes
# every URL: no log line may keep either.
_TOKENS_IN_LOGS = re.compile(r"([?&](?:access_token|name)=)[^&\s\"']*", re.IGNORECASE)


def redact_tokens(text: str) -> str:
    return _TOKENS_IN_LOGS.sub(r"\1[redacted]", text)


class RedactAccessTokens(logging.Filter):
    """Redacts in place, keeping the record's shape: uvicorn's access formatter unpacks its args."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_tokens(a) if isinstance(a, str) else a for a in record.args)
        return True


def _add_once(filterer: logging.Filterer, kind: type[logging.Filter]) -> None:
    if not any(isinstance(f, kind) for f in filterer.filters):
        filterer.addFilter(kind())


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Add the filters to the handlers of `logger` (root by default); call after logging is configured."""
    for handler in (logger or logging.getLogger()).handlers:
        _add_once(handler, RedactPersonalData)
        _add_once(handler, RedactAccessTokens)
    # uvicorn's access log has a handler of its own and does not propagate: filter at the logger
    _add_once(logging.getLogger("uvicorn.access"), RedactAccessTokens)


if __name__ == "__main__":  # python -m shared.privacy rewrap <service>...
    from shared.settings import get_settings
    logging.basicConfig(level=logging.INFO)
    if len(sys.argv) < 3 or sys.argv[1] != "rewrap":
        sys.exit("usage: python -m shared.privacy rewrap <service>...")
    for name in sys.argv[2:]:
        vault = Vault.for_service(get_settings(), name)
        log.info("%s: %d data keys re-wrapped under the current master key", name, vault.rewrap())
        vault.close()
