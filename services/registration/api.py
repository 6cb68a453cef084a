"""Registration HTTP API: scheme catalogue, applications (FR.APL.01), invoice and payment.

Personal data: the read model holds the sensitive fields sealed; this API opens them only for the
asesi who owns the application and the branch's office (STAFF); lists show a masked NIK."""
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from services.registration import documents, queries
from services.registration.api_models import (
    Application,
    ApplicationState,
    ApplicationSummary,
    FeasibilityResult,
    Notice,
    PartSaved,
    PaymentProofUploaded,
    PersonalData,
    RecommendationResult,
    RequirementUploaded,
    Scheme,
    SchemeState,
    SelfAssessmentSaved,
    Signed,
    Uploaded,
    VerdictGiven,
)
from services.registration.domain import (
    ANSWERS,
    METHODS,
    PURPOSES,
    RECOMMENDATIONS,
    REQUIREMENT_CATEGORIES,
    SCHEME_KINDS,
    SENSITIVE_FIELDS,
    STANDARD_TYPES,
    VERDICTS,
    check_personal_data,
)
from services.registration.notices import SEALED_FIELDS as NOTICE_SEALED_FIELDS
from shared.access import assigned_cases
from shared.errors import Conflict, Invalid, NotFound
from shared.files import FileStore, Upload, checked, keep_if_accepted, open_file_store
from shared.privacy import Vault, mask
from shared.responses import Saved
from shared.settings import Settings, get_settings
from shared.web import (
    ADMIN_LSP,
    ASESI,
    ASESOR,
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


class PersonalDataIn(Versioned, PersonalData):
    """FR.APL.01 Bagian 1; send any subset (saved as a draft), "" clears a field."""
    model_config = ConfigDict(extra="forbid")


class AnswerIn(BaseModel):
    unit_code: Code
    element_no: int | Number | None = Field(default=None, description="null for a unit without elements")
    answer: Literal[ANSWERS] | None = Field(description="K or BK; null removes a saved answer")  # type: ignore[valid-type]
    evidence: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default=[], max_length=50, description="file ids of this application's documents or portfolio uploads")


class PaymentVersioned(Versioned):
    """A command on the case's payment (its own aggregate: the asesi and the admin working on other parts
    of the case never make it stale)."""
    expected_version: int | None = Field(default=None, ge=1, description=(
        "the payment's version you last read: versions.payment of the application (not its version); "
        "a stale one answers 409"))


class SelfAssessmentVersioned(Versioned):
    """A command on the case's FR.APL.02 self-assessment (its own aggregate, begun by the asesi's first step)."""
    expected_version: int | None = Field(default=None, ge=0, description=(
        "the self-assessment's version you last read: versions.self_assessment of the application "
        "(0 until it has begun; not the application's version); a stale one answers 409"))


class SelfAssessmentIn(SelfAssessmentVersioned):
    """FR.APL.02 answers to save (merged with those saved before, by unit and element)."""
    answers: list[AnswerIn] = Field(min_length=1, max_length=500)


class TukEquipmentIn(Versioned):
    """SOP 1.2.1: the requested items the asesi has ready (the whole list; an item left out is not ready)."""
    expected_version: int | None = Field(default=None, ge=1, description=(
        "the TUK equipment list's version you last read: versions.tuk_equipment of the application (not its "
        "version); a stale one answers 409"))
    ready: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(max_length=50)


class VerdictIn(Versioned):
    verdict: Literal[VERDICTS]  # type: ignore[valid-type]
    notes: str = Field(default="", max_length=2000)


class RecommendationIn(Versioned):
    recommendation: Literal[RECOMMENDATIONS]  # type: ignore[valid-type]
    notes: str = Field(default="", max_length=2000)


class FeasibilityIn(SelfAssessmentVersioned):
    """SOP 1.3: is the case (FR.APL.01 and FR.APL.02 together) fit to go on to scheduling?"""
    feasible: bool = Field(description="true: on to scheduling; false: the case stops here")
    notes: str = Field(default="", max_length=2000, description="required when not feasible: why")


