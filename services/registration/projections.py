"""Registration read models: the scheme catalogue and the applications (one document per case).

A case is four aggregates (services/registration/domain.py): the application (its id is the case id),
the TUK equipment list, the payment and the self-assessment (ids derived from the case id). Their
events all write the case's one document (found by the envelope's correlation_id), each guarded by
its own aggregate's version: `version` for the application (as before), `versions.<part>` for the
others. So a replayed event changes nothing, and an event of one part is never refused because
another part is further on. `statuses` keeps each part's status; `status` is the case's, composed by
domain.case_status from them (the same tables the domain moves by).
"""
from services.registration.domain import CasePart, Payment, SelfAssessment, TukEquipment, case_status
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


PARTS: tuple[type[CasePart], ...] = (TukEquipment, Payment, SelfAssessment)


def part_of(env: Envelope) -> str:
    """Which aggregate of the case recorded the event: application, payment or self_assessment."""
    if env.aggregate_id == env.correlation_id:
        return "application"
    for kind in PARTS:
        if str(kind.id_for(env.correlation_id)) == env.aggregate_id:
            return kind.part
    raise ValueError(f"{env.type} {env.aggregate_id} is no part of case {env.correlation_id}")


async def save(store: ReadStore, env: Envelope, fields: dict, status: str | None = None,
               doc: dict | None = None) -> bool:
    """Write the event's fields into its case's document, once, guarded by its own aggregate's version;
    `status`: the part's new status, from which the case's is composed again."""
    part = part_of(env)
    if status is not None:
        doc = doc if doc is not None else await current(store, env)
        statuses = {**(doc.get("statuses") or {}), part: status}
        overall = case_status(statuses.get("application", "draft"), statuses.get("payment"),
                              statuses.get("self_assessment"))
        fields = {**fields, f"statuses.{part}": status, "status": overall.value}
    if part == "application":
        return await store.upsert_versioned(SERVICE, APPLICATIONS, env.correlation_id, env.aggregate_version,
                                            {**fields, "versions.application": env.aggregate_version})
    return await store.upsert_versioned(SERVICE, APPLICATIONS, env.correlation_id, env.aggregate_version,
                                        fields, guard=f"versions.{part}")


async def application_drafted(store: ReadStore, env: Envelope) -> None:
    await save(store, env, {
        "tenant": env.tenant, "asesi": env.data["asesi"], "scheme": env.data["scheme"],
        "purpose": env.data["purpose"], "status": "draft", "personal_data": {},
        "statuses": {"application": "draft"},
        # what a client sends as expected_version to a command on each part (0: not begun)
        "versions": {"application": env.aggregate_version, "tuk_equipment": 0, "payment": 0, "self_assessment": 0},
        "documents": [{**r, "file_id": None, "verdict": None, "notes": ""}
                      for r in env.data["scheme"].get("requirements", [])],
        "file_ids": [], "drafted_at": env.occurred_at, "submitted_at": None, "updated_at": env.occurred_at})


async def current(store: ReadStore, env: Envelope) -> dict:
    return await store.find_one(SERVICE, APPLICATIONS, {"_id": env.correlation_id}) or {}


async def draft_updated(store: ReadStore, env: Envelope) -> None:
    """Sensitive fields arrive and stay sealed (tokens); the API opens them for those allowed."""
    personal = dict((await current(store, env)).get("personal_data") or {})
    for name, value in env.data["personal_data"].items():
        if value is None:
            personal.pop(name, None)
        else:
            personal[name] = value
    await save(store, env, {
        "personal_data": personal, "updated_at": env.occurred_at})


def update_document(documents: list[dict], code: str, update) -> list[dict]:
    """The documents (one per requirement, in the scheme's order) with one of them changed."""
    return [update(d) if d["code"] == code else d for d in documents]


