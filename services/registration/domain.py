"""Registration (SOP 1.1-1.3): scheme catalogue, application (FR.APL.01), invoice and payment."""
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from services.registration.forms import APL02, BAGIAN_1, DATA_PRIBADI, PURPOSES, REKOMENDASI
from services.registration.forms import EDUCATION as EDUCATION  # re-exported for the pages
from shared.aggregate import Actor, TenantAggregate, YearlySequence, stable_id, system_actor
from shared.errors import Conflict, Invalid, NotFound
from shared.signing import content_sha256 as content_sha256  # re-exported: what a signature hashes
from shared.signing import sign

SCHEME_KINDS = ("KKNI", "Okupasi", "Klaster")
STANDARD_TYPES = ("SKKNI", "Standar Khusus", "Standar Internasional")
REQUIREMENT_CATEGORIES = ("persyaratan_dasar", "administratif")
METHODS = ("Uji Tertulis", "Observasi Demonstrasi", "Verifikasi Portofolio", "Wawancara")


def scheme_id(tenant: str, number: str) -> UUID:
    return stable_id("scheme", tenant, number)


def scheme_content(title: str, kind: str, units: list[dict[str, Any]], fee: int, validity_years: int,
                   requirements: list[dict[str, str]], methods: list[str],
                   remote_requirements: list[str]) -> dict[str, Any]:
    """One version of a scheme, checked: everything but its number, which never changes."""
    if kind not in SCHEME_KINDS:
        raise Invalid("kind must be one of {choices}", field="kind", choices=SCHEME_KINDS)
    units = [unit_content(**unit) for unit in units]
    unique([unit["code"] for unit in units], "unit codes", "units")
    if any(r["category"] not in REQUIREMENT_CATEGORIES for r in requirements):
        raise Invalid("category must be one of {choices}", field="requirements", choices=REQUIREMENT_CATEGORIES)
    unique([r["code"] for r in requirements], "requirement codes", "requirements")
    if not methods or not set(methods) <= set(METHODS):
        raise Invalid("methods must be some of {choices}", field="methods", choices=METHODS)
    unique(methods, "methods", "methods")
    if fee < 0:
        raise Invalid("fee cannot be negative", field="fee")
    if validity_years < 1:
        raise Invalid("a certificate is valid for at least one year", field="validity_years")
    return {"title": title, "kind": kind, "units": units, "fee": fee, "validity_years": validity_years,
            "requirements": [{k: r[k] for k in ("code", "title", "category")} for r in requirements],
            "methods": list(methods), "remote_requirements": list(remote_requirements)}