class RejectPaymentIn(PaymentVersioned):
    reason: str = Field(min_length=1, max_length=2000)


ExpectedVersion = Annotated[int | None, Form(ge=1, description="the version you last read")]
ExpectedPaymentVersion = Annotated[int | None, Form(ge=1, description=(
    "the payment's version you last read: versions.payment of the application"))]
ExpectedSelfAssessmentVersion = Annotated[int | None, Form(ge=0, description=(
    "the self-assessment's version you last read: versions.self_assessment of the application (0 before it "
    "has begun)"))]
_lock = threading.Lock()


def file_store(request: Request) -> FileStore:
    """The platform's file store (disk embedded, GridFS distributed), opened on first use."""
    state = request.app.state
    with _lock:
        if getattr(state, "file_store", None) is None:
            state.file_store = open_file_store(state.settings, state.read_store)
        return state.file_store


def vault(request: Request) -> Vault:
    """Registration's vault: the embedded service's own, or one on its store from Settings."""
    state = request.app.state
    with _lock:
        if getattr(state, "registration_vault", None) is None:
            app = (getattr(getattr(state, "runtime", None), "apps", None) or {}).get(SERVICE)
            state.registration_vault = getattr(app, "vault", None) or Vault.for_service(state.settings, SERVICE)
        return state.registration_vault


def may_open(user: User, application: dict[str, Any]) -> bool:
    return user.role in (*STAFF, PLATFORM_ADMIN) or application["asesi"]["id"] == user.id


async def with_personal_data(request: Request, user: User, application: dict[str, Any]) -> dict[str, Any]:
    """Opened for the owner and the branch's office; a summary (masked NIK) for anyone else."""
    if not may_open(user, application):
        return summary(application, {})
    opened = await run_in_threadpool(vault(request).open_fields, application.get("personal_data") or {},
                                     SENSITIVE_FIELDS)
    return {**application, "personal_data": opened, "nik_masked": mask(opened.get("nik")) or None}


def summary(application: dict[str, Any], opened: dict[str, Any]) -> dict[str, Any]:
    personal = application.get("personal_data") or {}
    return {**{k: v for k, v in application.items() if k != "personal_data"},
            "nama_lengkap": personal.get("nama_lengkap"), "nik_masked": mask(opened.get("nik")) or None}


