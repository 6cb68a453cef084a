"""Registration HTTP API: scheme catalogue, applications (FR.APL.01), invoice and payment."""
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from pydantic import BaseModel, Field

from services.registration import documents, queries
from services.registration.domain import METHODS, PURPOSES, REQUIREMENT_CATEGORIES, SCHEME_KINDS, STANDARD_TYPES
from shared.web import (
    ADMIN_LSP,
    ASESI,
    PLATFORM_ADMIN,
    STAFF,
    BranchParam,
    CurrentUser,
    Store,
    User,
    Versioned,
    branch_name,
    branch_of,
    command,
    found,
    require,
)

router = APIRouter(tags=["registration"])
SERVICE = "registration"
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9./_-]+$")]
Text = Annotated[str, Field(min_length=1, max_length=300)]
Method = Literal[METHODS]  # type: ignore[valid-type]
Number = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[0-9]+(\.[0-9]+)*$", examples=["2.3"])]


class KukIn(BaseModel):
    number: Number
    text: str = Field(min_length=1, max_length=1000)


class ElementIn(BaseModel):
    number: Number
    title: Text
    kuk: list[KukIn] = Field(default=[], max_length=50, description="kriteria unjuk kerja")


class UnitIn(BaseModel):
    code: Code
    title: Text
    standard_type: Literal[STANDARD_TYPES] = "SKKNI"  # type: ignore[valid-type]
    reference: str = Field(default="", max_length=200, examples=["SKKNI No. 38 Tahun 2019"])
    elements: list[ElementIn] = Field(default=[], max_length=50)


class RequirementIn(BaseModel):
    code: Code
    title: Text
    category: Literal[REQUIREMENT_CATEGORIES]  # type: ignore[valid-type]


class SchemeContentIn(BaseModel):
    title: Text
    kind: Literal[SCHEME_KINDS]  # type: ignore[valid-type]
    units: list[UnitIn] = Field(max_length=100, description="at least one while the scheme is published")
    fee: int = Field(ge=0, le=1_000_000_000)
    validity_years: int = Field(default=3, ge=1, le=10)
    requirements: list[RequirementIn] = Field(default=[], max_length=50, description="persyaratan dasar")
    methods: list[Method] = Field(default=list(METHODS), min_length=1, max_length=len(METHODS))
    remote_requirements: list[Text] | None = Field(
        default=None, max_length=20, description="what the asesi prepares; default: the SOP's equipment list")


class SchemeIn(SchemeContentIn):
    number: Code
    published: bool = Field(default=True, description="false: a draft, kept out of the public catalogue")


class SchemeRevisionIn(SchemeContentIn):
    expected_version: int = Field(ge=1, description="the version you revise; a stale one answers 409")


class ApplicationIn(BaseModel):
    scheme_id: str = Field(min_length=1, max_length=64)
    purpose: Literal[PURPOSES] = "Sertifikasi"  # type: ignore[valid-type]


class AcceptIn(Versioned):
    notes: str = Field(default="", max_length=2000)


class PaymentProofIn(Versioned):
    reference: str = Field(min_length=1, max_length=120, description="bank transfer reference")
    amount: int = Field(gt=0, le=1_000_000_000)


def drafts_hidden(user: User) -> bool:
    """Only the branch's office sees schemes that are not published."""
    return user.role not in (*STAFF, PLATFORM_ADMIN)


@router.get("/api/public/branches/{branch}/schemes", summary="Public scheme catalogue of a branch")
async def public_catalogue(branch: str, store: Store) -> list[dict]:
    return await queries.list_schemes(store, branch, published_only=True)


@router.get("/api/public/branches/{branch}/schemes/{scheme_id}", summary="A published scheme of a branch")
async def public_scheme(branch: str, scheme_id: str, store: Store) -> dict:
    return found(await queries.get_scheme(store, branch, scheme_id, published_only=True), "scheme")


@router.get("/api/schemes")
async def list_schemes(user: CurrentUser, store: Store, branch: BranchParam = None) -> list[dict]:
    return await queries.list_schemes(store, branch_of(user, branch), published_only=drafts_hidden(user))


@router.get("/api/schemes/{scheme_id}")
async def get_scheme(scheme_id: str, user: CurrentUser, store: Store, branch: BranchParam = None) -> dict:
    return found(await queries.get_scheme(store, branch_of(user, branch), scheme_id,
                                          published_only=drafts_hidden(user)), "scheme")