def unit_content(code: str, title: str, standard_type: str = "SKKNI", reference: str = "",
                 elements: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    if standard_type not in STANDARD_TYPES:
        raise Invalid("standard_type must be one of {choices}", field="units", choices=STANDARD_TYPES)
    return {"code": code, "title": title, "standard_type": standard_type, "reference": reference,
            "elements": elements or []}


def unique(values: list[str], what: str, field: str) -> None:
    if len(set(values)) != len(values):
        raise Invalid("{what} must be unique within a scheme", field=field, what=what)


def require_complete(content: dict[str, Any]) -> None:
    """A scheme the public sees and applies for has its units (a seeded one may wait for them)."""
    if not content["units"]:
        raise Invalid("a published scheme needs at least one unit", field="units")


class Scheme(TenantAggregate):
    """A scheme of a branch. Each revision is a new version; a case keeps the version it applied for."""

    @event("SchemeCreated")
    def __init__(self, tenant: str, actor: Actor, number: str, content: dict[str, Any], published: bool):
        self.tenant = tenant
        self.number = number
        self.content = content
        self.published = published

    @classmethod
    def create(cls, tenant: str, actor: Actor, number: str, content: dict[str, Any],
               published: bool) -> "Scheme":
        if published:
            require_complete(content)
        return cls(tenant=tenant, actor=actor, number=number, content=content, published=published)

    @staticmethod
    def create_id(tenant: str, number: str) -> UUID:
        return scheme_id(tenant, number)  # one scheme per number per branch

    def revise(self, actor: Actor, content: dict[str, Any]) -> None:
        if self.published:
            require_complete(content)
        self._revised(actor=actor, content=content)

    @event("SchemeRevised")
    def _revised(self, actor: Actor, content: dict[str, Any]) -> None:
        self.content = content

    def publish(self, actor: Actor) -> None:
        if self.published:
            raise Conflict("the scheme is already published")
        require_complete(self.content)
        self._published(actor=actor)

    @event("SchemePublished")
    def _published(self, actor: Actor) -> None:
        self.published = True

    def unpublish(self, actor: Actor) -> None:
        if not self.published:
            raise Conflict("the scheme is not published")
        self._unpublished(actor=actor)

    @event("SchemeUnpublished")
    def _unpublished(self, actor: Actor) -> None:
        self.published = False

    def snapshot(self) -> dict[str, Any]:
        """What a case keeps of the scheme version it applied for; only a published scheme takes cases."""
        if not self.published:
            raise Conflict("this scheme is not open for applications", field="scheme_id")
        return {"id": str(self.id), "number": self.number, "version": self.version, **self.content}


# -- FR.APL.01 -----------------------------------------------------------------------------------

# Bagian 1 (a) data pribadi and (b) data pekerjaan sekarang, defined once in forms.py: the field names, what
# an application cannot be submitted without, and what is sealed per asesi (shared.privacy) before any event
# holds it.
PERSONAL_FIELDS = tuple(f.name for f in DATA_PRIBADI.fields)
JOB_FIELDS = BAGIAN_1.part("data_pekerjaan").names
APPLICANT_FIELDS = BAGIAN_1.names
REQUIRED_FIELDS = BAGIAN_1.required
SENSITIVE_FIELDS = BAGIAN_1.sealed
GENDERS = tuple(c.value for c in BAGIAN_1.field("jenis_kelamin").choices)
VERDICTS = ("memenuhi", "tidak_memenuhi", "tidak_ada")  # Ada-Memenuhi / Ada-Tidak memenuhi / Tidak ada
RECOMMENDATIONS = tuple(c.value for c in REKOMENDASI.field("recommendation").choices)
EDITABLE = ("draft", "returned")  # the asesi may change the application only before or after a return
ANSWERS = tuple(c.value for c in APL02.grid.answers)  # FR.APL.02: Kompeten / Belum Kompeten, the asesi's own


def check_personal_data(data: dict[str, Any]) -> dict[str, str | None]:
    """Bagian 1 fields, plain (before sealing), checked by their definition: known names, right formats,
    every problem named at once; "" or None clears a field. A message never repeats the value."""
    return BAGIAN_1.check(data)


class CertificationApplication(TenantAggregate):
    """One certification case as registration sees it (FR.APL.01); its id is the case id everywhere.

    draft -> submitted -> (returned -> submitted again)* -> accepted -> awaiting_payment
    -> payment_submitted -> (rejected: awaiting_payment again)* -> paid -> self_assessed (FR.APL.02)
    -> ready_for_scheduling | not_feasible (SOP 1.3 feasibility review; not_feasible ends the case)."""

    @event("ApplicationDrafted")
    def __init__(self, tenant: str, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                 purpose: str):
        self.tenant = tenant
        self.asesi = asesi
        self.scheme = scheme
        self.purpose = purpose
        self.status = "draft"
        self.personal_data: dict[str, Any] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self.signature: dict[str, Any] | None = None
        self.invoice: dict[str, Any] | None = None
        self.payment: dict[str, Any] | None = None
        self.evidence: dict[str, dict[str, Any]] = {}  # FR.APL.02 portfolio uploads, by file id
        self.answers: dict[str, dict[str, Any]] = {}  # FR.APL.02 answers, by item key
        self.self_assessment_signature: dict[str, Any] | None = None
        self.feasibility: dict[str, Any] | None = None
        self.tuk_equipment: dict[str, list[str]] | None = None  # SOP 1.2.1: {"items": [...], "ready": [...]}
        self.uploads: dict[str, int] = {}  # size of every file the case ever accepted, by SHA-256

    @classmethod
    def draft(cls, tenant: str, actor: Actor, scheme: dict[str, Any], purpose: str) -> "CertificationApplication":
        if purpose not in PURPOSES:
            raise Invalid("purpose must be one of {choices}", field="purpose", choices=PURPOSES)
        return cls(tenant=tenant, actor=actor, asesi={"id": actor["id"], "name": actor["name"]},
                   scheme=scheme, purpose=purpose)

    def require_status(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise Conflict("not possible while the application is '{status}'", status=self.status)

    def require_applicant(self, actor: Actor, what: str) -> None:
        if actor["id"] != self.asesi["id"]:
            raise Conflict("only the applicant can {action}", action=what)

    @property
    def requirement_codes(self) -> list[str]:
        return [r["code"] for r in self.scheme.get("requirements", [])]

    # -- uploads: every file the case accepted stays stored (a replaced one too), so each counts once ----

    @property
    def uploaded_bytes(self) -> int:
        return sum(self.uploads.values())

    def require_upload_room(self, sha256: str, size: int, quota_mb: int) -> None:
        if sha256 not in self.uploads and self.uploaded_bytes + size > quota_mb << 20:
            raise Invalid("the uploads of this application would exceed its quota of {limit} MB; upload a smaller "
                          "file (a compressed scan, for example)", field="file", limit=quota_mb)

    def _count_upload(self, sha256: str, size: int) -> None:
        """size is 0 in events recorded before uploads were counted."""
        if sha256:
            self.uploads.setdefault(sha256, size)

    # -- the asesi fills in the form ----------------------------------------------------------------

    def update_personal_data(self, actor: Actor, fields: dict[str, Any]) -> None:
        """fields: checked by check_personal_data, sensitive ones already sealed; None clears."""
        self.require_applicant(actor, "fill in the application")
        self.require_status(*EDITABLE)
        if not fields:
            raise Invalid("nothing to save", field="personal_data")
        self._draft_updated(actor=actor, personal_data=fields)

    @event("DraftUpdated")
    def _draft_updated(self, actor: Actor, personal_data: dict[str, Any]) -> None:
        for name, value in personal_data.items():
            if value is None:
                self.personal_data.pop(name, None)
            else:
                self.personal_data[name] = value

    def attach_document(self, actor: Actor, requirement_code: str, file_id: str, sha256: str,
                        media_type: str, filename: str, size: int, quota_mb: int) -> None:
        self.require_applicant(actor, "upload the application's documents")
        self.require_status(*EDITABLE)
        if requirement_code not in self.requirement_codes:
            raise NotFound("the scheme has no such requirement", field="requirement_code")
        self.require_upload_room(sha256, size, quota_mb)
        self._document_attached(actor=actor, requirement_code=requirement_code, file_id=file_id, sha256=sha256,
                                media_type=media_type, filename=filename, size=size)

    @event("RequirementDocumentAttached")
    def _document_attached(self, actor: Actor, requirement_code: str, file_id: str, sha256: str,
                           media_type: str, filename: str, size: int = 0) -> None:
        self._count_upload(sha256, size)
        previous = self.documents.get(requirement_code, {})
        same = previous.get("sha256") == sha256  # the same file again keeps the admin's verdict
        self.documents[requirement_code] = {
            "file_id": file_id, "sha256": sha256, "media_type": media_type, "filename": filename,
            "verdict": previous.get("verdict") if same else None, "notes": previous.get("notes", "") if same else ""}

    def missing(self) -> list[str]:
        """What keeps the application from being submitted: field names, then requirement codes."""
        fields = [f for f in REQUIRED_FIELDS if not self.personal_data.get(f)]
        return fields + [code for code in self.requirement_codes if code not in self.documents]

    def signed_content(self) -> dict[str, Any]:
        """What the asesi signs: personal data (sensitive fields as their tokens), the hash of each
        requirement document, and the scheme version applied for."""
        return {"application_id": str(self.id), "asesi": self.asesi, "purpose": self.purpose,
                "scheme": self.scheme, "personal_data": dict(self.personal_data),
                "documents": {code: doc["sha256"] for code, doc in sorted(self.documents.items())}}

    def submit(self, actor: Actor) -> None:
        """Sign and submit (again, after a return)."""
        self.require_applicant(actor, "sign and submit the application")
        self.require_status(*EDITABLE)
        missing = self.missing()
        if missing:
            raise Invalid("incomplete: {missing}", field=missing[0], missing=missing)
        signed = sign(actor, self.signed_content())
        documents = {code: {k: doc[k] for k in ("file_id", "sha256", "media_type", "filename")}
                     for code, doc in sorted(self.documents.items())}
        kwargs = dict(actor=actor, asesi=self.asesi, scheme=self.scheme, purpose=self.purpose,
                      personal_data=dict(self.personal_data), documents=documents, signature=signed)
        if self.status == "draft":
            self._submitted(**kwargs)
        else:
            self._resubmitted(**kwargs)
        items = list(self.scheme.get("remote_requirements") or [])
        if self.tuk_equipment is None and items:  # SOP 1.2.1, once, as soon as the application is in
            self._tuk_equipment_requested(actor=system_actor("registration"), items=items)

    # -- SOP 1.2.1: the asesi prepares the equipment for assessment at their own place (TUK) ----------

    @event("TukEquipmentRequested")
    def _tuk_equipment_requested(self, actor: Actor, items: list[str]) -> None:
        self.tuk_equipment = {"items": list(items), "ready": []}

    def confirm_tuk_equipment(self, actor: Actor, ready: list[str]) -> None:
        """The asesi ticks what is ready (the whole list each time: unticking is allowed)."""
        self.require_applicant(actor, "confirm the TUK equipment")
        if self.tuk_equipment is None:
            raise Conflict("no TUK equipment has been requested yet (it is asked for once the application is in)")
        if self.status == "not_feasible":
            raise Conflict("not possible while the application is '{status}'", status=self.status)
        if not isinstance(ready, list) or not all(isinstance(item, str) for item in ready):
            raise Invalid("ready is a list of the requested items", field="ready")
        unknown = [item for item in ready if item not in self.tuk_equipment["items"]]
        if unknown:
            raise Invalid("not on the requested list: {items}", field="ready", items=unknown)
        chosen = [item for item in self.tuk_equipment["items"] if item in ready]  # the list's order, no repeats
        if chosen == self.tuk_equipment["ready"]:
            return  # nothing changed: no event
        self._tuk_equipment_confirmed(actor=actor, ready=chosen,
                                      complete=len(chosen) == len(self.tuk_equipment["items"]))

    @event("TukEquipmentConfirmed")
    def _tuk_equipment_confirmed(self, actor: Actor, ready: list[str], complete: bool) -> None:
        self.tuk_equipment = {**self.tuk_equipment, "ready": list(ready)}

    @event("ApplicationSubmitted")
    def _submitted(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any], purpose: str,
                   personal_data: dict[str, Any], documents: dict[str, Any], signature: dict[str, Any]) -> None:
        self.signature = signature
        self.status = "submitted"

    @event("ApplicationResubmitted")
    def _resubmitted(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any], purpose: str,
                     personal_data: dict[str, Any], documents: dict[str, Any], signature: dict[str, Any]) -> None:
        self.signature = signature
        self.status = "submitted"

    # -- the admin LSP checks it (SOP 1.2.2) ------------------------------------------------------------

    def verify_document(self, actor: Actor, requirement_code: str, verdict: str, notes: str) -> None:
        self.require_status("submitted")
        if requirement_code not in self.requirement_codes:
            raise NotFound("the scheme has no such requirement", field="requirement_code")
        if verdict not in VERDICTS:
            raise Invalid("verdict must be one of {choices}", field="verdict", choices=VERDICTS)
        sha256 = self.documents.get(requirement_code, {}).get("sha256")
        self._document_verified(actor=actor, requirement_code=requirement_code, verdict=verdict, notes=notes,
                                sha256=sha256)

    @event("DocumentVerified")
    def _document_verified(self, actor: Actor, requirement_code: str, verdict: str, notes: str,
                           sha256: str | None) -> None:
        self.documents.setdefault(requirement_code, {}).update(verdict=verdict, notes=notes)

    def verification_content(self, recommendation: str, notes: str) -> dict[str, Any]:
        """What the admin signs: the submission it checked (by its signature hash) and each verdict."""
        assert self.signature is not None
        return {"application_id": str(self.id), "application_sha256": self.signature["sha256"],
                "documents": {code: {"sha256": self.documents.get(code, {}).get("sha256"),
                                     "verdict": self.documents.get(code, {}).get("verdict"),
                                     "notes": self.documents.get(code, {}).get("notes", "")}
                              for code in self.requirement_codes},
                "recommendation": recommendation, "notes": notes}

    def recommend(self, actor: Actor, recommendation: str, notes: str, invoices: YearlySequence | None) -> None:
        self.require_status("submitted")
        if recommendation not in RECOMMENDATIONS:
            raise Invalid("recommendation must be one of {choices}", field="recommendation", choices=RECOMMENDATIONS)
        unchecked = [c for c in self.requirement_codes if not self.documents.get(c, {}).get("verdict")]
        if unchecked:
            raise Conflict("verify every requirement first; not yet verified: {codes}", field="requirements",
                           codes=unchecked)
        signed = sign(actor, self.verification_content(recommendation, notes))
        deficient = [{"code": c, "verdict": self.documents[c]["verdict"], "notes": self.documents[c]["notes"]}
                     for c in self.requirement_codes if self.documents[c]["verdict"] != "memenuhi"]
        if recommendation == "tidak_diterima":
            if not deficient and not notes.strip():
                raise Invalid("say what is missing: every document is 'memenuhi'", field="notes")
            self._returned(actor=actor, deficiencies=deficient, notes=notes, signature=signed)
            return
        if deficient:
            codes = [d["code"] for d in deficient]
            raise Conflict("not every requirement is 'memenuhi': {codes}", field="requirements", codes=codes)
        assert invoices is not None
        self._accepted(actor=actor, notes=notes, recommendation=recommendation, signature=signed)
        invoices.take(actor=actor, case_id=str(self.id))
        number = f"INV/{self.tenant}/{invoices.year}/{invoices.last:05d}"
        # the fee of the version applied for: a later revision does not reprice a case
        self._invoice_issued(actor=actor, invoice_number=number, amount=self.scheme["fee"])

    @event("ApplicationReturned")
    def _returned(self, actor: Actor, deficiencies: list[dict[str, Any]], notes: str,
                  signature: dict[str, Any]) -> None:
        self.status = "returned"

    @event("ApplicationAccepted")
    def _accepted(self, actor: Actor, notes: str, recommendation: str = "diterima",
                  signature: dict[str, Any] | None = None) -> None:
        self.status = "accepted"

    @event("InvoiceIssued")
    def _invoice_issued(self, actor: Actor, invoice_number: str, amount: int) -> None:
        self.invoice = {"number": invoice_number, "amount": amount}
        self.status = "awaiting_payment"

    # -- payment (SOP 1.2.5-1.2.7) ----------------------------------------------------------------------

    def submit_payment_proof(self, actor: Actor, reference: str, amount: int, file_id: str, sha256: str,
                             media_type: str, filename: str, size: int, quota_mb: int) -> None:
        self.require_applicant(actor, "submit the payment proof")
        self.require_status("awaiting_payment")
        assert self.invoice is not None
        if amount != self.invoice["amount"]:
            raise Invalid("amount must equal the invoice amount ({amount})", field="amount",
                          amount=self.invoice["amount"])
        self.require_upload_room(sha256, size, quota_mb)
        self._payment_proof_submitted(actor=actor, reference=reference, amount=amount, file_id=file_id,
                                      sha256=sha256, media_type=media_type, filename=filename, size=size)

    @event("PaymentProofSubmitted")
    def _payment_proof_submitted(self, actor: Actor, reference: str, amount: int, file_id: str = "",
                                 sha256: str = "", media_type: str = "", filename: str = "", size: int = 0) -> None:
        self._count_upload(sha256, size)
        self.payment = {"reference": reference, "amount": amount, "file_id": file_id, "sha256": sha256}
        self.status = "payment_submitted"

    def reject_payment(self, actor: Actor, reason: str) -> None:
        self.require_status("payment_submitted")
        if not reason.strip():
            raise Invalid("say why the payment is rejected", field="reason")
        assert self.payment is not None
        self._payment_rejected(actor=actor, reason=reason, reference=self.payment["reference"],
                               file_id=self.payment["file_id"])

    @event("PaymentRejected")
    def _payment_rejected(self, actor: Actor, reason: str, reference: str, file_id: str) -> None:
        self.payment = None
        self.status = "awaiting_payment"

    def verify_payment(self, actor: Actor) -> None:
        self.require_status("payment_submitted")
        assert self.invoice is not None
        self._payment_verified(actor=actor, asesi=self.asesi, scheme=self.scheme,
                               invoice_number=self.invoice["number"], amount=self.invoice["amount"])

    @event("PaymentVerified")
    def _payment_verified(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                          invoice_number: str, amount: int) -> None:
        self.status = "paid"

    # -- FR.APL.02 self-assessment (SOP 1.2.8) -------------------------------------------------------------

    def attach_evidence(self, actor: Actor, file_id: str, sha256: str, media_type: str, filename: str,
                        size: int, quota_mb: int) -> None:
        """A portfolio upload the answers may point to (besides the requirement documents)."""
        self.require_applicant(actor, "upload portfolio evidence")
        self.require_status("paid")
        self.require_upload_room(sha256, size, quota_mb)
        self._evidence_attached(actor=actor, file_id=file_id, sha256=sha256, media_type=media_type,
                                filename=filename, size=size)

    @event("EvidenceAttached")
    def _evidence_attached(self, actor: Actor, file_id: str, sha256: str, media_type: str, filename: str,
                           size: int = 0) -> None:
        self._count_upload(sha256, size)
        self.evidence[file_id] = {"file_id": file_id, "sha256": sha256, "media_type": media_type,
                                  "filename": filename}

    def evidence_files(self) -> dict[str, dict[str, Any]]:
        """What an answer may cite: the current requirement documents and the portfolio uploads."""
        files = {doc["file_id"]: {"sha256": doc["sha256"], "filename": doc["filename"], "source": code}
                 for code, doc in self.documents.items() if doc.get("file_id")}
        files.update({fid: {"sha256": e["sha256"], "filename": e["filename"], "source": "portofolio"}
                      for fid, e in self.evidence.items()})
        return files

    def update_self_assessment(self, actor: Actor, answers: list[dict[str, Any]]) -> None:
        """Save draft answers (merged by unit/element; answer None removes one): resume later."""
        self.require_applicant(actor, "fill in the self-assessment")
        self.require_status("paid")
        if not answers:
            raise Invalid("nothing to save", field="answers")
        checked = checked_answers(self.scheme, answers, set(self.evidence_files()))
        self._self_assessment_updated(actor=actor, answers=checked)

    @event("SelfAssessmentDraftUpdated")
    def _self_assessment_updated(self, actor: Actor, answers: list[dict[str, Any]]) -> None:
        for answer in answers:
            key = item_key(answer["unit_code"], answer["element_no"])
            if answer["answer"] is None:
                self.answers.pop(key, None)
            else:
                self.answers[key] = answer

    def self_assessment_missing(self) -> list[str]:
        """Items not yet answered, as "unit_code" or "unit_code/element_no", in the scheme's order."""
        return [item_key(unit, element) for unit, element in assessment_items(self.scheme)
                if item_key(unit, element) not in self.answers]

    def self_assessment_content(self) -> dict[str, Any]:
        """What the asesi signs: each answer in the scheme's order with the hashes of the evidence cited."""
        files = self.evidence_files()
        answers = [self.answers[item_key(u, e)] for u, e in assessment_items(self.scheme)
                   if item_key(u, e) in self.answers]
        cited = sorted({fid for a in answers for fid in a["evidence"]})
        return {"application_id": str(self.id), "asesi": self.asesi,
                "scheme": {k: self.scheme.get(k) for k in ("id", "number", "version")},
                "answers": answers, "evidence": {fid: files[fid]["sha256"] for fid in cited}}

    def submit_self_assessment(self, actor: Actor) -> None:
        self.require_applicant(actor, "sign and submit the self-assessment")
        self.require_status("paid")
        missing = self.self_assessment_missing()
        if missing:
            raise Invalid("not yet answered: {items}", field="answers", items=missing)
        files = self.evidence_files()
        stale = sorted({fid for a in self.answers.values() for fid in a["evidence"] if fid not in files})
        if stale:
            raise Invalid("evidence not part of this application: {files}", field="evidence", files=stale)
        content = self.self_assessment_content()
        evidence = {fid: {**files[fid], "file_id": fid} for fid in content["evidence"]}
        self._self_assessment_submitted(actor=actor, asesi=self.asesi, scheme=content["scheme"],
                                        answers=content["answers"], evidence=evidence,
                                        signature=sign(actor, content))

    @event("SelfAssessmentSubmitted")
    def _self_assessment_submitted(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                                   answers: list[dict[str, Any]], evidence: dict[str, Any],
                                   signature: dict[str, Any]) -> None:
        self.self_assessment_signature = signature
        self.status = "self_assessed"

    # -- feasibility review of FR.APL.01 and FR.APL.02 (SOP 1.3) ----------------------------------------

    def feasibility_content(self, feasible: bool, notes: str) -> dict[str, Any]:
        """What the admin signs: both signed forms (by their signature hashes) and the decision."""
        assert self.signature is not None and self.self_assessment_signature is not None
        return {"application_id": str(self.id), "apl01_sha256": self.signature["sha256"],
                "apl02_sha256": self.self_assessment_signature["sha256"], "feasible": feasible, "notes": notes}

    def review_feasibility(self, actor: Actor, feasible: bool, notes: str) -> None:
        self.require_status("self_assessed")
        if not isinstance(feasible, bool):
            raise Invalid("feasible must be true or false", field="feasible")
        notes = notes.strip()
        if not feasible and not notes:
            raise Invalid("say why the application is not feasible", field="notes")
        assert self.invoice is not None
        self._feasibility_reviewed(actor=actor, asesi=self.asesi, scheme=self.scheme,
                                   invoice_number=self.invoice["number"], amount=self.invoice["amount"],
                                   feasible=feasible, notes=notes,
                                   signature=sign(actor, self.feasibility_content(feasible, notes)))

    @event("FeasibilityReviewed")
    def _feasibility_reviewed(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                              invoice_number: str, amount: int, feasible: bool, notes: str,
                              signature: dict[str, Any]) -> None:
        self.feasibility = {"feasible": feasible, "notes": notes, "signature": signature}
        self.status = "ready_for_scheduling" if feasible else "not_feasible"