async def for_list(request: Request, user: User, applications: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lists never carry personal data: the name and the masked NIK (opened only for those allowed)."""
    def open_niks() -> list[dict[str, Any]]:
        box = vault(request)
        return [box.open_fields({"nik": a.get("personal_data", {}).get("nik")}, ("nik",))
                if may_open(user, a) else {} for a in applications]
    opened = await run_in_threadpool(open_niks)
    return [summary(a, o) for a, o in zip(applications, opened, strict=True)]


def settings_of(request: Request) -> Settings:
    return getattr(request.app.state, "settings", None) or get_settings()


async def upload_command(request: Request, file: UploadFile, user: User, name: str, case_id: str,
                         part: str = "application", **arguments: Any) -> dict[str, Any]:
    """Check the file (off the event loop), run the command that refers to it, and keep the file only
    if the command is accepted: a refused command (404, 409, 422) leaves no bytes behind."""
    tenant, limit = branch_of(user), settings_of(request).upload_max_bytes
    content = await file.read(limit + 1)
    upload = await checked(content, file.filename or "", limit)
    await require_asesi_quota(request, tenant, user, case_id, upload)
    fields = {"file_id": upload.sha256, "sha256": upload.sha256, "media_type": upload.media_type,
              "filename": upload.filename, "size": upload.size}
    async with keep_if_accepted(file_store(request), tenant, upload, content):
        version = await command(request, SERVICE, name, tenant=tenant, actor=user.actor(), case_id=case_id,
                                **arguments, **fields)
    return {"id": case_id, **fields, "version": version, "part": part}


async def require_asesi_quota(request: Request, tenant: str, user: User, case_id: str, upload: Upload) -> None:
    """The asesi's uploads over all their applications stay within their quota (the aggregate keeps
    each case within its own, atomically).

    Read from the read model, so not atomic: uploads racing one another, or the projection's lag, to
    different cases each see the total from before the others. That is acceptable: every case stays
    within its own quota and an asesi holds few drafts (require_draft_room), so the excess is at most
    one request's upload (upload_max_bytes) per racing request, bounded by those cases' quotas."""
    store = request.app.state.read_store
    application = await queries.get_application(store, tenant, case_id, asesi_id=user.id) or {}
    if upload.sha256 in (application.get("file_ids") or []):
        return  # the case has this file already: it costs nothing more
    quota = settings_of(request).upload_quota_per_asesi_mb
    uploaded = (await queries.asesi_summary(store, tenant, user.id)).get("uploaded_bytes") or {}
    if sum(uploaded.values()) + upload.size > quota << 20:
        raise Invalid("your uploads would exceed your quota of {limit} MB over all your applications; upload "
                      "a smaller file (a compressed scan, for example)", field="file", limit=quota)


async def require_draft_room(request: Request, tenant: str, user: User) -> None:
    """An asesi holds a few drafts at once, which bounds the cases they can upload to at the same time
    (see require_asesi_quota). From the read model too: drafts opened within its lag are not seen yet."""
    limit = settings_of(request).asesi_max_drafts
    drafts = len((await queries.asesi_summary(request.app.state.read_store, tenant, user.id)).get("drafts") or [])
    if drafts >= limit:
        raise Conflict("you already have {count} draft applications (at most {limit}); finish and submit one "
                       "of them first", field="scheme_id", count=drafts, limit=limit)


async def narrowing(user: User, store: Any, tenant: str) -> dict[str, Any]:
    """Which applications the caller may read: an asesi their own (drafts too), an asesor the cases
    assigned to them (no drafts, no personal data), the branch's office all submitted ones."""
    if user.role == ASESI:
        return {"asesi_id": user.id, "include_drafts": True}
    if user.role == ASESOR:
        return {"case_ids": await assigned_cases(store, tenant, user.id), "include_drafts": False}
    return {"include_drafts": False}


READERS = (ASESI, ASESOR, *STAFF)  # of applications; require() admits platform admins too


def owner_or_office(user: User, what: str) -> None:
    """Documents, invoices and notices are the asesi's and the branch office's only: anyone else is
    told nothing exists (the same 404 as for another branch's record)."""
    if user.role not in (ASESI, *STAFF, PLATFORM_ADMIN):
        raise NotFound("{what} not found", what=what)


def drafts_hidden(user: User) -> bool:
    """Only the branch's office sees schemes that are not published."""
    return user.role not in (*STAFF, PLATFORM_ADMIN)


@router.get("/api/public/branches/{branch}/schemes", summary="Public scheme catalogue of a branch",
            response_model=list[Scheme])
async def public_catalogue(branch: str, store: Store) -> list[dict]:
    return await queries.list_schemes(store, branch, published_only=True)


@router.get("/api/public/branches/{branch}/schemes/{scheme_id}", summary="A published scheme of a branch",
            response_model=Scheme)
async def public_scheme(branch: str, scheme_id: str, store: Store) -> dict:
    return found(await queries.get_scheme(store, branch, scheme_id, published_only=True), "scheme")


@router.get("/api/schemes", response_model=list[Scheme])
async def list_schemes(user: CurrentUser, store: Store, branch: BranchParam = None) -> list[dict]:
    return await queries.list_schemes(store, branch_of(user, branch), published_only=drafts_hidden(user))


