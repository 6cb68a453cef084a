"""Registration HTTP API: scheme catalogue, applications (FR.APL.01 and FR.APL.02), invoice and payment.
Each route checks its input and who may call it, then runs a use case (usecases.py), as the pages do."""
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from pydantic import BaseModel, Field

from services.registration import queries, usecases
from services.registration.api_models import (
    Application,
    ApplicationState,
    ApplicationSummary,
    FeasibilityResult,
    Notice,
    PartSaved,
    PaymentProofUploaded,
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
    METHODS,
    PURPOSES,
    RECOMMENDATIONS,
    REQUIREMENT_CATEGORIES,
    SCHEME_KINDS,
    STANDARD_TYPES,
    VERDICTS,
)
from services.registration.forms import APL02, BAGIAN_1, KELAYAKAN, REKOMENDASI
from shared.responses import Saved
from shared.web import ADMIN_LSP, ASESI, STAFF, Context, Store, Versioned, acting, found

router = APIRouter(tags=["registration"])
SERVICE = usecases.SERVICE
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


# FR.APL.01 Bagian 1 from its definition (forms.py): any subset (saved as a draft), "" clears a field; every
# field's problem is reported at once, worded by the definition
PersonalDataIn = BAGIAN_1.request_model(
    "PersonalDataIn", base=Versioned, doc='FR.APL.01 Bagian 1; send any subset (saved as a draft), "" clears a field.')


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


SelfAssessmentIn = APL02.request_model("SelfAssessmentIn", base=SelfAssessmentVersioned, doc=(
    "FR.APL.02 answers to save (merged with those saved before, by unit and element)"))


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
    """FR.APL.01's recommendation (forms.py REKOMENDASI): its choices and the bound of its notes."""
    recommendation: Literal[RECOMMENDATIONS]  # type: ignore[valid-type]
    notes: str = Field(default="", max_length=REKOMENDASI.field("notes").max_length)


class FeasibilityIn(SelfAssessmentVersioned):
    """SOP 1.3: is the case (FR.APL.01 and FR.APL.02 together) fit to go on to scheduling?"""
    feasible: bool = Field(description="true: on to scheduling; false: the case stops here")
    notes: str = Field(default="", max_length=KELAYAKAN.field("notes").max_length,
                       description="required when not feasible: why")


class RejectPaymentIn(PaymentVersioned):
    reason: str = Field(min_length=1, max_length=2000)


ExpectedVersion = Annotated[int | None, Form(ge=1, description="the version you last read")]
Asesi = Annotated[Context, acting(ASESI)]
Office = Annotated[Context, acting(ADMIN_LSP)]
Reader = Annotated[Context, acting(*usecases.READERS)]
Anyone = Annotated[Context, acting()]
ExpectedPaymentVersion = Annotated[int | None, Form(ge=1, description=(
    "the payment's version you last read: versions.payment of the application"))]
ExpectedSelfAssessmentVersion = Annotated[int | None, Form(ge=0, description=(
    "the self-assessment's version you last read: versions.self_assessment of the application (0 before it "
    "has begun)"))]


@router.get("/api/public/branches/{branch}/schemes", summary="Public scheme catalogue of a branch",
            response_model=list[Scheme])
async def public_catalogue(branch: str, store: Store) -> list[dict]:
    return await queries.list_schemes(store, branch, published_only=True)


@router.get("/api/public/branches/{branch}/schemes/{scheme_id}", summary="A published scheme of a branch",
            response_model=Scheme)
async def public_scheme(branch: str, scheme_id: str, store: Store) -> dict:
    return found(await queries.get_scheme(store, branch, scheme_id, published_only=True), "scheme")


@router.get("/api/schemes", response_model=list[Scheme])
async def list_schemes(ctx: Anyone) -> list[dict]:
    return await queries.list_schemes(ctx.store, ctx.tenant, published_only=usecases.drafts_hidden(ctx.user))


@router.get("/api/schemes/{scheme_id}", response_model=Scheme)
async def get_scheme(scheme_id: str, ctx: Anyone) -> dict:
    return found(await queries.get_scheme(ctx.store, ctx.tenant, scheme_id,
                                          published_only=usecases.drafts_hidden(ctx.user)), "scheme")


@router.post("/api/schemes", status_code=status.HTTP_201_CREATED, response_model=SchemeState)
async def create_scheme(body: SchemeIn, ctx: Office) -> dict:
    return await usecases.create_scheme(ctx, body.model_dump())


@router.put("/api/schemes/{scheme_id}", summary="Revise a scheme: a new version with the whole new content",
            response_model=Saved)
async def revise_scheme(scheme_id: str, body: SchemeRevisionIn, ctx: Office) -> dict:
    return await usecases.scheme_command(ctx, "revise_scheme", scheme_id, **body.model_dump())


@router.post("/api/schemes/{scheme_id}/publish", summary="Show a scheme in the public catalogue",
             response_model=SchemeState)
