"""Certification read-model queries: tenant-scoped, except the public lookup by number."""
from typing import Any

from shared.readstore import ReadStore
from shared.web import public

SERVICE = "certification"


async def list_cases(store: ReadStore, tenant: str, status: str | None = None) -> list[dict[str, Any]]:
    query: dict[str, Any] = {"tenant": tenant}
    if status:
        query["status"] = status
    docs = await store.find(SERVICE, "cases", query, sort=[("received_at", 1)])
    return [public(doc) for doc in docs]


async def get_case(store: ReadStore, tenant: str, case_id: str) -> dict[str, Any] | None:
    return public(await store.find_one(SERVICE, "cases", {"_id": case_id, "tenant": tenant}))


async def list_certificates(store: ReadStore, tenant: str, holder_id: str | None = None) -> list[dict[str, Any]]:
    query: dict[str, Any] = {"tenant": tenant}
    if holder_id:
        query["holder.id"] = holder_id
    docs = await store.find(SERVICE, "certificates", query, sort=[("issued_on", -1)])
    return [public(doc) for doc in docs]


async def find_certificate(store: ReadStore, number: str) -> dict[str, Any] | None:
    """Any branch's certificate: the number is public (printed with a QR code)."""
    return public(await store.find_one(SERVICE, "certificates", {"_id": number}))
