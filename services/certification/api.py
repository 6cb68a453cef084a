"""Certification HTTP API: the LSP's decision (SK), the certificate register and public verification."""
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field

from services.certification import queries
from shared.web import (
    ASESI,
    KETUA_LSP,
    STAFF,
    BranchParam,
    Store,
    User,
    Versioned,
    branch_of,
    command,
    found,
    require,
)

router = APIRouter(tags=["certification"])
SERVICE = "certification"
CertificateNumber = Annotated[str, Path(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._-]+$")]


class DecisionIn(Versioned):
    decision: Literal["K", "BK"] = Field(description="K = Kompeten (issue the certificate), BK = Belum Kompeten")
    notes: str = Field(default="", max_length=2000)


def validity(valid_until: str, today: date) -> str:
    return "berlaku" if date.fromisoformat(valid_until) >= today else "kedaluwarsa"


@router.get("/api/certification/cases")
async def list_cases(store: Store, user: User = require(*STAFF), branch: BranchParam = None,
                     status_: Annotated[Literal["awaiting_decision", "decided"] | None,
                                       Query(alias="status")] = None) -> list[dict]:
    return await queries.list_cases(store, branch_of(user, branch), status_)


@router.get("/api/certification/cases/{case_id}")
async def get_case(case_id: str, store: Store, user: User = require(*STAFF),
                   branch: BranchParam = None) -> dict:
    return found(await queries.get_case(store, branch_of(user, branch), case_id), "case")


@router.post("/api/certification/cases/{case_id}/decide")
async def decide(case_id: str, body: DecisionIn, request: Request, user: User = require(KETUA_LSP),
                 branch: BranchParam = None) -> dict:
    result = await command(request, SERVICE, "decide", tenant=branch_of(user, branch),
                           actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, "status": "decided", "decision": body.decision, **result}


@router.get("/api/certificates")
async def list_certificates(store: Store, user: User = require(*STAFF, ASESI),
                            branch: BranchParam = None) -> list[dict]:
    own = user.id if user.role == ASESI else None  # an asesi sees only their own
    return await queries.list_certificates(store, branch_of(user, branch), holder_id=own)


@router.get("/api/public/certificates/{number}", summary="Verify a certificate (no login)")
async def verify_certificate(number: CertificateNumber, store: Store) -> dict:
    certificate = found(await queries.find_certificate(store, number), "certificate")
    return {"number": certificate["id"], "holder": {"name": certificate["holder"]["name"]},  # no ids in public
            "scheme": certificate["scheme"], "branch": certificate["tenant"],
            "issued_on": certificate["issued_on"], "valid_until": certificate["valid_until"],
            "status": validity(certificate["valid_until"], datetime.now(UTC).date())}
