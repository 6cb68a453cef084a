"""Identity: branches (tenants) and user accounts, event-sourced in the gateway's own store.

Accounts have stable ids derived from the e-mail, so login needs no read model.
Passwords are argon2 hashes; tokens are signed (HS256) and expire.
"""
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from eventsourcing.domain import event
from fastapi import HTTPException

from shared.aggregate import Actor, TenantAggregate, stable_id
from shared.contracts import Envelope
from shared.errors import Conflict, NotFound
from shared.eventstore import ServiceApplication, event_store_env
from shared.readstore import ReadStore
from shared.settings import Settings
from shared.web import PLATFORM_ADMIN, User

PLATFORM = "*"  # the tenant of platform-level records
STAFF_ROLES = ("admin_lsp", "asesor", "ketua_lsp", "manajer_sertifikasi", "asesor_penyelia", "komite_teknis")


def branch_id(code: str) -> UUID:
    return stable_id("branch", code)


def account_id(email: str) -> UUID:
    return stable_id("account", email.strip().lower())


class Branch(TenantAggregate):
    @staticmethod
    def create_id(tenant: str) -> UUID:
        return branch_id(tenant)

    @event("BranchCreated")
    def __init__(self, tenant: str, actor: Actor, name: str):
        self.tenant = tenant
        self.name = name


class Account(TenantAggregate):
    @staticmethod
    def create_id(email: str) -> UUID:
        return account_id(email)

    @event("AccountRegistered")
    def __init__(self, tenant: str, actor: Actor, email: str, name: str, role: str, password_hash: str):
        self.tenant = tenant
        self.email = email
        self.name = name
        self.role = role
        self.password_hash = password_hash

    def user(self) -> User:
        return User(id=str(self.id), email=self.email, name=self.name, role=self.role,
                    tenant=None if self.role == PLATFORM_ADMIN else self.tenant)


class IdentityApp(ServiceApplication):
    name = "identity"
    commands: ClassVar[tuple[str, ...]] = ()
    hasher = PasswordHasher()

    def policies(self) -> dict:
        return {}

    def create_branch(self, actor: Actor, code: str, name: str) -> str:
        if self.exists(branch_id(code)):
            raise Conflict("branch {code} already exists", field="code", code=code)
        branch = Branch(tenant=code, actor=actor, name=name)
        self.save_checked(branch)
        return str(branch.id)

    def branch(self, code: str) -> Branch:
        return self.get_owned(branch_id(code), None, "branch", Branch)

    def register(self, actor: Actor, tenant: str, email: str, name: str, role: str, password: str) -> User:
        if tenant != PLATFORM:
            self.branch(tenant)
        email = email.strip().lower()
        if self.exists(account_id(email)):
            raise Conflict("this e-mail is already registered", field="email")
        account = Account(tenant=tenant, actor=actor, email=email, name=name, role=role,
                          password_hash=self.hasher.hash(password))
        self.save_checked(account)
        return account.user()

    def user(self, user_id: str) -> User | None:
        try:
            return self.get_owned(UUID(user_id), None, "user", Account).user()
        except (ValueError, NotFound):
            return None

    def check_password(self, email: str, password: str) -> User | None:
        try:
            account = self.get_owned(account_id(email), None, "user", Account)
            self.hasher.verify(account.password_hash, password)
        except (NotFound, VerificationError):
            return None
        return account.user()

    def ensure_platform_admin(self, email: str, password: str) -> None:
        if not self.exists(account_id(email)):
            self.register({"id": "system", "role": "system", "name": "bootstrap"}, PLATFORM, email,
                          "Platform Admin", PLATFORM_ADMIN, password)


class Authenticator:
    """Issues and checks tokens; throttles repeated failed logins per e-mail."""

    def __init__(self, identity: IdentityApp, settings: Settings):
        self.identity = identity
        self.settings = settings
        self.failures: dict[str, tuple[int, float]] = {}
        self.lock = threading.Lock()

    def login(self, email: str, password: str) -> str:
        key = email.strip().lower()
        with self.lock:
            count, locked_until = self.failures.get(key, (0, 0.0))
        if locked_until > time.monotonic():
            raise HTTPException(429, {"code": "too_many_attempts",
                                      "message": "terlalu banyak percobaan masuk; coba lagi nanti"})
        user = self.identity.check_password(key, password)
        if user is None:
            count += 1
            locked = count >= self.settings.login_max_failures
            lock = time.monotonic() + self.settings.login_lock_seconds if locked else 0.0
            with self.lock:
                self.failures[key] = (0 if lock else count, lock)
            raise HTTPException(401, {"code": "bad_credentials", "message": "e-mail atau kata sandi salah"},
                                headers={"WWW-Authenticate": "Bearer"})
        with self.lock:
            self.failures.pop(key, None)
        return self.token(user)

    def token(self, user: User) -> str:
        now = datetime.now(UTC)
        claims = {"sub": user.id, "email": user.email, "name": user.name, "role": user.role,
                  "tenant": user.tenant, "iat": now,
                  "exp": now + timedelta(minutes=self.settings.token_minutes)}
        return jwt.encode(claims, self.settings.secret_key, algorithm="HS256")

    def authenticate(self, token: str) -> User:
        try:
            claims = jwt.decode(token, self.settings.secret_key, algorithms=["HS256"])
        except jwt.PyJWTError:
            raise HTTPException(401, {"code": "invalid_token", "message": "sesi tidak valid atau kedaluwarsa"},
                                headers={"WWW-Authenticate": "Bearer"}) from None
        return User(id=claims["sub"], email=claims["email"], name=claims["name"], role=claims["role"],
                    tenant=claims["tenant"])


async def branch_created(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned("identity", "branches", env.tenant, env.aggregate_version,
                                 {"code": env.tenant, "name": env.data["name"], "created_at": env.occurred_at})


async def account_registered(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned("identity", "users", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "email": env.data["email"], "name": env.data["name"],
        "role": env.data["role"], "registered_at": env.occurred_at})


PROJECTIONS = {"BranchCreated": branch_created, "AccountRegistered": account_registered}


def build_identity(settings: Settings) -> IdentityApp:
    return IdentityApp(env=event_store_env(settings, IdentityApp.name))



def jsonable_user(user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role, "branch": user.tenant}