async def publish_scheme(scheme_id: str, body: Versioned, ctx: Office) -> dict:
    return {**await usecases.scheme_command(ctx, "publish_scheme", scheme_id, **body.model_dump()), "published": True}


@router.post("/api/schemes/{scheme_id}/unpublish", summary="Take a scheme out of the public catalogue",
             response_model=SchemeState)
async def unpublish_scheme(scheme_id: str, body: Versioned, ctx: Office) -> dict:
    return {**await usecases.scheme_command(ctx, "unpublish_scheme", scheme_id, **body.model_dump()),
            "published": False}


@router.post("/api/applications", status_code=status.HTTP_201_CREATED,
             summary="Start an FR.APL.01 application (a draft) for a published scheme",
             response_model=ApplicationState)
async def draft_application(body: ApplicationIn, ctx: Asesi) -> dict:
    return await usecases.draft_application(ctx, body.scheme_id, body.purpose)


@router.get("/api/applications", response_model=list[ApplicationSummary], response_model_exclude_unset=True)
async def list_applications(ctx: Reader, status_: Annotated[str | None, Query(alias="status", max_length=40)] = None
                            ) -> list[dict]:
    return await usecases.list_applications(ctx, status_)


@router.get("/api/applications/{case_id}", response_model=Application | ApplicationSummary,
            response_model_exclude_unset=True)
async def get_application(case_id: str, ctx: Reader) -> dict:
    return await usecases.get_application(ctx, case_id)


@router.put("/api/applications/{case_id}/personal-data", summary="Save Bagian 1 (partially; resume later)",
            response_model=Saved)
async def update_personal_data(case_id: str, body: PersonalDataIn, ctx: Asesi) -> dict:
    return await usecases.update_personal_data(ctx, case_id, body.model_dump(exclude_unset=True,
                                                                             exclude={"expected_version"}),
                                               body.expected_version)


@router.post("/api/applications/{case_id}/requirements/{requirement_code}",
             summary="Upload the document of one requirement (PDF, JPG or PNG); replaces an earlier one",
             response_model=RequirementUploaded)
async def attach_requirement_document(case_id: str, requirement_code: str, file: Annotated[UploadFile, File()],
                                      ctx: Asesi, expected_version: ExpectedVersion = None) -> dict:
    return {"requirement_code": requirement_code, **await usecases.upload(
        ctx, "attach_requirement_document", case_id, file, requirement_code=requirement_code,
        expected_version=expected_version)}


@router.post("/api/applications/{case_id}/submit",
             summary="Sign and submit (again, after a return); 422 names what is missing", response_model=Signed)
async def submit_application(case_id: str, body: Versioned, ctx: Asesi) -> dict:
    return await usecases.step(ctx, "submit_application", case_id, **body.model_dump())


@router.post("/api/applications/{case_id}/requirements/{requirement_code}/verdict",
             summary="Admin LSP: Ada-memenuhi / Ada-tidak memenuhi / Tidak ada for one requirement",
             response_model=VerdictGiven)
async def verify_document(case_id: str, requirement_code: str, body: VerdictIn, ctx: Office) -> dict:
    return {**await usecases.step(ctx, "verify_document", case_id, requirement_code=requirement_code,
                                  **body.model_dump()),
            "requirement_code": requirement_code, "verdict": body.verdict}


@router.post("/api/applications/{case_id}/recommend",
             summary="Admin LSP signs the recommendation: diterima (invoice issued) or tidak_diterima (returned)",
             response_model=RecommendationResult)
async def recommend_application(case_id: str, body: RecommendationIn, ctx: Office) -> dict:
    return await usecases.step(ctx, "recommend_application", case_id, **body.model_dump())


@router.get("/api/outbox", summary="E-mail notices to asesi (staff: the branch's; asesi: their own)",
            response_model=list[Notice], response_model_exclude_unset=True)
async def outbox(ctx: Annotated[Context, acting(ASESI, *STAFF)],
                 case_id: Annotated[str | None, Query(max_length=64)] = None) -> list[dict]:
    return await usecases.outbox(ctx, case_id)