@router.get("/api/schemes/{scheme_id}", response_model=Scheme)
async def get_scheme(scheme_id: str, user: CurrentUser, store: Store, branch: BranchParam = None) -> dict:
    return found(await queries.get_scheme(store, branch_of(user, branch), scheme_id,
                                          published_only=drafts_hidden(user)), "scheme")


@router.post("/api/schemes", status_code=status.HTTP_201_CREATED, response_model=SchemeState)
async def create_scheme(body: SchemeIn, request: Request, user: User = require(ADMIN_LSP),
                        branch: BranchParam = None) -> dict:
    scheme_id = await command(request, SERVICE, "create_scheme", tenant=branch_of(user, branch),
                              actor=user.actor(), **body.model_dump())
    return {"id": scheme_id, "published": body.published, "version": 1}


@router.put("/api/schemes/{scheme_id}", summary="Revise a scheme: a new version with the whole new content",
            response_model=Saved)
async def revise_scheme(scheme_id: str, body: SchemeRevisionIn, request: Request, user: User = require(ADMIN_LSP),
                        branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "revise_scheme", tenant=branch_of(user, branch),
                            actor=user.actor(), scheme_id=scheme_id, **body.model_dump())
    return {"id": scheme_id, "version": version}


@router.post("/api/schemes/{scheme_id}/publish", summary="Show a scheme in the public catalogue",
             response_model=SchemeState)
async def publish_scheme(scheme_id: str, body: Versioned, request: Request, user: User = require(ADMIN_LSP),
                         branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "publish_scheme", tenant=branch_of(user, branch),
                            actor=user.actor(), scheme_id=scheme_id, **body.model_dump())
    return {"id": scheme_id, "published": True, "version": version}


@router.post("/api/schemes/{scheme_id}/unpublish", summary="Take a scheme out of the public catalogue",
             response_model=SchemeState)
async def unpublish_scheme(scheme_id: str, body: Versioned, request: Request, user: User = require(ADMIN_LSP),
                           branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "unpublish_scheme", tenant=branch_of(user, branch),
                            actor=user.actor(), scheme_id=scheme_id, **body.model_dump())
    return {"id": scheme_id, "published": False, "version": version}


@router.post("/api/applications", status_code=status.HTTP_201_CREATED,
             summary="Start an FR.APL.01 application (a draft) for a published scheme",
             response_model=ApplicationState)
async def draft_application(body: ApplicationIn, request: Request, user: User = require(ASESI)) -> dict:
    await require_draft_room(request, branch_of(user), user)
    case_id = await command(request, SERVICE, "draft_application", tenant=branch_of(user),
                            actor=user.actor(), scheme_id=body.scheme_id, purpose=body.purpose)
    return {"id": case_id, "status": "draft", "version": 1}


@router.get("/api/applications", response_model=list[ApplicationSummary], response_model_exclude_unset=True)
async def list_applications(request: Request, store: Store, user: User = require(*READERS),
                            branch: BranchParam = None,
                            status_: Annotated[str | None, Query(alias="status", max_length=40)] = None) -> list[dict]:
    tenant = branch_of(user, branch)
    found_ = await queries.list_applications(store, tenant, status=status_,
                                             **await narrowing(user, store, tenant))
    return await for_list(request, user, found_)


@router.get("/api/applications/{case_id}", response_model=Application | ApplicationSummary,
            response_model_exclude_unset=True)
async def get_application(case_id: str, request: Request, store: Store, user: User = require(*READERS),
                          branch: BranchParam = None) -> dict:
    tenant = branch_of(user, branch)
    application = found(await queries.get_application(store, tenant, case_id,
                                                      **await narrowing(user, store, tenant)), "application")
    return await with_personal_data(request, user, application)


@router.put("/api/applications/{case_id}/personal-data", summary="Save Bagian 1 (partially; resume later)",
            response_model=Saved)
