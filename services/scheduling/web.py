"""Scheduling's pages: the admin LSP's queue of feasible cases waiting for an asesor (SOP 1.5)."""
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.scheduling import queries, usecases
from shared.display import wib_today
from shared.web import ADMIN_LSP, MANAJER_SERTIFIKASI, Context, form_step, page_context, render

router = APIRouter(include_in_schema=False)
OFFICE = (ADMIN_LSP, MANAJER_SERTIFIKASI)
PAGE = "/penjadwalan"


@router.get(PAGE, response_class=HTMLResponse)
async def queue(request: Request) -> Response:
    ctx = page_context(request, *OFFICE)
    limit = ctx.settings.assessor_max_active_cases
    waiting = await queries.list_cases(ctx.store, ctx.tenant, "awaiting_assessor")
    assessors = await queries.list_assessors(ctx.store, ctx.tenant)
    return render(request, "scheduling/queue.html", waiting=[
        {**case, "assessors": candidates(case, assessors, limit)} for case in waiting],
        assigned=await queries.list_cases(ctx.store, ctx.tenant, "assigned"),
        notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


def candidates(case: dict[str, Any], assessors: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The registry's asesor competent in the case's scheme; those who cannot take it now say why
    (the domain refuses them anyway: this only spares the admin a refused click)."""
    today = wib_today().isoformat()
    found = []
    for assessor in assessors:
        if case["scheme"]["number"] not in assessor["scheme_numbers"]:
            continue
        why = ("met_expired" if str(assessor["valid_until"]) < today else
               "assessor_full" if assessor["load"] >= limit else "")
        found.append({**assessor, "why_not": why})
    return sorted(found, key=lambda a: (bool(a["why_not"]), a["load"], a["name"]))


@router.post(PAGE + "/{case_id}/tugaskan")
async def assign(request: Request, case_id: str, assessor_id: Annotated[str, Form(max_length=64)]) -> Response:
    async def shown(ctx: Context) -> bool:  # the queue the admin lands on no longer lists the case as waiting
        case = await queries.get_case(ctx.store, ctx.tenant, case_id)
        return bool(case and case["status"] != "awaiting_assessor")
    return await form_step(request, OFFICE, PAGE, lambda ctx: usecases.assign_assessor(ctx, case_id, assessor_id),
                           "assigned", settled=shown)
