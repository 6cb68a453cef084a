"""Registration read models: the scheme catalogue and the applications (one document per case)."""
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


async def application_submitted(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "applications", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "asesi": env.data["asesi"], "scheme": env.data["scheme"],
        "purpose": env.data["purpose"], "status": "submitted", "submitted_at": env.occurred_at,
        "updated_at": env.occurred_at})


def status_change(status: str, **from_data: str):
    """A projection that sets the status and copies some event fields (name -> data key)."""
    async def project(store: ReadStore, env: Envelope) -> None:
        fields = {"status": status, "updated_at": env.occurred_at,
                  **{name: env.data[key] for name, key in from_data.items()}}
        await store.upsert_versioned(SERVICE, "applications", env.aggregate_id, env.aggregate_version, fields)
    return project


async def invoice_issued(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "applications", env.aggregate_id, env.aggregate_version, {
        "status": "awaiting_payment", "updated_at": env.occurred_at,
        "invoice": {"number": env.data["invoice_number"], "amount": env.data["amount"],
                    "issued_at": env.occurred_at}})


async def payment_proof_submitted(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "applications", env.aggregate_id, env.aggregate_version, {
        "status": "payment_submitted", "updated_at": env.occurred_at,
        "payment": {"reference": env.data["reference"], "amount": env.data["amount"],
                    "submitted_at": env.occurred_at}})


PROJECTIONS = {
    "SchemeCreated": scheme_created,
    "SchemeRevised": scheme_revised,
    "SchemePublished": scheme_visibility(True),
    "SchemeUnpublished": scheme_visibility(False),
    "ApplicationSubmitted": application_submitted,
    "ApplicationAccepted": status_change("accepted"),
    "InvoiceIssued": invoice_issued,
    "PaymentProofSubmitted": payment_proof_submitted,
    "PaymentVerified": status_change("paid"),
}
