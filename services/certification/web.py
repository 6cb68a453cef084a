"""Public certificate pages: the page a certificate's QR code opens, and a check by number and name.

They render in the platform's base page (language switch, header) through shared.web.render; the
templates are this package's (templates/certification/), its texts in texts.py.
"""
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.certification import queries, usecases
from services.certification.api import VERIFY_PAGE, DecisionIn, VerificationToken, public_view
from shared.display import tanggal
from shared.errors import NotFound
from shared.web import KETUA_LSP, Context, branch_name, form_step, page_context, page_lang, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]


@router.get(VERIFY_PAGE, response_class=HTMLResponse)
async def check_page(request: Request) -> Response:
    return render(request, "certification/check.html", form={})


@router.post(VERIFY_PAGE, response_class=HTMLResponse)
async def check(request: Request, number: Text, name: Text) -> Response:
    """The form posts, so the holder's name stays out of URLs, browser history and access logs."""
    certificate = await queries.find_certificate(request.app.state.read_store, number.strip(), name)
    if certificate is None:  # an unknown number and a wrong name read the same
        return render(request, "certification/check.html", status_code=404, form={"number": number, "name": name},
                      error="certificate_not_found")
    return await show(request, certificate)


@router.get(VERIFY_PAGE + "/{token}", response_class=HTMLResponse)
async def certificate_page(request: Request, token: VerificationToken) -> Response:
    certificate = await queries.find_by_token(request.app.state.read_store, token)
    if certificate is None:
        raise NotFound("{what} not found", what="certificate")
    return await show(request, certificate)


async def show(request: Request, certificate: dict[str, Any]) -> Response:
    view = public_view(certificate)
    lang = page_lang(request)
    return render(request, "certification/certificate.html", certificate=view,
                  branch=await branch_name(request, view["branch"]),
                  issued_on=day(view["issued_on"], lang), valid_until=day(view["valid_until"], lang))


def day(iso: str, lang: str) -> str:
    """1 Juli 2028 as Indonesian letters write it; 1 July 2028 in English."""
    if lang == "en":
        value = date.fromisoformat(iso)
        return f"{value.day} {value.strftime('%B')} {value.year}"
    return tanggal(iso)


# ---- the ketua LSP's decisions (SOP 4.3) ---------------------------------------------------------------

DECISIONS = "/keputusan"


@router.get(DECISIONS, response_class=HTMLResponse)
async def decisions(request: Request) -> Response:
    """The cases the assessors recommended, waiting for the LSP's decision; then those decided."""
    ctx = page_context(request, KETUA_LSP)
    return render(request, "certification/decisions.html", notice=request.query_params.get("pesan"),
                  waiting=await queries.list_cases(ctx.store, ctx.tenant, "awaiting_decision"),
                  decided=await queries.list_cases(ctx.store, ctx.tenant, "decided"))


@router.post(DECISIONS + "/{case_id}")
async def decide(request: Request, case_id: str, decision: Annotated[str, Form(max_length=2)],
                 notes: Annotated[str, Form(max_length=2000)] = "") -> Response:
    async def run(ctx: Context) -> Any:
        return await usecases.decide(ctx, case_id, **DecisionIn(decision=decision, notes=notes).model_dump())

    async def shown(ctx: Context) -> bool:
        case = await queries.get_case(ctx.store, ctx.tenant, case_id)
        return bool(case and case["status"] == "decided")
    return await form_step(request, (KETUA_LSP,), DECISIONS, run, "decided", settled=shown)
