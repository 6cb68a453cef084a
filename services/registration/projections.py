"""Registration read models: the scheme catalogue and the applications (one document per case)."""
from shared.contracts import Envelope
from shared.notices import OUTBOX_PROJECTIONS
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
        "documents": documents, **with_file(doc, env), "updated_at": env.occurred_at})


def with_file(doc: dict, env: Envelope) -> dict:
    """Every file ever attached to the case (replaced ones too): what its download endpoint serves, and
    their bytes, each file once, as the aggregate counts them (0 for events from before sizes were recorded)."""
    file_id, file_ids = env.data.get("file_id") or "", list(doc.get("file_ids") or [])
    uploaded = int(doc.get("uploaded_bytes") or 0)
    if file_id and file_id not in file_ids:
        file_ids, uploaded = [*file_ids, file_id], uploaded + int(env.data.get("size") or 0)
    return {"file_ids": file_ids, "uploaded_bytes": uploaded}


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
        "status": "payment_submitted", "updated_at": env.occurred_at, **with_file(doc, env),
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


# -- FR.APL.02 (SOP 1.2.8) -----------------------------------------------------------------------------

def item_key(unit_code: str, element_no: str | None) -> str:
    return unit_code if element_no is None else f"{unit_code}/{element_no}"


def self_assessment_items(scheme: dict, answers: list[dict]) -> list[dict]:
    """One row per element of each unit (a unit without elements: one row), with its KUK and answer."""
    by_key = {item_key(a["unit_code"], a["element_no"]): a for a in answers}
    rows = []
    for unit in scheme.get("units", []):
        elements = unit.get("elements") or [None]
        for element in elements:
            number = None if element is None else str(element["number"])
            answer = by_key.get(item_key(unit["code"], number), {})
            rows.append({"unit_code": unit["code"], "unit_title": unit["title"], "element_no": number,
                         "element_title": None if element is None else element["title"],
                         "kuk": [] if element is None else element.get("kuk", []),
                         "answer": answer.get("answer"), "evidence": answer.get("evidence", [])})
    return rows


def citable_files(doc: dict) -> list[dict]:
    """What an answer may cite: the requirement documents, then the portfolio uploads."""
    documents = [{"file_id": d["file_id"], "filename": d.get("filename"), "source": d["code"],
                  "title": d.get("title")} for d in doc.get("documents") or [] if d.get("file_id")]
    portfolio = [{"file_id": e["file_id"], "filename": e["filename"], "source": "portofolio",
                  "title": e["filename"]} for e in doc.get("evidence") or []]
    return documents + portfolio


def self_assessment(doc: dict, answers: list[dict], **changes) -> dict:
    previous = doc.get("self_assessment") or {"status": "open", "signature": None, "submitted_at": None}
    rows = self_assessment_items(doc.get("scheme") or {}, answers)
    return {**previous, "answers": answers, "items": rows, "files": citable_files(doc),
            "missing": [item_key(r["unit_code"], r["element_no"]) for r in rows if r["answer"] is None],
            **changes}


async def payment_verified(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "status": "paid", "updated_at": env.occurred_at, "evidence": doc.get("evidence") or [],
        "self_assessment": self_assessment(doc, [], updated_at=None)})


async def evidence_attached(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    file_id = env.data["file_id"]
    evidence = [e for e in doc.get("evidence") or [] if e["file_id"] != file_id] + [{
        **{k: env.data[k] for k in ("file_id", "sha256", "media_type", "filename")}, "uploaded_at": env.occurred_at}]
    doc = {**doc, "evidence": evidence}
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "evidence": evidence, **with_file(doc, env), "updated_at": env.occurred_at,
        "self_assessment": self_assessment(doc, (doc.get("self_assessment") or {}).get("answers", []))})


async def self_assessment_updated(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    answers = {item_key(a["unit_code"], a["element_no"]): a
               for a in (doc.get("self_assessment") or {}).get("answers", [])}
    for answer in env.data["answers"]:
        key = item_key(answer["unit_code"], answer["element_no"])
        if answer["answer"] is None:
            answers.pop(key, None)
        else:
            answers[key] = answer
    order = [item_key(r["unit_code"], r["element_no"]) for r in self_assessment_items(doc.get("scheme") or {}, [])]
    ordered = [answers[k] for k in order if k in answers]
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "updated_at": env.occurred_at,
        "self_assessment": self_assessment(doc, ordered, status="draft", updated_at=env.occurred_at)})


