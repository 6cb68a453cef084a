"""Who may read a case beyond its asesi and the branch's office: the asesor assigned to it.

Assignments are scheduling's; its read model ("cases", with the assessor) is the one place they are
kept, so every slice that narrows an asesor to their cases asks this one function."""
from shared.readstore import ReadStore


async def assigned_cases(store: ReadStore, tenant: str, assessor_id: str) -> set[str]:
    """The ids of the branch's cases this asesor is assigned to."""
    docs = await store.find("scheduling", "cases", {"tenant": tenant, "assessor.id": assessor_id}, limit=None)
    return {doc["_id"] for doc in docs}