async def document_attached(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)

    def attach(previous: dict) -> dict:
        same = previous.get("sha256") == env.data["sha256"]  # the same file again keeps the verdict
        # a file replacing one that had a verdict: the admin sees what changed since (until the next verdict)
        replaced = ({"verdict": previous["verdict"], "notes": previous.get("notes", ""),
                     "filename": previous.get("filename")} if previous.get("verdict") and not same
                    else previous.get("replaced"))
        return {**previous, **{k: env.data[k] for k in ("file_id", "sha256", "media_type", "filename")},
                "uploaded_at": env.occurred_at, "verdict": previous.get("verdict") if same else None,
                "notes": previous.get("notes", "") if same else "", "replaced": replaced}
    documents = update_document(doc.get("documents") or [], env.data["requirement_code"], attach)
    await save(store, env, {
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
        fields = {"personal_data": env.data["personal_data"],
                  "signature": env.data["signature"], "deficiencies": [], "updated_at": env.occurred_at,
                  "submissions": int(doc.get("submissions") or 0) + 1}
        if first:
            fields["submitted_at"] = env.occurred_at
        else:
            fields["resubmitted_at"] = env.occurred_at
        await save(store, env, fields, status="submitted", doc=doc)
    return project


async def document_verified(store: ReadStore, env: Envelope) -> None:
    documents = update_document((await current(store, env)).get("documents") or [], env.data["requirement_code"],
                                lambda d: {**d, "verdict": env.data["verdict"], "notes": env.data["notes"],
                                           "verified_by": env.actor.model_dump(), "verified_at": env.occurred_at,
                                           "replaced": None})
    await save(store, env, {
        "documents": documents, "updated_at": env.occurred_at})


def recommendation(status: str):
    async def project(store: ReadStore, env: Envelope) -> None:
        await save(store, env, {
            "updated_at": env.occurred_at,
            "deficiencies": env.data.get("deficiencies", []),
            "recommendation": {"recommendation": env.data.get("recommendation", "tidak_diterima"),
                               "notes": env.data["notes"], "signature": env.data.get("signature"),
                               "at": env.occurred_at}}, status=status)
    return project


async def invoice_issued(store: ReadStore, env: Envelope) -> None:
    await save(store, env, {
        "updated_at": env.occurred_at,
        "invoice": {"number": env.data["invoice_number"], "amount": env.data["amount"],
                    "issued_at": env.occurred_at}}, status="awaiting_payment")


async def payment_proof_submitted(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    file_id = env.data.get("file_id") or ""
    await save(store, env, {
        "updated_at": env.occurred_at, **with_file(doc, env),
        "payment": {"reference": env.data["reference"], "amount": env.data["amount"], "file_id": file_id,
                    "sha256": env.data.get("sha256", ""), "media_type": env.data.get("media_type", ""),
                    "filename": env.data.get("filename", ""), "submitted_at": env.occurred_at}},
        status="payment_submitted", doc=doc)


async def payment_rejected(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    rejected = {**(doc.get("payment") or {}), "reason": env.data["reason"], "rejected_at": env.occurred_at,
                "rejected_by": env.actor.model_dump()}
    await save(store, env, {
        "updated_at": env.occurred_at, "payment": None,
        "payment_rejections": [*(doc.get("payment_rejections") or []), rejected]},
        status="awaiting_payment", doc=doc)


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
    payment = {**(doc.get("payment") or {}), "verified_at": env.occurred_at, "verified_by": env.actor.model_dump()}
    await save(store, env, {
        "updated_at": env.occurred_at, "evidence": doc.get("evidence") or [], "payment": payment,
        "self_assessment": self_assessment(doc, [], updated_at=None)}, status="paid", doc=doc)


async def self_assessment_started(store: ReadStore, env: Envelope) -> None:
    """The asesi's first step on FR.APL.02: the case stays "paid" while it is open."""
    await save(store, env, {"updated_at": env.occurred_at}, status="open")


async def evidence_attached(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    file_id = env.data["file_id"]
    evidence = [e for e in doc.get("evidence") or [] if e["file_id"] != file_id] + [{
        **{k: env.data[k] for k in ("file_id", "sha256", "media_type", "filename")}, "uploaded_at": env.occurred_at}]
    doc = {**doc, "evidence": evidence}
    await save(store, env, {
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
    await save(store, env, {
        "updated_at": env.occurred_at,
        "self_assessment": self_assessment(doc, ordered, status="draft", updated_at=env.occurred_at)})


async def self_assessment_submitted(store: ReadStore, env: Envelope) -> None:
    doc = await current(store, env)
    await save(store, env, {
        "updated_at": env.occurred_at,
        "self_assessment": self_assessment(doc, env.data["answers"], status="submitted", updated_at=env.occurred_at,
                                           signature=env.data["signature"], submitted_at=env.occurred_at,
                                           evidence=env.data["evidence"])}, status="self_assessed", doc=doc)


async def feasibility_reviewed(store: ReadStore, env: Envelope) -> None:
    feasible = env.data["feasible"]
    await save(store, env, {
        "updated_at": env.occurred_at,
        "feasibility": {"feasible": feasible, "notes": env.data["notes"], "signature": env.data["signature"],
                        "reviewed_by": env.actor.model_dump(), "at": env.occurred_at,
                        # a case found not feasible stops here: it never reaches scheduling
                        "case_stopped": not feasible}},
        status="ready_for_scheduling" if feasible else "not_feasible")


async def tuk_equipment(store: ReadStore, env: Envelope) -> None:
    """SOP 1.2.1: what the asesi was asked to prepare, and what they say is ready."""
    doc = await current(store, env)
    previous = doc.get("tuk_equipment") or {}
    items = env.data.get("items", previous.get("items", []))
    ready = env.data.get("ready", [] if env.type == "TukEquipmentRequested" else previous.get("ready", []))
    await save(store, env, {
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
        drafts = [c for c in summary.get("drafts") or [] if c != env.correlation_id]
        if application.get("status") == "draft":
            drafts.append(env.correlation_id)
        uploaded = {**(summary.get("uploaded_bytes") or {}),
                    env.correlation_id: int(application.get("uploaded_bytes") or 0)}
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
    "SelfAssessmentStarted": self_assessment_started,
    "EvidenceAttached": with_asesi_summary(evidence_attached),
    "SelfAssessmentDraftUpdated": self_assessment_updated,
    "SelfAssessmentSubmitted": self_assessment_submitted,
    "FeasibilityReviewed": feasibility_reviewed,
}
