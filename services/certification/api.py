"""Certification HTTP API: the LSP's decision (SK), the certificate register and public verification."""
import io
from datetime import date
from typing import Annotated, Any, Literal

import segno
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import Field

from services.certification import queries, usecases
from shared.display import wib_today
from shared.errors import NotFound
from shared.responses import (
    Actor,
    AssessorRef,
    Competence,
    Model,
    Person,
    Record,
    Saved,
    SchemeSnapshot,
    Timestamp,
    UnitResult,
)
from shared.web import ASESI, KETUA_LSP, STAFF, Context, Store, Versioned, acting, found

router = APIRouter(tags=["certification"])
SERVICE = usecases.SERVICE
CertificateNumber = Annotated[str, Path(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._-]+$")]
# optional on purpose: a missing name must answer 404 like a wrong one, not a 422 that confirms the number
HolderName = Annotated[str, Query(max_length=200, description="the holder's full name, as on the certificate")]
VerificationToken = Annotated[str, Path(max_length=100)]
VERIFY_PAGE = "/sertifikat"  # the public page a certificate's QR code opens: /sertifikat/<token>
Status = Literal["awaiting_decision", "decided"]


class DecisionIn(Versioned):
    decision: Competence = Field(description="K = Kompeten (issue the certificate), BK = Belum Kompeten")
    notes: str = Field(default="", max_length=2000)


class CertificationCase(Record):
    """A recommended case before and after the LSP's decision."""
    asesi: Person
    scheme: SchemeSnapshot
    assessor: AssessorRef
    units: list[UnitResult] = Field(description="the asesor's K/BK per unit")
    recommendation: Competence = Field(description="the asesor's recommendation")
    status: Status
    decision: Competence | None = Field(description="null until decided")
    notes: str
    certificate_number: str | None = Field(description="set when a K decision issued the certificate")
    received_at: Timestamp
    decided_by: Actor | None = Field(default=None, description="absent until decided")
    decided_at: Timestamp | None = Field(default=None, description="absent until decided")
    updated_at: Timestamp


class Decided(Saved):
    status: Literal["decided"]
    decision: Competence
    certificate_number: str | None = Field(description="null for a BK decision")


class CertificateScheme(Model):
    number: str
    title: str


class Certificate(Record):
    """A certificate in the branch's register; its id is its number."""
    case_id: str
    holder: Person
    scheme: CertificateScheme
    issued_on: date
    valid_until: date
    verification_token: str | None = Field(description="what its QR code links to; null if issued before QR codes")
    withdrawn_at: Timestamp | None = Field(default=None, description="absent unless withdrawn (nothing withdraws yet)")


class Holder(Model):
    name: str


class PublicCertificate(Model):
    """What anyone may see of a certificate: no ids, no token."""
    number: str
    holder: Holder
    scheme: CertificateScheme
    branch: str = Field(description="the issuing branch's code")
    issued_on: date
    valid_until: date
    status: Literal["berlaku", "kedaluwarsa", "dicabut"] = Field(description="valid, expired or withdrawn")


def status_of(certificate: dict[str, Any], today: date) -> str:
    """berlaku (valid), kedaluwarsa (expired) or dicabut (withdrawn). Nothing in the domain withdraws a
    certificate yet; once a read model records withdrawn_at, the certificate shows as withdrawn."""
    if certificate.get("withdrawn_at"):
        return "dicabut"
    return "berlaku" if date.fromisoformat(certificate["valid_until"]) >= today else "kedaluwarsa"


def public_view(certificate: dict[str, Any]) -> dict[str, Any]:
    """What a public check shows: the certificate, without ids or the token."""
    return {"number": certificate["id"], "holder": {"name": certificate["holder"]["name"]},
            "scheme": certificate["scheme"], "branch": certificate["tenant"],
            "issued_on": certificate["issued_on"], "valid_until": certificate["valid_until"],
            "status": status_of(certificate, wib_today())}


def verification_url(request: Request, token: str) -> str:
    base = request.app.state.settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}{VERIFY_PAGE}/{token}"


def qr_svg(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, light="#fff", xmldecl=False)
    return out.getvalue()


Office = Annotated[Context, acting(*STAFF)]
OfficeOrHolder = Annotated[Context, acting(*STAFF, ASESI)]


def holder_only(ctx: Context) -> str | None:
    return ctx.user.id if ctx.user.role == ASESI else None  # an asesi sees only their own certificates


@router.get("/api/certification/cases", response_model=list[CertificationCase], response_model_exclude_unset=True)
async def list_cases(ctx: Office, status_: Annotated[Status | None, Query(alias="status")] = None) -> list[dict]:
    return await queries.list_cases(ctx.store, ctx.tenant, status_)


@router.get("/api/certification/cases/{case_id}", response_model=CertificationCase,
            response_model_exclude_unset=True)
async def get_case(case_id: str, ctx: Office) -> dict:
    return found(await queries.get_case(ctx.store, ctx.tenant, case_id), "case")


@router.post("/api/certification/cases/{case_id}/decide", response_model=Decided)
async def decide(case_id: str, body: DecisionIn, ctx: Annotated[Context, acting(KETUA_LSP)]) -> dict:
    return await usecases.decide(ctx, case_id, **body.model_dump())


@router.get("/api/certificates", response_model=list[Certificate], response_model_exclude_unset=True)
async def list_certificates(ctx: OfficeOrHolder) -> list[dict]:
    return await queries.list_certificates(ctx.store, ctx.tenant, holder_id=holder_only(ctx))


@router.get("/api/certificates/{number}/qr.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}}},
            summary="The certificate's QR code: a link to its public page (the holder and the branch's office)")
async def certificate_qr(number: CertificateNumber, request: Request, ctx: OfficeOrHolder) -> Response:
    certificate = found(await queries.get_certificate(ctx.store, ctx.tenant, number, holder_id=holder_only(ctx)),
                        "certificate")  # another asesi's certificate is not found
    if not certificate.get("verification_token"):
        raise NotFound("this certificate was issued before QR codes and has none")
    return Response(qr_svg(verification_url(request, certificate["verification_token"])),
                    media_type="image/svg+xml", headers={"Cache-Control": "private, no-store"})


@router.get("/api/certificates/{number}/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}},
            summary="The certificate as a PDF with its QR code (the holder and the branch's office)")
async def certificate_pdf(number: CertificateNumber, request: Request, ctx: OfficeOrHolder) -> Response:
    pdf = await usecases.certificate_pdf(ctx, number, lambda token: verification_url(request, token))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="sertifikat-{number}.pdf"', "Cache-Control": "private, no-store"})


@router.get("/api/public/certificates/by-token/{token}", summary="The certificate a QR code links to (no login)",
            response_model=PublicCertificate)
async def certificate_by_token(token: VerificationToken, store: Store) -> dict:
    return public_view(found(await queries.find_by_token(store, token), "certificate"))


@router.get("/api/public/certificates/{number}", summary="Verify a certificate by its number and holder's name",
            response_model=PublicCertificate)
async def verify_certificate(number: CertificateNumber, store: Store, name: HolderName = "") -> dict:
    """As BNSP's own check: the number with the holder's name (case, accents and spacing aside).
    A wrong or missing name answers 404 exactly as an unknown number does, so counting numbers
    reveals nothing. It is still a guess oracle for a name: there is no rate limit here (yet)."""
    return public_view(found(await queries.find_certificate(store, number, name), "certificate"))
