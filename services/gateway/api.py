"""Gateway endpoints: login, branches and users, case timeline, dead letters, health."""
import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, EmailStr, Field

from services.gateway.identity import STAFF_ROLES, branch_id, jsonable_user
from shared.errors import Conflict, NotFound
from shared.messaging.topology import SERVICES
from shared.web import (
    ADMIN_LSP,
    ASESI,
    ASESOR,
    KETUA_LSP,
    MANAJER_SERTIFIKASI,
    PLATFORM_ADMIN,
    STAFF,
    BranchParam,
    CurrentUser,
    Store,
    User,
    branch_of,
    public,
    require,
)

router = APIRouter()
BranchCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,12}$", description="e.g. JKT01")]
Password = Annotated[str, Field(min_length=8, max_length=128)]
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


def identity(request: Request) -> Any:
    return request.app.state.identity


@router.post("/api/auth/token", tags=["auth"], summary="Log in (OAuth2 password flow)")
async def login(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> dict:
    token = await run_in_threadpool(request.app.state.authenticator.login, form.username, form.password)
    return {"access_token": token, "token_type": "bearer"}


@router.post("/api/auth/register", tags=["auth"], status_code=status.HTTP_201_CREATED,
             summary="Asesi self-registration in a branch")
async def signup(body: SignupIn, request: Request) -> dict:
    actor = {"id": "self", "role": ASESI, "name": body.name}
    user = await run_in_threadpool(identity(request).register, actor, body.branch, body.email,
                                   body.name, ASESI, body.password)
    return jsonable_user(user)


@router.get("/api/me", tags=["auth"])
async def me(user: CurrentUser) -> dict:
    return jsonable_user(user)


@router.post("/api/branches", tags=["branches"], status_code=status.HTTP_201_CREATED)
async def create_branch(body: BranchIn, request: Request, user: User = require(PLATFORM_ADMIN)) -> dict:
    if identity(request).exists(branch_id(body.code)):
        raise Conflict("branch {code} already exists", field="code", code=body.code)
    # Seed the default K3 catalogue first: it is idempotent, so if either step fails the admin
    # simply retries, and no branch is ever left without its schemes.
    await run_in_threadpool(request.app.state.bus.call, "registration", "seed_schemes",
                            tenant=body.code, actor=user.actor())
    await run_in_threadpool(identity(request).create_branch, user.actor(), body.code, body.name)
    return {"code": body.code, "name": body.name}


@router.get("/api/branches", tags=["branches"])
async def list_branches(store: Store, user: User = require(PLATFORM_ADMIN)) -> list[dict]:
    return [public(doc) for doc in await store.find("identity", "branches", {}, sort=[("code", 1)])]


@router.post("/api/branches/{code}/users", tags=["branches"], status_code=status.HTTP_201_CREATED)
async def create_user(code: str, body: StaffIn, request: Request, user: User = require(ADMIN_LSP)) -> dict:
    if user.tenant is not None and user.tenant != code:
        raise NotFound("{what} not found", what="branch")
    created = await run_in_threadpool(identity(request).register, user.actor(), code, body.email,
                                      body.name, body.role, body.password)
    return jsonable_user(created)


@router.get("/api/users", tags=["branches"])
async def list_users(store: Store, user: User = require(ADMIN_LSP, MANAJER_SERTIFIKASI, KETUA_LSP),
                     branch: BranchParam = None) -> list[dict]:
    docs = await store.find("identity", "users", {"tenant": branch_of(user, branch)}, sort=[("name", 1)])
    return [public(doc) for doc in docs]


@router.get("/api/cases/{case_id}/timeline", tags=["audit"],
            summary="A case's full history across the four services, rebuilt from their event logs")
async def case_timeline(case_id: str, request: Request, user: CurrentUser) -> dict:
    entries = await timeline_entries(request, user, case_id)
    return {"case_id": case_id, "branch": entries[0]["tenant"], "events": entries}


async def timeline_entries(request: Request, user: User, case_id: str) -> list[dict[str, Any]]:
    """Every event of the case from the four services' logs, oldest first; 404 for those who may not see it."""
    bus = request.app.state.bus
    tenant = user.tenant  # None for platform admins: every branch
    parts = await asyncio.gather(*(run_in_threadpool(bus.case_timeline, service, tenant, case_id)
                                   for service in SERVICES))
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


@router.get("/api/ops/dead-letters", tags=["operations"])
async def dead_letters(store: Store, user: User = require(PLATFORM_ADMIN),
                       include_replayed: bool = False) -> list[dict]:
    query = {} if include_replayed else {"replayed": False}
    found = []
    for service in SERVICES:
        for doc in await store.find(service, "dead_letters", query, sort=[("parked_at", 1)]):
            found.append({**public(doc), "service": service})
    return found


@router.post("/api/ops/dead-letters/{service}/{letter_id}/replay", tags=["operations"])
async def replay_dead_letter(service: Literal[SERVICES], letter_id: str, request: Request,  # type: ignore[valid-type]
                             user: User = require(PLATFORM_ADMIN)) -> dict:
    outcome = await run_in_threadpool(request.app.state.bus.replay_dead_letter, service, letter_id, user.actor())
    return {"id": letter_id, "outcome": outcome}


@router.get("/health", tags=["operations"])
async def health(request: Request) -> dict:
    return {"status": "ok", "mode": request.app.state.settings.mode}
