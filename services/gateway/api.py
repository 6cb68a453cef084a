"""Gateway endpoints: login, branches and users, case timeline, dead letters, health."""
import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, EmailStr, Field

from services import NAMES
from services.gateway.identity import STAFF_ROLES, branch_id, jsonable_user
from services.gateway.openapi import errors
from services.gateway.passwords import MAX_LENGTH, MIN_LENGTH
from services.gateway.throttle import client_address
from shared.errors import Conflict, Invalid, NotFound
from shared.responses import Actor, IsoTime, Model, Record, Timestamp
from shared.settings import Mode
from shared.web import (
    ADMIN_LSP,
    ASESI,
    ASESOR,
    KETUA_LSP,
    MANAJER_SERTIFIKASI,
    PLATFORM_ADMIN,
    ROLES,
    STAFF,
    BranchParam,
    CurrentUser,
    Store,
    User,
    branch_of,
    oauth2_scheme,
    public,
    require,
)

router = APIRouter()
BranchCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,12}$", description="e.g. JKT01")]
Password = Annotated[str, Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH, description=(
    "at least 10 characters, not a common password, without your name or e-mail"))]
Name = Annotated[str, Field(min_length=2, max_length=120)]


class BranchIn(BaseModel):
    code: BranchCode
    name: Name


class StaffIn(BaseModel):
    email: EmailStr
    name: Name
    password: Password
    role: Literal[STAFF_ROLES]  # type: ignore[valid-type]


class SignupIn(BaseModel):
    branch: BranchCode
    email: EmailStr
    name: Name
    password: Password


Role = Literal[ROLES]  # type: ignore[valid-type]


class Token(Model):
    access_token: str = Field(description="send it as Authorization: Bearer <token>")
    token_type: Literal["bearer"]


class Account(Model):
    id: str
    email: str
    name: str
    role: Role
    branch: str | None = Field(description="branch code; null for a platform admin")


class Branch(Model):
    code: str
    name: str


class BranchRecord(Branch):
    id: str = Field(description="the branch code")
    created_at: Timestamp
    version: int


class UserRecord(Record):
    """An account as the branch's user list shows it."""
    email: str
    name: str
    role: Role
    registered_at: Timestamp


class TimelineEntry(Model):
    """One event of a case, as its service's event log holds it."""
    service: str = Field(description="the service whose log recorded it")
    type: str = Field(description="the event, e.g. PaymentVerified")
    tenant: str
    occurred_at: IsoTime
    aggregate_id: str
    version: int = Field(description="the aggregate's version after this event")
    actor: Actor
    data: dict[str, Any] = Field(description="the event's own fields (each event type has its own)")


class Timeline(Model):
    case_id: str
    branch: str
    events: list[TimelineEntry] = Field(description="oldest first, across the four services")


class DeadLetter(Record):
    """An inbound event a service could not apply, parked after its retries."""
    service: str = Field(description="the service that could not apply it")
    type: str = Field(description="the event's type")
    envelope_id: str = Field(description="the event's id, <source>:<position>")
    error: str = Field(description="why it failed, the last time it was tried")
    attempts: int
    replayed: bool
    parked_at: Timestamp
    updated_at: Timestamp


class ReplayOutcome(Model):
    id: str
    outcome: Literal["replayed", "already replayed"]


class Health(Model):
    status: Literal["ok"]
    mode: Mode


def identity(request: Request) -> Any:
    return request.app.state.identity


@router.post("/api/auth/token", tags=["auth"], summary="Log in (OAuth2 password flow)", response_model=Token)
@errors(401, 429)  # a wrong password; the login throttle (Retry-After)
async def login(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()],
                branch: Annotated[str | None, Form(max_length=12, description=(
                    "branch code, only needed when your e-mail has accounts in several branches"))] = None) -> dict:
    token = await run_in_threadpool(request.app.state.authenticator.login, form.username, form.password,
                                    login_address(request), (branch or "").strip().upper())
    return {"access_token": token, "token_type": "bearer"}


def login_address(request: Request) -> str:
    """Where a login comes from, for the throttle (X-Forwarded-For only behind LSP_TRUSTED_PROXIES)."""
    return client_address(request, request.app.state.settings.trusted_proxies)


@router.post("/api/auth/logout", tags=["auth"], status_code=status.HTTP_204_NO_CONTENT,
             summary="Log out: this token stops working at once")
async def logout(request: Request, user: CurrentUser,
                 token: Annotated[str | None, Depends(oauth2_scheme)]) -> Response:
    await run_in_threadpool(request.app.state.authenticator.revoke, token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/api/auth/register", tags=["auth"], status_code=status.HTTP_201_CREATED,
             summary="Asesi self-registration in a branch", response_model=Account)
async def signup(body: SignupIn, request: Request) -> dict:
    if not identity(request).exists(branch_id(body.branch)):  # a code the person typed: say which field
        raise Invalid("no LSP branch has this code", field="branch")
    actor = {"id": "self", "role": ASESI, "name": body.name}
    user = await run_in_threadpool(identity(request).register, actor, body.branch, body.email,
                                   body.name, ASESI, body.password)
    return jsonable_user(user)


