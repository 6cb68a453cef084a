"""Assessment's pages: the asesor's assigned cases, and the recommendation per unit (K / BK)."""
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.assessment import queries
from services.assessment.api import SERVICE, RecommendationIn
from shared.errors import NotFound
from shared.web import ASESOR, User, command, form_step, render, require_page_user

router = APIRouter(include_in_schema=False)
HOME = "/asesor"


@router.get(HOME, response_class=HTMLResponse)
async def my_cases(request: Request) -> Response:
    """The asesor's cases, the ones still to assess first."""
    user = require_page_user(request, ASESOR)
    found = await queries.list_assessments(request.app.state.read_store, user.tenant, assessor_id=user.id)
    return render(request, "assessment/my_cases.html", notice=request.query_params.get("pesan"),
                  assessments=sorted(found, key=lambda a: a["status"] != "in_progress"))


async def assigned(request: Request, user: User, case_id: str) -> dict[str, Any]:
    """The case, if it is assigned to this asesor (anyone else: not found, as for another branch)."""
    found = await queries.get_assessment(request.app.state.read_store, user.tenant, case_id, assessor_id=user.id)
    if found is None:
        raise NotFound("{what} not found", what="assessment")
    return found


@router.get(HOME + "/asesmen/{case_id}", response_class=HTMLResponse)
async def assessment_page(request: Request, case_id: str) -> Response:
    user = require_page_user(request, ASESOR)
    assessment = await assigned(request, user, case_id)
    return render(request, "assessment/recommend.html", assessment=assessment,
                  results={unit["code"]: unit["result"] for unit in assessment.get("units") or []},
                  notice=request.query_params.get("pesan"), error=request.query_params.get("galat"))


@router.post(HOME + "/asesmen/{case_id}")
async def recommend(request: Request, case_id: str) -> Response:
    """One K or BK per unit of the scheme, as the form lists them (result-<unit code>)."""
    async def run(user: User) -> Any:
        form = await request.form()
        units = [{"code": key[len("result-"):], "result": str(value)}
                 for key, value in form.items() if key.startswith("result-")]
        body = RecommendationIn(units=units)
        return await command(request, SERVICE, "give_recommendation", tenant=user.tenant, actor=user.actor(),
                             case_id=case_id, **body.model_dump())

    async def shown() -> bool:
        found = await queries.get_assessment(request.app.state.read_store, require_page_user(request).tenant, case_id)
        return bool(found and found["status"] == "recommended")
    page = f"{HOME}/asesmen/{case_id}"
    return await form_step(request, (ASESOR,), page, run, "recommended", settled=shown)