async def update_personal_data(case_id: str, body: PersonalDataIn, request: Request,
                               user: User = require(ASESI)) -> dict:
    fields = body.model_dump(exclude_unset=True, exclude={"expected_version"})
    # checked and sealed here, so the plain values never travel in the command (RPC over the broker);
    # the asesi is the subject: the command refuses tokens sealed for anyone but the application's asesi
    fields = await run_in_threadpool(vault(request).seal_fields, user.id, check_personal_data(fields),
                                     SENSITIVE_FIELDS)
    version = await command(request, SERVICE, "update_personal_data", tenant=branch_of(user), actor=user.actor(),
                            case_id=case_id, personal_data=fields, expected_version=body.expected_version)
    return {"id": case_id, "version": version}


@router.post("/api/applications/{case_id}/requirements/{requirement_code}",
             summary="Upload the document of one requirement (PDF, JPG or PNG); replaces an earlier one",
             response_model=RequirementUploaded)
async def attach_requirement_document(case_id: str, requirement_code: str, request: Request,
                                      file: Annotated[UploadFile, File()],
                                      expected_version: ExpectedVersion = None,
                                      user: User = require(ASESI)) -> dict:
    return {"requirement_code": requirement_code, **await upload_command(
        request, file, user, "attach_requirement_document", case_id, requirement_code=requirement_code,
        expected_version=expected_version)}


@router.post("/api/applications/{case_id}/submit",
             summary="Sign and submit (again, after a return); 422 names what is missing", response_model=Signed)
async def submit_application(case_id: str, body: Versioned, request: Request, user: User = require(ASESI)) -> dict:
    result = await command(request, SERVICE, "submit_application", tenant=branch_of(user), actor=user.actor(),
                           case_id=case_id, **body.model_dump())
    return {"id": case_id, **result}


@router.post("/api/applications/{case_id}/requirements/{requirement_code}/verdict",
             summary="Admin LSP: Ada-memenuhi / Ada-tidak memenuhi / Tidak ada for one requirement",
             response_model=VerdictGiven)
async def verify_document(case_id: str, requirement_code: str, body: VerdictIn, request: Request,
                          user: User = require(ADMIN_LSP), branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "verify_document", tenant=branch_of(user, branch),
                            actor=user.actor(), case_id=case_id, requirement_code=requirement_code,
                            **body.model_dump())
    return {"id": case_id, "requirement_code": requirement_code, "verdict": body.verdict, "version": version}


@router.post("/api/applications/{case_id}/recommend",
             summary="Admin LSP signs the recommendation: diterima (invoice issued) or tidak_diterima (returned)",
             response_model=RecommendationResult)
async def recommend_application(case_id: str, body: RecommendationIn, request: Request,
                                user: User = require(ADMIN_LSP), branch: BranchParam = None) -> dict:
    result = await command(request, SERVICE, "recommend_application", tenant=branch_of(user, branch),
                           actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, **result}


@router.get("/api/outbox", summary="E-mail notices to asesi (staff: the branch's; asesi: their own)",
            response_model=list[Notice], response_model_exclude_unset=True)
async def outbox(request: Request, store: Store, user: User = require(ASESI, *STAFF), branch: BranchParam = None,
                 case_id: Annotated[str | None, Query(max_length=64)] = None) -> list[dict]:
    own = None if user.role in (*STAFF, PLATFORM_ADMIN) else user.id
    return await opened_notices(request, await queries.list_outbox(store, branch_of(user, branch),
                                                                   asesi_id=own, case_id=case_id))


