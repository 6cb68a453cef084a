"""What users do in certification, the same behind the JSON API (api.py) and the pages (web.py)."""
from typing import Any

from fastapi.concurrency import run_in_threadpool

from services.certification import documents, queries
from shared.web import ASESI, Context, found, letterhead

SERVICE = "certification"


async def decide(ctx: Context, case_id: str, decision: str, notes: str = "",
                 expected_version: int | None = None) -> dict[str, Any]:
    """The ketua LSP's decision on a recommended case (K issues the certificate), signed."""
    result = await ctx.command(SERVICE, "decide", case_id=case_id, decision=decision, notes=notes,
                               expected_version=expected_version)
    return {"id": case_id, "status": "decided", "decision": decision, **result}


async def certificate_pdf(ctx: Context, number: str, verify_url: Any) -> bytes:
    """The certificate as a PDF, for its holder and the branch's office (anyone else: not found);
    `verify_url(token)` makes the address its QR code opens."""
    holder = ctx.user.id if ctx.user.role == ASESI else None
    certificate = found(await queries.get_certificate(ctx.store, ctx.tenant, number, holder_id=holder), "certificate")
    case = await queries.get_case(ctx.store, ctx.tenant, certificate["case_id"])
    token = certificate.get("verification_token")
    return await run_in_threadpool(documents.certificate_pdf, certificate, case,
                                   await letterhead(ctx.request, ctx.tenant), verify_url(token) if token else None)
