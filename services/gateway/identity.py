"""Identity: branches (tenants) and user accounts, event-sourced in the gateway's own store.

An account belongs to one branch: its stable id derives from the branch and the e-mail, so the same
e-mail may have an account in several branches, and signing up in one branch tells nothing about
the others. An EmailIndex per e-mail lists its accounts (saved in the same transaction as each
account), so login by e-mail needs no read model. Passwords are argon2 hashes; tokens are signed
(HS256), expire, and are revoked at logout.
"""
import secrets
import time
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, ClassVar
from uuid import UUID, uuid4

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import event
from fastapi import HTTPException

from services.gateway.authstore import AuthStore
from services.gateway.passwords import require_strong
from services.gateway.throttle import LoginThrottle, Throttled
from shared.aggregate import Actor, TenantAggregate, stable_id
from shared.contracts import Envelope
from shared.errors import Conflict, Invalid, NotFound
from shared.eventstore import ServiceApplication, event_store_env
from shared.readstore import ReadStore
from shared.settings import Settings
from shared.web import PLATFORM_ADMIN, ROLES, User

PLATFORM = "*"  # the tenant of platform-level records
STAFF_ROLES = ("admin_lsp", "asesor", "ketua_lsp", "manajer_sertifikasi", "asesor_penyelia", "komite_teknis")
BOOTSTRAP: Actor = {"id": "system", "role": "system", "name": "bootstrap"}
MAX_ACCOUNTS_CHECKED = 5  # per login without a branch code: bounds the argon2 work one request can cause


def branch_id(code: str) -> UUID:
    return stable_id("branch", code)


def normal_email(email: str) -> str:
    return email.strip().lower()


def account_id(tenant: str, email: str) -> UUID:
    return stable_id("account", tenant, normal_email(email))


def legacy_account_id(email: str) -> UUID:
    """Accounts made before accounts were per branch (one per e-mail platform-wide) keep this id."""
    return stable_id("account", normal_email(email))


def email_index_id(email: str) -> UUID:
    return stable_id("email-index", normal_email(email))


class Branch(TenantAggregate):
    @staticmethod
    def create_id(tenant: str) -> UUID:
        return branch_id(tenant)

    @event("BranchCreated")
    def __init__(self, tenant: str, actor: Actor, name: str):
        self.tenant = tenant
        self.name = name
        self.profile: dict[str, Any] = {}

    @event("BranchProfileChanged")
    def change_profile(self, actor: Actor, profile: dict[str, Any]) -> None:
        """What the branch's documents print: letterhead, licence, and how an asesi pays its invoices."""
        self.profile = dict(profile)


class Account(TenantAggregate):
    @staticmethod
    def create_id(tenant: str, email: str) -> UUID:
        return account_id(tenant, email)

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


class EmailIndex(TenantAggregate):
    """The accounts of one e-mail address, oldest first, across branches (a platform-level record)."""

    @staticmethod
    def create_id(email: str) -> UUID:
        return email_index_id(email)

    @event("EmailIndexOpened")
    def __init__(self, tenant: str, actor: Actor, email: str, accounts: list[str]):
        self.tenant = tenant
        self.email = email
        self.accounts = [*accounts]

    @event("EmailAccountAdded")
    def add(self, actor: Actor, account: str) -> None:
        self.accounts.append(account)


