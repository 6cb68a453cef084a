"""Assessment read-model queries (tenant-scoped; an asesor is narrowed to their own cases)."""
from typing import Any

from shared.readstore import ReadStore
from shared.web import public

SERVICE = "assessment"


async def list_assessments(store: ReadStore, tenant: str, assessor_id: str | None = None,
                           status: str | None = None) -> list[dict[str, Any]]:
    query: dict[str, Any] = {"tenant": tenant}
    if assessor_id:
        query["assessor.id"] = assessor_id
    if status:
        query["status"] = status
    docs = await store.find(SERVICE, "assessments", query, sort=[("opened_at", -1)])
    return [public(doc) for doc in docs]


async def get_assessment(store: ReadStore, tenant: str, case_id: str,
                         assessor_id: str | None = None) -> dict[str, Any] | None:
    query: dict[str, Any] = {"_id": case_id, "tenant": tenant}
    if assessor_id:
        query["assessor.id"] = assessor_id
    return public(await store.find_one(SERVICE, "assessments", query))


async def case_part(store: ReadStore, tenant: str, case_id: str) -> dict[str, Any] | None:
    """What assessment knows of a case, for the case page: its status and the recommendation."""
    found = await get_assessment(store, tenant, case_id)
    return found and {key: found.get(key) for key in ("status", "recommendation", "recommended_at", "units")}
