"""Registration read-model queries (tenant-scoped, from the service's own read models)."""
import re
from typing import Any

from shared import notices
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
                            status: str | None = None, include_drafts: bool = True,
                            case_ids: set[str] | None = None) -> list[dict[str, Any]]:
    """Sealed fields stay tokens here; the API opens or masks them for its caller.
    `case_ids` narrows to those cases (an asesor's assigned ones)."""
    query: dict[str, Any] = {"tenant": tenant}
    if asesi_id:
        query["asesi.id"] = asesi_id
    if case_ids is not None:
        query["_id"] = {"$in": sorted(case_ids)}
    if status:
        query["status"] = status
    elif not include_drafts:
        query["status"] = {"$ne": "draft"}
    docs = await store.find(SERVICE, "applications", query, sort=[("drafted_at", -1)])
    return [public(doc) for doc in docs if include_drafts or doc.get("status") != "draft"]


async def search_applications(store: ReadStore, tenant: str, text: str = "", status: str = "",
                              limit: int = 100) -> list[dict[str, Any]]:
    """The branch's submitted applications whose asesi's name contains `text` (any case) or whose id
    is `text`, newest first; `status` narrows them. Drafts are the asesi's own and never listed."""
    query: dict[str, Any] = {"tenant": tenant, "status": status or {"$ne": "draft"}}
    if text.strip():
        words = re.escape(" ".join(text.split()))
        query["$or"] = [{"asesi.name": {"$regex": words, "$options": "i"}}, {"_id": text.strip()}]
    docs = await store.find(SERVICE, "applications", query, sort=[("submitted_at", -1)], limit=limit)
    return [public(doc) for doc in docs if doc.get("status") != "draft"]


async def asesi_summary(store: ReadStore, tenant: str, asesi_id: str) -> dict[str, Any]:
    """The asesi's open drafts (case ids) and their uploads' bytes per case (projections.py)."""
    return await store.find_one(SERVICE, "asesi", {"_id": f"{tenant}:{asesi_id}"}) or {}


async def get_application(store: ReadStore, tenant: str, case_id: str, asesi_id: str | None = None,
                          include_drafts: bool = True, case_ids: set[str] | None = None) -> dict[str, Any] | None:
    if case_ids is not None and case_id not in case_ids:
        return None
    query: dict[str, Any] = {"_id": case_id, "tenant": tenant}
    if asesi_id:
        query["asesi.id"] = asesi_id
    doc = await store.find_one(SERVICE, "applications", query)
    if doc is not None and not include_drafts and doc.get("status") == "draft":
        return None  # a draft is the asesi's own until it is signed and submitted
    return public(doc)


async def application_file(store: ReadStore, tenant: str, case_id: str, file_id: str,
                           asesi_id: str | None = None) -> dict[str, Any] | None:
    """The application, if the file was attached to it (a requirement document or a payment proof)."""
    application = await get_application(store, tenant, case_id, asesi_id, include_drafts=asesi_id is not None)
    if application is None or file_id not in (application.get("file_ids") or []):
        return None
    return application


async def list_outbox(store: ReadStore, tenant: str, asesi_id: str | None = None, status: str | None = None,
                      case_id: str | None = None) -> list[dict[str, Any]]:
    """The branch's notices, newest first: status queued, retrying, sent or failed (recipient and body sealed)."""
    return await notices.list_outbox(store, SERVICE, tenant, asesi_id, status, case_id)
