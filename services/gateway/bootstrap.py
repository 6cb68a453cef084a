"""What the gateway needs before it serves: the token signing key and the first platform admin's password.

Embedded mode generates both on first start and keeps them in the data directory (0600), so no
installation runs with a published secret or password. Distributed mode runs several gateways that
must share them, so it requires both settings and refuses to start without them.
"""
import logging
import secrets
from pathlib import Path

from shared.keyfile import read_or_create
from shared.settings import Settings

log = logging.getLogger(__name__)

SECRET_FILE = "token-secret.key"
ADMIN_PASSWORD_FILE = "platform-admin-password.txt"
MIN_SECRET_LENGTH = 32
# Secrets this repository once published as defaults: a token signed with them must never be accepted.
PUBLISHED_SECRETS = frozenset({"dev-only-secret-change-me-in-production-0123456789",
                               "change-me-in-production-0123456789abcdef"})


class StartupRefused(RuntimeError):
    """A setting the gateway cannot safely start without."""


def gateway_settings(settings: Settings) -> Settings:
    """The settings with a usable secret key and platform admin password (generated in embedded mode)."""
    return settings.model_copy(update={"secret_key": token_secret(settings),
                                       "platform_admin_password": admin_password(settings)})


def token_secret(settings: Settings) -> str:
    if not settings.secret_key and settings.mode == "embedded":
        return generated_secret(settings.data_dir)
    if not settings.secret_key:
        raise StartupRefused("LSP_SECRET_KEY is required in distributed mode: the same random secret of at "
                             f"least {MIN_SECRET_LENGTH} characters for every gateway process")
    if len(settings.secret_key) < MIN_SECRET_LENGTH or settings.secret_key in PUBLISHED_SECRETS:
        raise StartupRefused(f"LSP_SECRET_KEY must be a random secret of at least {MIN_SECRET_LENGTH} characters, "
                             "not a published example")
    return settings.secret_key


def admin_password(settings: Settings) -> str:
    if settings.platform_admin_password:
        return settings.platform_admin_password
    if settings.mode != "embedded":
        raise StartupRefused("LSP_PLATFORM_ADMIN_PASSWORD is required in distributed mode "
                             "(the first platform admin's password)")
    password, path = generated_admin_password(settings.data_dir)
    log.warning("platform admin %s: the password is in %s", settings.platform_admin_email, path.resolve())
    return password


def generated_secret(data_dir: Path) -> str:
    return read_or_create(data_dir / SECRET_FILE, lambda: secrets.token_urlsafe(48))[0]


def generated_admin_password(data_dir: Path) -> tuple[str, Path]:
    path = data_dir / ADMIN_PASSWORD_FILE
    return read_or_create(path, lambda: secrets.token_urlsafe(18))[0], path


def local_secrets(data_dir: Path) -> dict[str, str]:
    """LSP_* settings for a distributed stack on one development machine (deploy/run_local.py)."""
    return {"LSP_SECRET_KEY": generated_secret(data_dir),
            "LSP_PLATFORM_ADMIN_PASSWORD": generated_admin_password(data_dir)[0]}
