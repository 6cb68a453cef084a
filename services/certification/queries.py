"""Certification read-model queries: tenant-scoped, except the two public checks (by number and
holder's name, or by the QR code's token)."""
import hmac
import unicodedata
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


async def get_certificate(store: ReadStore, tenant: str, number: str,
                          holder_id: str | None = None) -> dict[str, Any] | None:
    """One certificate of the branch (of this holder only, when given)."""
    query: dict[str, Any] = {"_id": number, "tenant": tenant}
    if holder_id:
        query["holder.id"] = holder_id
    return public(await store.find_one(SERVICE, "certificates", query))


async def find_certificate(store: ReadStore, number: str, holder_name: str) -> dict[str, Any] | None:
    """Any branch's certificate by its number, only for someone who also knows the holder's name.

    Numbers are sequential, so the number alone would let anyone list every holder by counting.
    A wrong name answers exactly as an unknown number does (None), after the same single read.
    """
    certificate = await store.find_one(SERVICE, "certificates", {"_id": number})
    if certificate is None or not same_name(certificate["holder"]["name"], holder_name):
        return None
    return public(certificate)


async def find_by_token(store: ReadStore, token: str) -> dict[str, Any] | None:
    """The certificate whose QR code carries this token (unguessable: it shows the whole certificate)."""
    link = await store.find_one(SERVICE, "certificate_tokens", {"_id": token})
    if link is None:
        return None
    return public(await store.find_one(SERVICE, "certificates", {"_id": link["certificate_number"]}))


def normal_name(name: str) -> str:
    """A name as people type it: case, accents, punctuation and spacing do not matter."""
    letters = unicodedata.normalize("NFKD", name)
    kept = "".join(ch if ch.isalnum() else " " for ch in letters if not unicodedata.combining(ch))
    return " ".join(kept.casefold().split())


def same_name(recorded: str, given: str) -> bool:
    expected, typed = normal_name(recorded), normal_name(given)
    # constant time, so the time taken says nothing about how much of the name was right
    return bool(typed) and hmac.compare_digest(expected.encode(), typed.encode())


async def case_part(store: ReadStore, tenant: str, case_id: str) -> dict[str, Any] | None:
    """What certification knows of a case, for the case page: the decision and the certificate."""
    case = await get_case(store, tenant, case_id)
    if case is None:
        return None
    number = case.get("certificate_number")
    certificate = number and await store.find_one(SERVICE, "certificates", {"_id": number, "tenant": tenant})
    return {"status": case["status"], "decision": case.get("decision"), "decided_at": case.get("decided_at"),
            "certificate": certificate and {"number": number, **{key: certificate.get(key) for key in (
                "issued_on", "valid_until", "verification_token", "withdrawn_at")}}}