class IdentityApp(ServiceApplication):
    name = "identity"
    commands: ClassVar[tuple[str, ...]] = ()
    hasher = PasswordHasher()

    def policies(self) -> dict:
        return {}

    @cached_property
    def dummy_hash(self) -> str:
        """Verified against when no account matches, so an unknown e-mail costs the same argon2 work."""
        return self.hasher.hash(secrets.token_urlsafe(16))

    def create_branch(self, actor: Actor, code: str, name: str) -> str:
        if self.exists(branch_id(code)):
            raise Conflict("branch {code} already exists", field="code", code=code)
        branch = Branch(tenant=code, actor=actor, name=name)
        self.save_checked(branch)
        return str(branch.id)

    def branch(self, code: str) -> Branch:
        return self.get_owned(branch_id(code), None, "branch", Branch)

    def change_branch_profile(self, actor: Actor, code: str, profile: dict[str, Any],
                              expected_version: int | None = None) -> int:
        branch = self.branch(code)
        branch.check_version(expected_version)
        branch.change_profile(actor, profile)
        self.save_checked(branch)
        return branch.version

    def register(self, actor: Actor, tenant: str, email: str, name: str, role: str, password: str) -> User:
        """A new account in the branch; 409 only if the e-mail already has one in THIS branch."""
        if tenant != PLATFORM:
            self.branch(tenant)
        email = normal_email(email)
        self._require_new(tenant, email)
        require_strong(password, email, name)
        password_hash = self.hasher.hash(password)
        return self.retry_on_conflict(lambda: self._add_account(actor, tenant, email, name, role, password_hash))

    def _require_new(self, tenant: str, email: str) -> None:
        if any(account.tenant == tenant for account in self.accounts(email)):
            raise Conflict("this e-mail is already registered", field="email")

    def _add_account(self, actor: Actor, tenant: str, email: str, name: str, role: str, password_hash: str) -> User:
        """The account and its entry in the e-mail's index in one transaction (retried when another
        branch's sign-up of the same e-mail wrote the index first)."""
        self._require_new(tenant, email)
        account = Account(tenant=tenant, actor=actor, email=email, name=name, role=role, password_hash=password_hash)
        index = self._index(email) or EmailIndex(tenant=PLATFORM, actor=actor, email=email,
                                                 accounts=self._legacy_ids(email))
        index.add(actor, str(account.id))
        self.save(index, account)
        return account.user()

    def accounts(self, email: str, branch: str | None = None) -> list[Account]:
        """The e-mail's accounts, oldest first (only the one in `branch` when given)."""
        index = self._index(email)
        ids = index.accounts if index else self._legacy_ids(email)
        found = [self.repository.get(UUID(i)) for i in ids]
        return [a for a in found if branch is None or a.tenant == branch]

    def _index(self, email: str) -> EmailIndex | None:
        try:
            return self.repository.get(email_index_id(email))
        except AggregateNotFoundError:
            return None

    def _legacy_ids(self, email: str) -> list[str]:
        legacy = legacy_account_id(email)
        return [str(legacy)] if self.exists(legacy) else []

    def user(self, user_id: str) -> User | None:
        try:
            return self.get_owned(UUID(user_id), None, "user", Account).user()
        except (ValueError, NotFound):
            return None

    def check_password(self, email: str, password: str, branch: str | None = None) -> User | None:
        """The account this password opens: the e-mail's account in `branch`, else the one of its
        (first few) accounts that the password fits. Argon2 runs even for an unknown e-mail."""
        candidates = self.accounts(normal_email(email), branch)[:MAX_ACCOUNTS_CHECKED]
        if not candidates:
            self._verify(self.dummy_hash, password)
            return None
        matches = [account for account in candidates if self._verify(account.password_hash, password)]
        if len(matches) > 1:  # only whoever knows the password of both learns that there are two
            raise Invalid("this e-mail has accounts in more than one branch; give the branch code", field="branch")
        return matches[0].user() if matches else None

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except VerificationError:
            return False

    def ensure_platform_admin(self, email: str, password: str) -> None:
        if any(account.role == PLATFORM_ADMIN for account in self.accounts(email)):
            return
        try:
            self.register(BOOTSTRAP, PLATFORM, email, "Platform Admin", PLATFORM_ADMIN, password)
        except Conflict:  # another gateway process starting at the same moment created it
            pass