@router.get("/api/me", tags=["auth"], response_model=Account)
async def me(user: CurrentUser) -> dict:
    return jsonable_user(user)


@router.post("/api/branches", tags=["branches"], status_code=status.HTTP_201_CREATED, response_model=Branch)
async def create_branch(body: BranchIn, request: Request, user: User = require(PLATFORM_ADMIN)) -> dict:
    return await open_branch(request, user, body)


async def open_branch(request: Request, user: User, body: BranchIn) -> dict:
    """A new LSP branch with the default K3 scheme catalogue (the API and the platform admin's page)."""
    if identity(request).exists(branch_id(body.code)):
        raise Conflict("branch {code} already exists", field="code", code=body.code)
    # Seed the default K3 catalogue first: it is idempotent, so if either step fails the admin
    # simply retries, and no branch is ever left without its schemes.
    await run_in_threadpool(request.app.state.bus.call, "registration", "seed_schemes",
                            tenant=body.code, actor=user.actor())
    await run_in_threadpool(identity(request).create_branch, user.actor(), body.code, body.name)
    return {"code": body.code, "name": body.name}


@router.get("/api/branches", tags=["branches"], response_model=list[BranchRecord])
async def list_branches(store: Store, user: User = require(PLATFORM_ADMIN)) -> list[dict]:
    return [public(doc) for doc in await store.find("identity", "branches", {}, sort=[("code", 1)])]


@router.post("/api/branches/{code}/users", tags=["branches"], status_code=status.HTTP_201_CREATED,
             response_model=Account)
async def create_user(code: str, body: StaffIn, request: Request, user: User = require(ADMIN_LSP)) -> dict:
    return await add_staff(request, user, code, body)


async def add_staff(request: Request, user: User, code: str, body: StaffIn) -> dict:
    """A staff account in a branch: by the platform admin, or by the branch's own admin LSP."""
    if user.tenant is not None and user.tenant != code:
        raise NotFound("{what} not found", what="branch")
    created = await run_in_threadpool(identity(request).register, user.actor(), code, body.email,
                                      body.name, body.role, body.password)
    return jsonable_user(created)


@router.get("/api/users", tags=["branches"], response_model=list[UserRecord])
async def list_users(store: Store, user: User = require(ADMIN_LSP, MANAJER_SERTIFIKASI, KETUA_LSP),
                     branch: BranchParam = None) -> list[dict]:
    docs = await store.find("identity", "users", {"tenant": branch_of(user, branch)}, sort=[("name", 1)])
    return [public(doc) for doc in docs]


@router.get("/api/cases/{case_id}/timeline", tags=["audit"],
            summary="A case's full history across the four services, rebuilt from their event logs",
            response_model=Timeline)
async def case_timeline(case_id: str, request: Request, user: CurrentUser) -> dict:
    entries = await timeline_entries(request, user, case_id)
    return {"case_id": case_id, "branch": entries[0]["tenant"], "events": entries}


async def timeline_entries(request: Request, user: User, case_id: str) -> list[dict[str, Any]]:
    """Every event of the case from the four services' logs, oldest first; 404 for those who may not see it."""
    bus = request.app.state.bus
    tenant = user.tenant  # None for platform admins: every branch
    parts = await asyncio.gather(*(run_in_threadpool(bus.case_timeline, service, tenant, case_id)
                                   for service in NAMES))
    entries = sorted((entry for part in parts for entry in part), key=lambda e: e["occurred_at"])
    if not entries or not may_see_case(user, entries):
        raise NotFound("{what} not found", what="case")
    return entries


def may_see_case(user: User, entries: list[dict]) -> bool:
    """Staff of the branch see its cases; an asesi only their own; an asesor only assigned ones."""
    if user.role == ASESI:
        return entries[0]["data"].get("asesi", {}).get("id") == user.id
    if user.role == ASESOR:
        return any(e["data"].get("assessor", {}).get("id") == user.id for e in entries)
    return user.role in (*STAFF, PLATFORM_ADMIN)  # committee and supervisors: through their own steps, later


@router.get("/api/ops/dead-letters", tags=["operations"], response_model=list[DeadLetter])
async def dead_letters(store: Store, user: User = require(PLATFORM_ADMIN),
                       include_replayed: bool = False) -> list[dict]:
    query = {} if include_replayed else {"replayed": False}
    found = []
    for service in NAMES:
        for doc in await store.find(service, "dead_letters", query, sort=[("parked_at", 1)]):
            found.append({**public(doc), "service": service})
    return found


@router.post("/api/ops/dead-letters/{service}/{letter_id}/replay", tags=["operations"],
             response_model=ReplayOutcome)
async def replay_dead_letter(service: Literal[NAMES], letter_id: str, request: Request,  # type: ignore[valid-type]
                             user: User = require(PLATFORM_ADMIN)) -> dict:
    outcome = await run_in_threadpool(request.app.state.bus.replay_dead_letter, service, letter_id, user.actor())
    return {"id": letter_id, "outcome": outcome}


@router.get("/health", tags=["operations"], response_model=Health)
async def health(request: Request) -> dict:
    return {"status": "ok", "mode": request.app.state.settings.mode}
