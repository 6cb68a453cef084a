"""What users do in assessment, the same behind the JSON API (api.py) and the pages (web.py)."""
from typing import Any

from services.assessment import queries
from shared.errors import NotFound
from shared.web import ASESOR, Context, User

SERVICE = "assessment"


def own(user: User) -> str | None:
    return user.id if user.role == ASESOR else None  # an asesor sees only the cases assigned to them


async def list_assessments(ctx: Context, status: str | None = None) -> list[dict[str, Any]]:
    return await queries.list_assessments(ctx.store, ctx.tenant, assessor_id=own(ctx.user), status=status)


async def get_assessment(ctx: Context, case_id: str) -> dict[str, Any]:
    """The case's assessment; for an asesor only one assigned to them (anyone else: not found, as for
    another branch's)."""
    found = await queries.get_assessment(ctx.store, ctx.tenant, case_id, assessor_id=own(ctx.user))
    if found is None:
        raise NotFound("{what} not found", what="assessment")
    return found


async def give_recommendation(ctx: Context, case_id: str, recommendation: dict[str, Any]) -> dict[str, Any]:
    """The asesor's K/BK per unit (FR.AK.02 summary) for an assigned case."""
    result = await ctx.command(SERVICE, "give_recommendation", case_id=case_id, **recommendation)
    return {"id": case_id, "status": "recommended", **result}