class Authenticator:
    """Issues, checks and revokes tokens; throttles password guesses (services/gateway/throttle.py)."""

    def __init__(self, identity: IdentityApp, settings: Settings, clock: Any = time.time):
        self.identity = identity
        self.settings = settings
        self.store = AuthStore.for_application(identity)
        self.throttle = LoginThrottle(self.store, settings, clock)
        _ = identity.dummy_hash  # made now, so the first unknown e-mail is not slower than the rest

    def login(self, email: str, password: str, address: str, branch: str | None = None) -> str:
        email = normal_email(email)
        try:
            attempt = self.throttle.reserve(email, address)  # counted before the password is checked
        except Throttled as throttled:
            raise HTTPException(429, {"code": "too_many_attempts",
                                      "message": "terlalu banyak percobaan masuk; coba lagi nanti"},
                                headers={"Retry-After": str(throttled.retry_after)}) from None
        try:
            user = self.identity.check_password(email, password, branch or None)
        except BaseException:
            self.throttle.release(attempt)  # not a wrong password: e.g. the branch must be named
            raise
        if user is None:  # the counted attempt stays a failure
            raise HTTPException(401, {"code": "bad_credentials", "message": "e-mail atau kata sandi salah"},
                                headers={"WWW-Authenticate": "Bearer"})
        self.throttle.succeeded(attempt)
        return self.token(user)

    def token(self, user: User) -> str:
        now = datetime.now(UTC)
        claims = {"sub": user.id, "email": user.email, "name": user.name, "role": user.role,
                  "tenant": user.tenant, "iat": now, "jti": uuid4().hex,
                  "exp": now + timedelta(minutes=self.settings.token_minutes)}
        return jwt.encode(claims, self.settings.secret_key, algorithm="HS256")

    def authenticate(self, token: str) -> User:
        """The token's user; 401 for a bad, expired, malformed or revoked token."""
        claims = self.claims(token)
        if claims is None or self.store.is_revoked(claims["jti"]):
            raise HTTPException(401, {"code": "invalid_token", "message": "sesi tidak valid atau kedaluwarsa"},
                                headers={"WWW-Authenticate": "Bearer"})
        return User(id=claims["sub"], email=claims["email"], name=claims["name"], role=claims["role"],
                    tenant=claims["tenant"])

    def revoke(self, token: str) -> bool:
        """Logout: the token stops working everywhere (until it would have expired anyway)."""
        claims = self.claims(token)
        if claims is None:
            return False
        self.store.revoke(claims["jti"], float(claims["exp"]))
        return True

    def claims(self, token: str) -> dict[str, Any] | None:
        """The verified claims, or None: a bad signature, an expired token, or a claim missing or mistyped."""
        try:
            claims = jwt.decode(token, self.settings.secret_key, algorithms=["HS256"],
                                options={"require": ["exp", "iat", "jti", "sub"]})
        except jwt.PyJWTError:
            return None
        return claims if well_formed(claims) else None


def well_formed(claims: dict[str, Any]) -> bool:
    """Every claim a User needs, of its type; only a platform admin is of no branch."""
    if not all(isinstance(claims.get(name), str) for name in ("sub", "email", "name", "role", "jti")):
        return False
    tenant = claims.get("tenant", "")  # a branch code, or null for a platform admin; never absent
    return ("tenant" in claims and claims["role"] in ROLES and isinstance(claims.get("exp"), int | float)
            and isinstance(tenant, str | None) and (tenant is None) == (claims["role"] == PLATFORM_ADMIN))


async def branch_created(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned("identity", "branches", env.tenant, env.aggregate_version,
                                 {"code": env.tenant, "name": env.data["name"], "created_at": env.occurred_at})


async def account_registered(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned("identity", "users", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "email": env.data["email"], "name": env.data["name"],
        "role": env.data["role"], "registered_at": env.occurred_at})


async def branch_profile_changed(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned("identity", "branches", env.tenant, env.aggregate_version,
                                 {"profile": env.data["profile"], "profile_changed_at": env.occurred_at})


PROJECTIONS = {"BranchCreated": branch_created, "AccountRegistered": account_registered,
               "BranchProfileChanged": branch_profile_changed}


def build_identity(settings: Settings) -> IdentityApp:
    return IdentityApp(env=event_store_env(settings, IdentityApp.name))



def jsonable_user(user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role, "branch": user.tenant}