async def self_assessment_submitted(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "status": "self_assessed", "updated_at": env.occurred_at,
        "self_assessment": self_assessment(doc, env.data["answers"], status="submitted", updated_at=env.occurred_at,
                                           signature=env.data["signature"], submitted_at=env.occurred_at,
                                           evidence=env.data["evidence"])})


async def feasibility_reviewed(store: ReadStore, env: Envelope) -> None:
    feasible = env.data["feasible"]
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "status": "ready_for_scheduling" if feasible else "not_feasible", "updated_at": env.occurred_at,
        "feasibility": {"feasible": feasible, "notes": env.data["notes"], "signature": env.data["signature"],
                        "reviewed_by": env.actor.model_dump(), "at": env.occurred_at,
                        # a case found not feasible stops here: it never reaches scheduling
                        "case_stopped": not feasible}})


async def tuk_equipment(store: ReadStore, env: Envelope) -> None:
    """SOP 1.2.1: what the asesi was asked to prepare, and what they say is ready."""
    doc = await current(store, env)
    previous = doc.get("tuk_equipment") or {}
    items = env.data.get("items", previous.get("items", []))
    ready = env.data.get("ready", [] if env.type == "TukEquipmentRequested" else previous.get("ready", []))
    await store.upsert_versioned(SERVICE, APPLICATIONS, env.aggregate_id, env.aggregate_version, {
        "tuk_equipment": {"items": items, "ready": ready, "complete": len(ready) == len(items),
                          "requested_at": previous.get("requested_at", env.occurred_at),
                          "confirmed_at": env.occurred_at if env.type == "TukEquipmentConfirmed" else None},
        "updated_at": env.occurred_at})


ASESI = "asesi"  # one summary per asesi: their open drafts and their uploads' bytes per case


def asesi_key(tenant: str, asesi_id: str) -> str:
    return f"{tenant}:{asesi_id}"


def with_asesi_summary(project):
    """Then keep the asesi's summary in step with the application: the draft cap and the upload quota
    read one document by its id instead of scanning the branch's applications. Set from the application
    document (never counted up), guarded by log position: replaying an event changes nothing."""
    async def then_summarise(store: ReadStore, env: Envelope) -> None:
        await project(store, env)
        application = await current(store, env)
        key = asesi_key(env.tenant, application["asesi"]["id"])
        summary = await store.find_one(SERVICE, ASESI, {"_id": key}) or {}
        drafts = [c for c in summary.get("drafts") or [] if c != env.aggregate_id]
        if application.get("status") == "draft":
            drafts.append(env.aggregate_id)
        uploaded = {**(summary.get("uploaded_bytes") or {}),
                    env.aggregate_id: int(application.get("uploaded_bytes") or 0)}
        await store.upsert_versioned(SERVICE, ASESI, key, env.position, {
            "tenant": env.tenant, "drafts": drafts, "uploaded_bytes": uploaded})
    return then_summarise


PROJECTIONS = {
    **OUTBOX_PROJECTIONS,
    "TukEquipmentRequested": tuk_equipment,
    "TukEquipmentConfirmed": tuk_equipment,
    "SchemeCreated": scheme_created,
    "SchemeRevised": scheme_revised,
    "SchemePublished": scheme_visibility(True),
    "SchemeUnpublished": scheme_visibility(False),
    "ApplicationDrafted": with_asesi_summary(application_drafted),
    "DraftUpdated": draft_updated,
    "RequirementDocumentAttached": with_asesi_summary(document_attached),
    "ApplicationSubmitted": with_asesi_summary(submitted(first=True)),
    "ApplicationResubmitted": submitted(first=False),
    "DocumentVerified": document_verified,
    "ApplicationReturned": recommendation("returned"),
    "ApplicationAccepted": recommendation("accepted"),
    "InvoiceIssued": invoice_issued,
    "PaymentProofSubmitted": with_asesi_summary(payment_proof_submitted),
    "PaymentRejected": payment_rejected,
    "PaymentVerified": payment_verified,
    "EvidenceAttached": with_asesi_summary(evidence_attached),
    "SelfAssessmentDraftUpdated": self_assessment_updated,
    "SelfAssessmentSubmitted": self_assessment_submitted,
    "FeasibilityReviewed": feasibility_reviewed,
}