async def opened_notices(request: Request, notices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recipient and body opened (the erasure note once the asesi is forgotten)."""
    box = vault(request)
    return await run_in_threadpool(lambda: [box.open_fields(n, NOTICE_SEALED_FIELDS) for n in notices])


@router.get("/api/applications/{case_id}/invoice.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def invoice_pdf(case_id: str, request: Request, store: Store, user: CurrentUser,
                      branch: BranchParam = None) -> Response:
    """The invoice as a PDF (SOP 1.2.3), for the asesi who applied and the branch's staff."""
    owner_or_office(user, "application")
    own = user.id if user.role == ASESI else None
    tenant = branch_of(user, branch)
    application = found(await queries.get_application(store, tenant, case_id, asesi_id=own), "application")
    if not application.get("invoice"):
        raise NotFound("no invoice has been issued yet")
    pdf = await run_in_threadpool(documents.invoice_pdf, application, await branch_name(request, tenant))
    filename = application["invoice"]["number"].replace("/", "-") + ".pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/api/applications/{case_id}/files/{file_id}", response_class=Response,
            summary="A document of this application (owner asesi or the branch's office)")
async def application_file(case_id: str, file_id: str, request: Request, store: Store, user: CurrentUser,
                           branch: BranchParam = None) -> Response:
    owner_or_office(user, "file")
    tenant = branch_of(user, branch)
    own = user.id if user.role == ASESI else None
    found(await queries.application_file(store, tenant, case_id, file_id, asesi_id=own), "file")
    metadata, content = await file_store(request).get(tenant, file_id)
    filename = metadata.get("filename") or "berkas"
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return Response(content, media_type=metadata["media_type"], headers={
        "Content-Disposition": f'attachment; filename="{ascii_name}"',
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})


@router.post("/api/applications/{case_id}/accept", summary="= recommend diterima (kept for older clients)",
             response_model=RecommendationResult)
async def accept_application(case_id: str, body: AcceptIn, request: Request,
                             user: User = require(ADMIN_LSP), branch: BranchParam = None) -> dict:
    result = await command(request, SERVICE, "accept_application", tenant=branch_of(user, branch),
                           actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, **result}


@router.post("/api/applications/{case_id}/payment-proof", summary="Upload the payment proof (PDF, JPG or PNG)",
             response_model=PaymentProofUploaded)
async def submit_payment_proof(case_id: str, request: Request, file: Annotated[UploadFile, File()],
                               reference: Annotated[str, Form(min_length=1, max_length=120,
                                                              description="bank transfer reference")],
                               amount: Annotated[int, Form(gt=0, le=1_000_000_000)],
                               expected_version: ExpectedPaymentVersion = None,
                               user: User = require(ASESI)) -> dict:
    return {"status": "payment_submitted", **await upload_command(
        request, file, user, "submit_payment_proof", case_id, "payment", reference=reference, amount=amount,
        expected_version=expected_version)}


@router.post("/api/applications/{case_id}/reject-payment", summary="Reject the payment proof; the asesi pays again",
             response_model=ApplicationState)
async def reject_payment(case_id: str, body: RejectPaymentIn, request: Request,
                         user: User = require(ADMIN_LSP), branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "reject_payment", tenant=branch_of(user, branch),
                            actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, "status": "awaiting_payment", "version": version, "part": "payment"}


@router.post("/api/applications/{case_id}/verify-payment", response_model=ApplicationState)
async def verify_payment(case_id: str, body: PaymentVersioned, request: Request,
                         user: User = require(ADMIN_LSP), branch: BranchParam = None) -> dict:
    version = await command(request, SERVICE, "verify_payment", tenant=branch_of(user, branch),
                            actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, "status": "paid", "version": version, "part": "payment"}


# ---- FR.APL.02 self-assessment (SOP 1.2.8) -------------------------------------------------------------

@router.post("/api/applications/{case_id}/evidence",
             summary="Upload portfolio evidence for the self-assessment (PDF, JPG or PNG)", response_model=Uploaded)
async def attach_evidence(case_id: str, request: Request, file: Annotated[UploadFile, File()],
                          expected_version: ExpectedSelfAssessmentVersion = None,
                          user: User = require(ASESI)) -> dict:
    return await upload_command(request, file, user, "attach_evidence", case_id, "self_assessment",
                                expected_version=expected_version)


@router.put("/api/applications/{case_id}/tuk-equipment",
            summary="SOP 1.2.1: the asesi says which of the requested TUK equipment is ready",
            response_model=PartSaved)