@router.post("/api/schemes", status_code=status.HTTP_201_CREATED)
async def create_scheme(body: SchemeIn, request: Request, user: User = require(ADMIN_LSP),
                        branch: BranchParam = None) -> dict:
    scheme_id = await command(request, SERVICE, "create_scheme", tenant=branch_of(user, branch),
                              actor=user.actor(), **body.model_dump())
    return {"id": scheme_id, "published": body.published, "version": 1}


@router.put("/api/schemes/{scheme_id}", summary="Revise a scheme: a new version with the whole new content")
async def revise_scheme(scheme_id: str, body: SchemeRevisionIn, request: Request, user: User = require(ADMIN_LSP),
                        branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "revise_scheme", tenant=branch_of(user, branch),
                            actor=user.actor(), scheme_id=scheme_id, **body.model_dump())
    return {"id": scheme_id, "version": version}


@router.post("/api/schemes/{scheme_id}/publish", summary="Show a scheme in the public catalogue")
async def publish_scheme(scheme_id: str, body: Versioned, request: Request, user: User = require(ADMIN_LSP),
                         branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "publish_scheme", tenant=branch_of(user, branch),
                            actor=user.actor(), scheme_id=scheme_id, **body.model_dump())
    return {"id": scheme_id, "published": True, "version": version}


@router.post("/api/schemes/{scheme_id}/unpublish", summary="Take a scheme out of the public catalogue")
async def unpublish_scheme(scheme_id: str, body: Versioned, request: Request, user: User = require(ADMIN_LSP),
                           branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "unpublish_scheme", tenant=branch_of(user, branch),
                            actor=user.actor(), scheme_id=scheme_id, **body.model_dump())
    return {"id": scheme_id, "published": False, "version": version}


@router.post("/api/applications", status_code=status.HTTP_201_CREATED)
async def submit_application(body: ApplicationIn, request: Request, user: User = require(ASESI)) -> dict:
    case_id = await command(request, SERVICE, "submit_application", tenant=branch_of(user),
                            actor=user.actor(), scheme_id=body.scheme_id, purpose=body.purpose)
    return {"id": case_id, "status": "submitted"}


@router.get("/api/applications")
async def list_applications(user: CurrentUser, store: Store, branch: BranchParam = None,
                            status_: Annotated[str | None, Query(alias="status")] = None) -> list[dict]:
    own = user.id if user.role == ASESI else None  # an asesi sees only their own
    return await queries.list_applications(store, branch_of(user, branch), asesi_id=own, status=status_)


@router.get("/api/applications/{case_id}")
async def get_application(case_id: str, user: CurrentUser, store: Store, branch: BranchParam = None) -> dict:
    own = user.id if user.role == ASESI else None
    return found(await queries.get_application(store, branch_of(user, branch), case_id, asesi_id=own),
                 "application")


@router.get("/api/applications/{case_id}/invoice.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def invoice_pdf(case_id: str, request: Request, user: CurrentUser, store: Store,
                      branch: BranchParam = None) -> Response:
    """The invoice as a PDF (SOP 1.2.3), for the asesi who applied and the branch's staff."""
    own = user.id if user.role == ASESI else None
    tenant = branch_of(user, branch)
    application = found(await queries.get_application(store, tenant, case_id, asesi_id=own), "application")
    if not application.get("invoice"):
        raise HTTPException(404, {"code": "not_found", "message": "no invoice has been issued yet"})
    pdf = documents.invoice_pdf(application, await branch_name(request, tenant))
    filename = application["invoice"]["number"].replace("/", "-") + ".pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post("/api/applications/{case_id}/accept")
async def accept_application(case_id: str, body: AcceptIn, request: Request,
                             user: User = require(ADMIN_LSP), branch: BranchParam = None) -> dict:
    result = await command(request, SERVICE, "accept_application", tenant=branch_of(user, branch),
                           actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, "status": "awaiting_payment", **result}


@router.post("/api/applications/{case_id}/payment-proof")
async def submit_payment_proof(case_id: str, body: PaymentProofIn, request: Request,
                               user: User = require(ASESI)) -> dict:
    version = await command(request, SERVICE, "submit_payment_proof", tenant=branch_of(user),
                            actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, "status": "payment_submitted", "version": version}


@router.post("/api/applications/{case_id}/verify-payment")
async def verify_payment(case_id: str, body: Versioned, request: Request,
                         user: User = require(ADMIN_LSP), branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "verify_payment", tenant=branch_of(user, branch),
                            actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, "status": "paid", "version": version}

