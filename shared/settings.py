"""Typed settings, read once per process from LSP_* environment variables."""
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

Mode = Literal["embedded", "distributed"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LSP_")

    mode: Mode = "embedded"
    host: str = "127.0.0.1"
    port: int = 8000
    header_read_timeout: float = 10.0  # seconds for a request's head, then the connection closes (slowloris)
    data_dir: Path = Path("data")
    # Each adapter defaults from the mode; set explicitly to mix (e.g. embedded + PostgreSQL).
    event_store: Literal["sqlite", "postgres", ""] = ""
    broker_uri: str = ""
    read_store_uri: str = ""  # "memory" (mongomock-motor) or a mongodb:// URI

    amqp_uri: str = "amqp://guest:guest@127.0.0.1:5672/"
    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "postgres"
    postgres_password: str = ""
    postgres_db: str = "lsp"
    postgres_schema_prefix: str = ""  # lets tests run side by side in one database
    mongo_uri: str = "mongodb://127.0.0.1:27017"
    read_db_prefix: str = "lsp"

    # Token signing key, at least 32 characters. Embedded mode without it generates and keeps
    # <data_dir>/token-secret.key; distributed mode refuses to start without it (services/gateway/bootstrap.py).
    secret_key: str = ""
    token_minutes: int = 60
    platform_admin_email: str = "admin@platform.local"
    # The first platform admin's password (the password policy applies). Embedded mode without it
    # generates <data_dir>/platform-admin-password.txt; distributed mode requires it.
    platform_admin_password: str = ""
    # Login throttle (services/gateway/throttle.py): failed logins are counted per (account, client
    # address) and per client address over a window; past the limit that pair or address waits out
    # the lock. Every account also has a ceiling over all addresses, which only asks for a short wait.
    login_window_seconds: int = 900
    login_max_failures: int = 5  # per account and address in the window; then locked for login_lock_seconds
    login_lock_seconds: int = 900
    login_address_max_failures: int = 20  # per address over all accounts in the window; then locked as well
    login_account_max_failures: int = 10  # per account over all addresses in login_account_wait_seconds ...
    login_account_wait_seconds: int = 60  # ... then every address waits this long at most
    # Client addresses (comma-separated) of reverse proxies whose X-Forwarded-For is believed; none by default
    trusted_proxies: str = ""

    # Personal data (shared/privacy.py). Base64 of 32 random bytes, the same in every process.
    privacy_master_key: str = ""
    privacy_previous_master_keys: str = ""  # comma-separated; only while re-wrapping after a rotation
    privacy_insecure_dev_key: bool = False  # distributed mode: allow a generated <data_dir>/privacy-master.key
    privacy_key_cache_size: int = 4096  # decrypted subject keys kept per vault
    privacy_key_cache_seconds: float = 30.0  # how long another process may still open a forgotten subject

    retry_attempts: int = 5
    retry_base_delay: float = 0.2
    poll_interval: float = 1.0  # fallback only: relays and projectors are woken when events are saved
    assessor_max_active_cases: int = 10  # '1 asesor <= 10 asesi' seen in practice; no BNSP text found
    upload_max_bytes: int = 10 * 1024 * 1024  # per uploaded document (scan, photo, payment proof)
    request_max_bytes: int = 1024 * 1024  # any other request body (JSON, a page's form); larger answers 413
    upload_max_pixels: int = 40_000_000  # an image is decoded in full to check it: ~160 MB of RAM at most
    upload_max_pages: int = 500  # per PDF; every page and object is parsed to check it
    # Every accepted upload stays stored (a replaced one too), so every one counts against these.
    upload_quota_per_case_mb: int = 50
    upload_quota_per_asesi_mb: int = 200  # across all of the asesi's applications
    asesi_max_drafts: int = 5  # open drafts at once: bounds how many cases one asesi can upload to

    # Notices to the asesi by e-mail (shared/mail.py, shared/notices.py).
    mail_transport: Literal["outbox", "smtp", ""] = ""  # "": outbox in embedded mode, smtp otherwise
    mail_max_attempts: int = 5  # a notice that still fails after this many sends is recorded as failed
    mail_retry_base_delay: float = 30.0  # seconds before the 2nd send; doubles after each failure
    public_url: str = ""  # e.g. https://e-asesmen.example.id; notices link to it when set
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""  # logs in only when set
    smtp_password: str = ""
    smtp_from: str = "LSP e-Asesmen <no-reply@lsp.local>"
    smtp_starttls: bool = False
    smtp_timeout: float = 10.0

    def resolved_event_store(self) -> str:
        return self.event_store or ("sqlite" if self.mode == "embedded" else "postgres")

    def resolved_broker_uri(self) -> str:
        return self.broker_uri or ("memory://" if self.mode == "embedded" else self.amqp_uri)

    def resolved_read_store_uri(self) -> str:
        return self.read_store_uri or ("memory" if self.mode == "embedded" else self.mongo_uri)

    def resolved_mail_transport(self) -> str:
        return self.mail_transport or ("outbox" if self.mode == "embedded" else "smtp")


@lru_cache
def get_settings() -> Settings:
    return Settings()
