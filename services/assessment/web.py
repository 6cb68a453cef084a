"""Assessment's pages: the asesor's assigned cases, and the recommendation per unit (K / BK)."""
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.assessment import queries, usecases
from services.assessment.api import RecommendationIn
from shared.web import ASESOR, Context, form_step, page_context, render

router = APIRouter(include_in_schema=False)
HOME = "/asesor"


@router.get(HOME, response_class=HTMLResponse)
async def my_cases(request: Request) -> Response:
    """The asesor's cases, the ones still to assess first."""
    found = await usecases.list_assessments(page_context(request, ASESOR))
    return render(request, "assessment/my_cases.html", notice=request.query_params.get("pesan"),
                  assessments=sorted(found, key=lambda a: a["status"] != "in_progress"))


@router.get(HOME + "/asesmen/{case_id}", response_class=HTMLResponse)
async def assessment_page(request: Request, case_id: str) -> Response:
    assessment = await usecases.get_assessment(page_context(request, ASESOR), case_id)
    return render(request, "assessment/recommend.html", assessment=assessment,
                  results={unit["code"]: unit["result"] for unit in assessment.get("units") or []},
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


@router.post(HOME + "/asesmen/{case_id}")
async def recommend(request: Request, case_id: str) -> Response:
    """One K or BK per unit of the scheme, as the form lists them (result-<unit code>)."""
    async def run(ctx: Context) -> Any:
        form = await request.form()
        units = [{"code": key[len("result-"):], "result": str(value)}
                 for key, value in form.items() if key.startswith("result-")]
        return await usecases.give_recommendation(ctx, case_id, RecommendationIn(units=units).model_dump())

    async def shown(ctx: Context) -> bool:
        found = await queries.get_assessment(ctx.store, ctx.tenant, case_id)
        return bool(found and found["status"] == "recommended")
    return await form_step(request, (ASESOR,), f"{HOME}/asesmen/{case_id}", run, "recommended", settled=shown)