@router.get("/api/applications/{case_id}/invoice.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def invoice_pdf(case_id: str, ctx: Anyone) -> Response:
    """The invoice as a PDF (SOP 1.2.3), for the asesi who applied and the branch's staff."""
    pdf, filename = await usecases.invoice_pdf(ctx, case_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/api/applications/{case_id}/files/{file_id}", response_class=Response,
            summary="A document of this application (owner asesi or the branch's office)")
async def application_file(case_id: str, file_id: str, ctx: Anyone,
                           inline: Annotated[bool, Query(description="shown in the browser, not saved")] = False
                           ) -> Response:
    metadata, content = await usecases.application_file(ctx, case_id, file_id)
    filename = metadata.get("filename") or "berkas"
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    headers = {"Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{ascii_name}"',
               "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
    if inline:  # shown inside the case page (same origin only), running nothing of its own
        headers |= {"Content-Security-Policy": "default-src 'none'; img-src 'self'; frame-ancestors 'self'",
                    "X-Frame-Options": "SAMEORIGIN"}
    return Response(content, media_type=metadata["media_type"], headers=headers)


@router.post("/api/applications/{case_id}/accept", summary="= recommend diterima (kept for older clients)",
             response_model=RecommendationResult)
async def accept_application(case_id: str, body: AcceptIn, ctx: Office) -> dict:
    return await usecases.step(ctx, "accept_application", case_id, **body.model_dump())


@router.post("/api/applications/{case_id}/payment-proof", summary="Upload the payment proof (PDF, JPG or PNG)",
             response_model=PaymentProofUploaded)
async def submit_payment_proof(case_id: str, file: Annotated[UploadFile, File()],
                               reference: Annotated[str, Form(min_length=1, max_length=120,
                                                              description="bank transfer reference")],
                               amount: Annotated[int, Form(gt=0, le=1_000_000_000)],
                               ctx: Asesi, expected_version: ExpectedPaymentVersion = None) -> dict:
    return {"status": "payment_submitted", **await usecases.upload(
        ctx, "submit_payment_proof", case_id, file, reference=reference, amount=amount,
        expected_version=expected_version)}


@router.post("/api/applications/{case_id}/reject-payment", summary="Reject the payment proof; the asesi pays again",
             response_model=ApplicationState)
async def reject_payment(case_id: str, body: RejectPaymentIn, ctx: Office) -> dict:
    return {**await usecases.step(ctx, "reject_payment", case_id, **body.model_dump()), "status": "awaiting_payment"}


@router.post("/api/applications/{case_id}/verify-payment", response_model=ApplicationState)
async def verify_payment(case_id: str, body: PaymentVersioned, ctx: Office) -> dict:
    return {**await usecases.step(ctx, "verify_payment", case_id, **body.model_dump()), "status": "paid"}


# ---- FR.APL.02 self-assessment (SOP 1.2.8) -------------------------------------------------------------

@router.post("/api/applications/{case_id}/evidence",
             summary="Upload portfolio evidence for the self-assessment (PDF, JPG or PNG)", response_model=Uploaded)
async def attach_evidence(case_id: str, file: Annotated[UploadFile, File()], ctx: Asesi,
                          expected_version: ExpectedSelfAssessmentVersion = None) -> dict:
    return await usecases.upload(ctx, "attach_evidence", case_id, file, expected_version=expected_version)


@router.put("/api/applications/{case_id}/tuk-equipment",
            summary="SOP 1.2.1: the asesi says which of the requested TUK equipment is ready",
            response_model=PartSaved)
async def confirm_tuk_equipment(case_id: str, body: TukEquipmentIn, ctx: Asesi) -> dict:
    return await usecases.step(ctx, "confirm_tuk_equipment", case_id, **body.model_dump())


@router.put("/api/applications/{case_id}/self-assessment",
            summary="Save FR.APL.02 answers (K/BK per unit element, evidence file ids); resume later",
            response_model=SelfAssessmentSaved)
async def update_self_assessment(case_id: str, body: SelfAssessmentIn, ctx: Asesi) -> dict:
    return await usecases.update_self_assessment(ctx, case_id, [a.model_dump() for a in body.answers],
                                                 body.expected_version)


@router.post("/api/applications/{case_id}/self-assessment/submit",
             summary="Sign and submit FR.APL.02; 422 names the units/elements not yet answered",
             response_model=Signed)
async def submit_self_assessment(case_id: str, body: SelfAssessmentVersioned, ctx: Asesi) -> dict:
    return await usecases.step(ctx, "submit_self_assessment", case_id, **body.model_dump())


# ---- feasibility review (SOP 1.3) -----------------------------------------------------------------------

@router.post("/api/applications/{case_id}/feasibility",
             summary="Admin LSP signs the feasibility review of FR.APL.01 and FR.APL.02 (after the self-assessment)",
             response_model=FeasibilityResult)
async def review_feasibility(case_id: str, body: FeasibilityIn, ctx: Office) -> dict:
    return await usecases.step(ctx, "review_feasibility", case_id, **body.model_dump())


# ---- printable forms ---------------------------------------------------------------------------------

def pdf_response(pdf: bytes, filename: str) -> Response:
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


@router.get("/api/applications/{case_id}/apl01.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def apl01_pdf(case_id: str, ctx: Anyone) -> Response:
    """FR.APL.01 as a PDF: Bagian 1 (opened), 2 and 3, the admin's recommendation and both signatures."""
    return pdf_response(await usecases.apl01_pdf(ctx, case_id), f"FR.APL.01-{case_id}.pdf")


@router.get("/api/applications/{case_id}/apl02.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def apl02_pdf(case_id: str, ctx: Anyone) -> Response:
    """FR.APL.02 as a PDF: K/BK per unit and element with the evidence cited, and the asesi's signature."""
    return pdf_response(await usecases.apl02_pdf(ctx, case_id), f"FR.APL.02-{case_id}.pdf")
