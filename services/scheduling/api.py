"""Scheduling HTTP API: the assessor registry (Daftar Asesor) and assigning assessors to cases."""
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, Field

from services.scheduling import queries
from shared.errors import Invalid
from shared.responses import AssessorRef, Model, Person, Record, Saved, SchemeSnapshot, Timestamp
from shared.web import (
    ADMIN_LSP,
    ASESOR,
    MANAJER_SERTIFIKASI,
    STAFF,
    BranchParam,
    Store,
    User,
    Versioned,
    branch_of,
    branch_user,
    command,
    found,
    require,
)

router = APIRouter(tags=["scheduling"])
SERVICE = "scheduling"
CaseStatus = Literal["awaiting_assessor", "assigned", "completed"]
SchemeNumber = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9./_-]+$")]


class AssessorIn(BaseModel):
    user_id: str = Field(min_length=1, max_length=64, description="an existing user with role asesor")
    met_number: str = Field(pattern=r"^MET\.\d{3}\.\d{6}[ .]\d{4}$", description="No. Reg. MET",
                            examples=["MET.000.001668.2012"])
    valid_until: date = Field(description="expiry of the MET registration")
    scheme_numbers: list[SchemeNumber] = Field(min_length=1, max_length=50)


class AssignIn(Versioned):
    assessor_id: str = Field(min_length=1, max_length=64, description="the assessor's user id")


class Assessor(Record):
    """An entry of the Daftar Asesor, with the cases the asesor holds now."""
    user_id: str = Field(description="the asesor's user id")
    name: str
    met_number: str = Field(description="No. Reg. MET")
    valid_until: date = Field(description="expiry of the MET registration")
    scheme_numbers: list[str] = Field(description="the schemes the asesor is competent in")
    active_cases: list[str] = Field(description="case ids assigned and not yet recommended")
    load: int = Field(description="how many active cases")
    registered_at: Timestamp


class AssessorRegistered(Model):
    id: str = Field(description="the registry entry's id")
    user_id: str


class ScheduleCase(Record):
    """A case found feasible, waiting for (or given) its asesor."""
    asesi: Person
    scheme: SchemeSnapshot
    invoice_number: str
    status: CaseStatus
    assessor: AssessorRef | None = Field(description="null until assigned")
    opened_at: Timestamp
    assigned_at: Timestamp | None = Field(default=None, description="absent until assigned")
    updated_at: Timestamp


class Assignment(Saved):
    status: Literal["assigned"]
    assessor_id: str = Field(description="the asesor's user id")


async def branch_asesor(request: Request, user_id: str, tenant: str) -> User:
    """The user to register: must exist in this branch with the asesor role."""
    candidate = await branch_user(request, user_id)
    if candidate is None or candidate.tenant != tenant or candidate.role != ASESOR:
        raise Invalid("must be a user of this branch with the role asesor", field="user_id")
    return candidate


@router.post("/api/assessors", status_code=status.HTTP_201_CREATED, response_model=AssessorRegistered)
async def register_assessor(body: AssessorIn, request: Request, user: User = require(ADMIN_LSP),
                            branch: BranchParam = None) -> dict:
    tenant = branch_of(user, branch)
    asesor = await branch_asesor(request, body.user_id, tenant)
    assessor_id = await command(request, SERVICE, "register_assessor", tenant=tenant, actor=user.actor(),
                                name=asesor.name, **body.model_dump(mode="json"))
    return {"id": assessor_id, "user_id": body.user_id}


@router.get("/api/assessors", response_model=list[Assessor])
async def list_assessors(store: Store, user: User = require(*STAFF), branch: BranchParam = None,
                         scheme_number: Annotated[str | None, Query(max_length=64)] = None) -> list[dict]:
    return await queries.list_assessors(store, branch_of(user, branch), scheme_number)


@router.get("/api/scheduling/cases", response_model=list[ScheduleCase], response_model_exclude_unset=True)
async def list_cases(store: Store, user: User = require(*STAFF), branch: BranchParam = None,
                     status_: Annotated[CaseStatus | None, Query(alias="status")] = None) -> list[dict]:
    return await queries.list_cases(store, branch_of(user, branch), status_)


@router.get("/api/scheduling/cases/{case_id}", response_model=ScheduleCase, response_model_exclude_unset=True)
async def get_case(case_id: str, store: Store, user: User = require(*STAFF),
                   branch: BranchParam = None) -> dict:
    return found(await queries.get_case(store, branch_of(user, branch), case_id), "case")


@router.post("/api/scheduling/cases/{case_id}/assign", response_model=Assignment)
async def assign_assessor(case_id: str, body: AssignIn, request: Request,
                          user: User = require(ADMIN_LSP, MANAJER_SERTIFIKASI),
                          branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "assign_assessor", tenant=branch_of(user, branch),
                            actor=user.actor(), case_id=case_id, assessor_user_id=body.assessor_id,
                            expected_version=body.expected_version)
    return {"id": case_id, "status": "assigned", "assessor_id": body.assessor_id, "version": version}
