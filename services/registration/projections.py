"""Registration read models: the scheme catalogue and the applications (one document per case)."""
from services.registration.notices import OUTBOX_PROJECTIONS
from shared.contracts import Envelope
from shared.readstore import ReadStore

SERVICE = "registration"


def content_fields(env: Envelope) -> dict:
    content = env.data["content"]
    # what keeps the scheme out of the catalogue (Scheme.publish refuses a scheme without units)
    return {**content, "missing": [] if content["units"] else ["units"], "updated_at": env.occurred_at}


async def scheme_created(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "schemes", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "number": env.data["number"], "published": env.data["published"],
        **content_fields(env)})


async def scheme_revised(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "schemes", env.aggregate_id, env.aggregate_version, content_fields(env))


def scheme_visibility(published: bool):
    async def project(store: ReadStore, env: Envelope) -> None:
        await store.upsert_versioned(SERVICE, "schemes", env.aggregate_id, env.aggregate_version, {
            "published": published, "updated_at": env.occurred_at})
    return project


APPLICATIONS = "applications"


async def application_drafted(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "asesi": env.data["asesi"], "scheme": env.data["scheme"],
        "purpose": env.data["purpose"], "status": "draft", "personal_data": {},
        "documents": [{**r, "file_id": None, "verdict": None, "notes": ""}
                      for r in env.data["scheme"].get("requirements", [])],
        "file_ids": [], "drafted_at": env.occurred_at, "submitted_at": None, "updated_at": env.occurred_at})


async def current(store: ReadStore, env: Envelope) -> dict:
    return await store.find_one(SERVICE, APPLICATIONS, {"_id": env.aggregate_id}) or {}


async def draft_updated(store: ReadStore, env: Envelope) -> None:
    """Sensitive fields arrive and stay sealed (tokens); the API opens them for those allowed."""
    personal = dict((await current(store, env)).get("personal_data") or {})
    for name, value in env.data["personal_data"].items():
        if value is None:
            personal.pop(name, None)
        else:
            personal[name] = value
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "personal_data": personal, "updated_at": env.occurred_at})


def update_document(documents: list[dict], code: str, update) -> list[dict]:
    """The documents (one per requirement, in the scheme's order) with one of them changed."""
    return [update(d) if d["code"] == code else d for d in documents]


async def document_attached(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)

    def attach(previous: dict) -> dict:
        same = previous.get("sha256") == env.data["sha256"]  # the same file again keeps the verdict
        return {**previous, **{k: env.data[k] for k in ("file_id", "sha256", "media_type", "filename")},
                "uploaded_at": env.occurred_at, "verdict": previous.get("verdict") if same else None,
                "notes": previous.get("notes", "") if same else ""}
    documents = update_document(doc.get("documents") or [], env.data["requirement_code"], attach)
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "documents": documents, "file_ids": with_file(doc, env.data["file_id"]), "updated_at": env.occurred_at})


def with_file(doc: dict, file_id: str) -> list[str]:
    """Every file ever attached to the case (replaced ones too): what its download endpoint serves."""
    file_ids = list(doc.get("file_ids") or [])
    return file_ids if file_id in file_ids else [*file_ids, file_id]


def submitted(first: bool):
    async def project(store: ReadStore, env: Envelope) -> None:
        doc = await current(store, env)
        fields = {"status": "submitted", "personal_data": env.data["personal_data"],
                  "signature": env.data["signature"], "deficiencies": [], "updated_at": env.occurred_at,
                  "submissions": int(doc.get("submissions") or 0) + 1}
        if first:
            fields["submitted_at"] = env.occurred_at
        else:
            fields["resubmitted_at"] = env.occurred_at
        await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, fields)
    return project


async def document_verified(store: ReadStore, env: Envelope) -> None:
    documents = update_document((await current(store, env)).get("documents") or [], env.data["requirement_code"],
                                lambda d: {**d, "verdict": env.data["verdict"], "notes": env.data["notes"],
                                           "verified_by": env.actor.model_dump(), "verified_at": env.occurred_at})
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "documents": documents, "updated_at": env.occurred_at})


def recommendation(status: str):
    async def project(store: ReadStore, env: Envelope) -> None:
        await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
            "status": status, "updated_at": env.occurred_at,
            "deficiencies": env.data.get("deficiencies", []),
            "recommendation": {"recommendation": env.data.get("recommendation", "tidak_diterima"),
                               "notes": env.data["notes"], "signature": env.data.get("signature"),
                               "at": env.occurred_at}})
    return project


def status_change(status: str, **from_data: str):
    """A projection that sets the status and copies some event fields (name -> data key)."""
    async def project(store: ReadStore, env: Envelope) -> None:
        fields = {"status": status, "updated_at": env.occurred_at,
                  **{name: env.data[key] for name, key in from_data.items()}}
        await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, fields)
    return project


async def invoice_issued(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "status": "awaiting_payment", "updated_at": env.occurred_at,
        "invoice": {"number": env.data["invoice_number"], "amount": env.data["amount"],
                    "issued_at": env.occurred_at}})


async def payment_proof_submitted(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    file_id = env.data.get("file_id") or ""
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "status": "payment_submitted", "updated_at": env.occurred_at,
        "file_ids": with_file(doc, file_id) if file_id else doc.get("file_ids", []),
        "payment": {"reference": env.data["reference"], "amount": env.data["amount"], "file_id": file_id,
                    "sha256": env.data.get("sha256", ""), "media_type": env.data.get("media_type", ""),
                    "filename": env.data.get("filename", ""), "submitted_at": env.occurred_at}})


async def payment_rejected(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    rejected = {**(doc.get("payment") or {}), "reason": env.data["reason"], "rejected_at": env.occurred_at,
                "rejected_by": env.actor.model_dump()}
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "status": "awaiting_payment", "updated_at": env.occurred_at, "payment": None,
        "payment_rejections": [*(doc.get("payment_rejections") or []), rejected]})


PROJECTIONS = {
    **OUTBOX_PROJECTIONS,
    "SchemeCreated": scheme_created,
    "SchemeRevised": scheme_revised,
    "SchemePublished": scheme_visibility(True),
    "SchemeUnpublished": scheme_visibility(False),
    "ApplicationDrafted": application_drafted,
    "DraftUpdated": draft_updated,
    "RequirementDocumentAttached": document_attached,
    "ApplicationSubmitted": submitted(first=True),
    "ApplicationResubmitted": submitted(first=False),
    "DocumentVerified": document_verified,
    "ApplicationReturned": recommendation("returned"),
    "ApplicationAccepted": recommendation("accepted"),
    "InvoiceIssued": invoice_issued,
    "PaymentProofSubmitted": payment_proof_submitted,
    "PaymentRejected": payment_rejected,
    "PaymentVerified": status_change("paid"),
}
