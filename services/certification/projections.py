"""Certification read models: cases before the LSP's decision, and the certificate register."""
from services.certification.domain import CertificationStatus
from shared.contracts import Envelope
from shared.readstore import ReadStore

SERVICE = "certification"


async def case_received(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "status": CertificationStatus.AWAITING_DECISION.value, "decision": None, "notes": "",
        "certificate_number": None, "received_at": env.occurred_at, "updated_at": env.occurred_at,
        **{k: env.data[k] for k in ("asesi", "scheme", "assessor", "units", "recommendation")}})


async def certification_decided(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version, {
        "status": CertificationStatus.DECIDED.value, "decision": env.data["decision"], "notes": env.data["notes"],
        "decided_by": env.actor.model_dump(), "decided_at": env.occurred_at,
        "updated_at": env.occurred_at})


async def certificate_issued(store: ReadStore, env: Envelope) -> None:
    number, token = env.data["certificate_number"], env.data.get("verification_token") or None
    await store.upsert_versioned(SERVICE, "cases", env.aggregate_id, env.aggregate_version, {
        "certificate_number": number, "updated_at": env.occurred_at})
    await store.upsert_versioned(SERVICE, "certificates", number, env.aggregate_version, {
        "tenant": env.tenant, "case_id": env.aggregate_id, "holder": env.data["holder"],
        "scheme": {"number": env.data["scheme_number"], "title": env.data["scheme_title"]},
        "issued_on": env.data["issued_on"], "valid_until": env.data["valid_until"],
        "verification_token": token})
    if token:  # keyed by the token itself: a unique lookup, and no index to keep (Mongo or in memory)
        await store.upsert_versioned(SERVICE, "certificate_tokens", token, env.aggregate_version,
                                     {"certificate_number": number})


PROJECTIONS = {
    "CaseReceived": case_received,
    "CertificationDecided": certification_decided,
    "CertificateIssued": certificate_issued,
}
