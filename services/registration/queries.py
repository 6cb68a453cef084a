"""Registration read-model queries (tenant-scoped, from the service's own read models)."""
from typing import Any

from shared.readstore import ReadStore
from shared.web import public

SERVICE = "registration"


async def list_schemes(store: ReadStore, tenant: str, published_only: bool = True) -> list[dict[str, Any]]:
    """The catalogue: published schemes, or all of them for a caller that asks (the branch's office)."""
    query: dict[str, Any] = {"tenant": tenant}
    if published_only:
        query["published"] = True
    docs = await store.find(SERVICE, "schemes", query, sort=[("title", 1)])
    return [public(doc) for doc in docs]


async def get_scheme(store: ReadStore, tenant: str, scheme_id: str,
                     published_only: bool = True) -> dict[str, Any] | None:
    query: dict[str, Any] = {"_id": scheme_id, "tenant": tenant}
    if published_only:
        query["published"] = True
    return public(await store.find_one(SERVICE, "schemes", query))


async def list_applications(store: ReadStore, tenant: str, asesi_id: str | None = None,
                            status: str | None = None) -> list[dict[str, Any]]:
    query: dict[str, Any] = {"tenant": tenant}
    if asesi_id:
        query["asesi.id"] = asesi_id
    if status:
        query["status"] = status
    docs = await store.find(SERVICE, "applications", query, sort=[("submitted_at", -1)])
    return [public(doc) for doc in docs]


async def get_application(store: ReadStore, tenant: str, case_id: str,
                          asesi_id: str | None = None) -> dict[str, Any] | None:
    query: dict[str, Any] = {"_id": case_id, "tenant": tenant}
    if asesi_id:
        query["asesi.id"] = asesi_id
    return public(await store.find_one(SERVICE, "applications", query))