async def confirm_tuk_equipment(case_id: str, body: TukEquipmentIn, request: Request,
                                user: User = require(ASESI)) -> dict:
    version = await command(request, SERVICE, "confirm_tuk_equipment", tenant=branch_of(user), actor=user.actor(),
                            case_id=case_id, **body.model_dump())
    return {"id": case_id, "version": version, "part": "tuk_equipment"}


@router.put("/api/applications/{case_id}/self-assessment",
            summary="Save FR.APL.02 answers (K/BK per unit element, evidence file ids); resume later",
            response_model=SelfAssessmentSaved)
async def update_self_assessment(case_id: str, body: SelfAssessmentIn, request: Request,
                                 user: User = require(ASESI)) -> dict:
    result = await command(request, SERVICE, "update_self_assessment", tenant=branch_of(user), actor=user.actor(),
                           case_id=case_id, answers=[a.model_dump() for a in body.answers],
                           expected_version=body.expected_version)
    return {"id": case_id, **result}


@router.post("/api/applications/{case_id}/self-assessment/submit",
             summary="Sign and submit FR.APL.02; 422 names the units/elements not yet answered",
             response_model=Signed)
async def submit_self_assessment(case_id: str, body: SelfAssessmentVersioned, request: Request,
                                 user: User = require(ASESI)) -> dict:
    result = await command(request, SERVICE, "submit_self_assessment", tenant=branch_of(user),
                           actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, **result}


# ---- feasibility review (SOP 1.3) -----------------------------------------------------------------------

@router.post("/api/applications/{case_id}/feasibility",
             summary="Admin LSP signs the feasibility review of FR.APL.01 and FR.APL.02 (after the self-assessment)",
             response_model=FeasibilityResult)
async def review_feasibility(case_id: str, body: FeasibilityIn, request: Request,
                             user: User = require(ADMIN_LSP), branch: BranchParam = None) -> dict:
    result = await command(request, SERVICE, "review_feasibility", tenant=branch_of(user, branch),
                           actor=user.actor(), case_id=case_id, **body.model_dump())
    return {"id": case_id, **result}


# ---- printable forms ---------------------------------------------------------------------------------

async def printable(case_id: str, request: Request, user: User, store: Any, branch: str | None) -> tuple[dict, str]:
    """The application for its owner asesi or the branch's office (404 for anyone else), and the branch name."""
    owner_or_office(user, "application")
    tenant = branch_of(user, branch)
    own = user.id if user.role == ASESI else None
    application = found(await queries.get_application(store, tenant, case_id, asesi_id=own,
                                                      include_drafts=own is not None), "application")
    return application, await branch_name(request, tenant)


def pdf_response(pdf: bytes, filename: str) -> Response:
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


@router.get("/api/applications/{case_id}/apl01.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def apl01_pdf(case_id: str, request: Request, user: CurrentUser, store: Store,
                    branch: BranchParam = None) -> Response:
    """FR.APL.01 as a PDF: Bagian 1 (opened), 2 and 3, the admin's recommendation and both signatures."""
    application, name = await printable(case_id, request, user, store, branch)
    opened = await with_personal_data(request, user, application)
    return pdf_response(await run_in_threadpool(documents.apl01_pdf, opened, name), f"FR.APL.01-{case_id}.pdf")


@router.get("/api/applications/{case_id}/apl02.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def apl02_pdf(case_id: str, request: Request, user: CurrentUser, store: Store,
                    branch: BranchParam = None) -> Response:
    """FR.APL.02 as a PDF: K/BK per unit and element with the evidence cited, and the asesi's signature."""
    application, name = await printable(case_id, request, user, store, branch)
    if not application.get("self_assessment"):
        raise NotFound("no self-assessment yet (after payment)")
    return pdf_response(await run_in_threadpool(documents.apl02_pdf, application, name), f"FR.APL.02-{case_id}.pdf")