def item_key(unit_code: str, element_no: str | None) -> str:
    return unit_code if element_no is None else f"{unit_code}/{element_no}"


def assessment_items(scheme: dict[str, Any]) -> list[tuple[str, str | None]]:
    """What FR.APL.02 asks about: each element of each unit; a unit without elements as a whole."""
    items: list[tuple[str, str | None]] = []
    for unit in scheme.get("units", []):
        elements = unit.get("elements") or []
        if elements:
            items.extend((unit["code"], str(e["number"])) for e in elements)
        else:
            items.append((unit["code"], None))
    return items


def checked_answers(scheme: dict[str, Any], answers: list[dict[str, Any]], files: set[str]) -> list[dict[str, Any]]:
    """Answers naming a unit (and element) of the scheme, K/BK (None: remove), citing this case's files."""
    items = assessment_items(scheme)
    units = {unit for unit, _ in items}
    out, seen = [], set()
    for number, raw in enumerate(answers):
        if not isinstance(raw, dict):
            raise Invalid("each answer is an object", field=f"answers.{number}")
        unit_code = raw.get("unit_code")
        element = raw.get("element_no")
        element = None if element is None or element == "" else str(element)
        if unit_code not in units:
            raise Invalid("the scheme has no such unit", field=f"answers.{number}.unit_code")
        if (unit_code, element) not in items:
            if (unit_code, None) in items:
                raise Invalid("element_no must be null", field=f"answers.{number}.element_no")
            raise Invalid("element_no must be an element number of this unit", field=f"answers.{number}.element_no")
        key = item_key(unit_code, element)
        if key in seen:
            raise Invalid("{item} is answered twice", field=f"answers.{number}", item=key)
        seen.add(key)
        answer = raw.get("answer")
        if answer is not None and answer not in ANSWERS:
            raise Invalid("answer must be one of {choices}", field=f"answers.{number}.answer", choices=ANSWERS)
        evidence = raw.get("evidence") or []
        if not isinstance(evidence, list) or not all(isinstance(f, str) for f in evidence):
            raise Invalid("evidence is a list of file ids", field=f"answers.{number}.evidence")
        foreign = [f for f in evidence if f not in files]
        if foreign:
            raise Invalid("evidence not part of this application: {files}", field=f"answers.{number}.evidence",
                          files=foreign)
        out.append({"unit_code": unit_code, "element_no": element, "answer": answer,
                    "evidence": list(dict.fromkeys(evidence))})
    return out
