"""Registration (SOP 1.1-1.3): scheme catalogue, application (FR.APL.01), invoice and payment,
self-assessment (FR.APL.02) and its feasibility review.

A case is four aggregates, one per thing that changes on its own, each with its own version so that
people working on different parts of one case never conflict (RegistrationCase holds them together):

  CertificationApplication  id = the case id        FR.APL.01, verification, recommendation   APPLICATION
  TukEquipment              case_part_id(case, "tuk_equipment")   SOP 1.2.1 equipment list     (no status)
  Payment                   case_part_id(case, "payment")         invoice, proof, verification  PAYMENT
  SelfAssessment            case_part_id(case, "self_assessment") FR.APL.02, feasibility review SELF_ASSESSMENT

Each status is an enumeration moved by its one table (shared.status.Transitions); the case's status,
which the read model and the API show, is composed from them by case_status (table CASE)."""
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from services.registration.forms import (
    APL01,
    APL02,
    BAGIAN_1,
    DATA_PRIBADI,
    KELAYAKAN,
    PURPOSES,
    REKOMENDASI,
    feasibility_values,
)
from services.registration.forms import EDUCATION as EDUCATION  # re-exported for the pages
from shared.aggregate import Actor, CasePart, TenantAggregate, YearlySequence, stable_id, system_actor
from shared.errors import Conflict, Invalid, NotFound
from shared.signing import content_sha256 as content_sha256  # re-exported: what a signature hashes
from shared.signing import sign
from shared.status import Transitions

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
ANSWERS = tuple(c.value for c in APL02.grid.answers)  # FR.APL.02: Kompeten / Belum Kompeten, the asesi's own


def check_personal_data(data: dict[str, Any]) -> dict[str, str | None]:
    """Bagian 1 fields, plain (before sealing), checked by their definition: known names, right formats,
    every problem named at once; "" or None clears a field. A message never repeats the value."""
    return BAGIAN_1.check(data)


# -- statuses: one enumeration and one table of moves per aggregate, and the case's overall status -------

class ApplicationStatus(StrEnum):
    """FR.APL.01 (the application aggregate)."""
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


APPLICATION = Transitions("application", ApplicationStatus, {
    ApplicationStatus.DRAFT: {"edit": ApplicationStatus.DRAFT, "submit": ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {"verify_document": ApplicationStatus.SUBMITTED,
                                  "return": ApplicationStatus.RETURNED, "accept": ApplicationStatus.ACCEPTED},
    ApplicationStatus.RETURNED: {"edit": ApplicationStatus.RETURNED, "submit": ApplicationStatus.SUBMITTED},
    ApplicationStatus.ACCEPTED: {},  # what follows is the payment's and the self-assessment's
})
EDITABLE = tuple(s.value for s in ApplicationStatus if APPLICATION.can(s, "edit"))  # before, or after a return


class PaymentStatus(StrEnum):
    """The invoice and its payment (SOP 1.2.5-1.2.7): opened when the application is accepted."""
    AWAITING_PAYMENT = "awaiting_payment"
    PAYMENT_SUBMITTED = "payment_submitted"
    PAID = "paid"


PAYMENT = Transitions("payment", PaymentStatus, {
    PaymentStatus.AWAITING_PAYMENT: {"submit_proof": PaymentStatus.PAYMENT_SUBMITTED},
    PaymentStatus.PAYMENT_SUBMITTED: {"reject": PaymentStatus.AWAITING_PAYMENT, "verify": PaymentStatus.PAID},
    PaymentStatus.PAID: {},
})


class SelfAssessmentStatus(StrEnum):
    """FR.APL.02 and its feasibility review (SOP 1.2.8, 1.3): started by the asesi once the case is paid."""
    OPEN = "open"
    SELF_ASSESSED = "self_assessed"
    READY_FOR_SCHEDULING = "ready_for_scheduling"
    NOT_FEASIBLE = "not_feasible"


SELF_ASSESSMENT = Transitions("self-assessment", SelfAssessmentStatus, {
    SelfAssessmentStatus.OPEN: {"attach_evidence": SelfAssessmentStatus.OPEN, "save": SelfAssessmentStatus.OPEN,
                                "submit": SelfAssessmentStatus.SELF_ASSESSED},
    SelfAssessmentStatus.SELF_ASSESSED: {"feasible": SelfAssessmentStatus.READY_FOR_SCHEDULING,
                                         "not_feasible": SelfAssessmentStatus.NOT_FEASIBLE},
    SelfAssessmentStatus.READY_FOR_SCHEDULING: {},
    SelfAssessmentStatus.NOT_FEASIBLE: {},
})


class CaseStatus(StrEnum):
    """The case as registration shows it (read model, API, pages): composed from its aggregates."""
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    AWAITING_PAYMENT = "awaiting_payment"
    PAYMENT_SUBMITTED = "payment_submitted"
    PAID = "paid"
    SELF_ASSESSED = "self_assessed"
    READY_FOR_SCHEDULING = "ready_for_scheduling"
    NOT_FEASIBLE = "not_feasible"


CASE = Transitions("application", CaseStatus, {
    CaseStatus.DRAFT: {"submit": CaseStatus.SUBMITTED},
    CaseStatus.SUBMITTED: {"return": CaseStatus.RETURNED, "accept": CaseStatus.ACCEPTED},
    CaseStatus.RETURNED: {"submit": CaseStatus.SUBMITTED},
    CaseStatus.ACCEPTED: {"issue_invoice": CaseStatus.AWAITING_PAYMENT},
    CaseStatus.AWAITING_PAYMENT: {"submit_payment_proof": CaseStatus.PAYMENT_SUBMITTED},
    CaseStatus.PAYMENT_SUBMITTED: {"reject_payment": CaseStatus.AWAITING_PAYMENT,
                                   "verify_payment": CaseStatus.PAID},
    CaseStatus.PAID: {"submit_self_assessment": CaseStatus.SELF_ASSESSED},
    CaseStatus.SELF_ASSESSED: {"feasible": CaseStatus.READY_FOR_SCHEDULING, "not_feasible": CaseStatus.NOT_FEASIBLE},
    CaseStatus.READY_FOR_SCHEDULING: {},
    CaseStatus.NOT_FEASIBLE: {},
})


def case_status(application: str, payment: str | None = None, self_assessment: str | None = None) -> CaseStatus:
    """The overall status from each part's own: the furthest part that exists speaks for the case."""
    if self_assessment is not None:
        if self_assessment == SelfAssessmentStatus.OPEN:
            return CaseStatus.PAID
        return CaseStatus(self_assessment)
    if payment is not None:
        return CaseStatus(payment)
    return CaseStatus(application)


# -- uploads: every file the case accepted stays stored (a replaced one too), so each counts once --------

def require_upload_room(uploads: dict[str, int], sha256: str, size: int, quota_mb: int) -> None:
    """`uploads`: every file of the case (all its parts), size by SHA-256."""
    if sha256 not in uploads and sum(uploads.values()) + size > quota_mb << 20:
        raise Invalid("the uploads of this application would exceed its quota of {limit} MB; upload a smaller "
                      "file (a compressed scan, for example)", field="file", limit=quota_mb)


class ApplicantRecord:
    """What every part of a registration case knows of its asesi, and the uploads it accepted."""
    asesi: dict[str, str]
    uploads: dict[str, int]

    def require_applicant(self, actor: Actor, what: str) -> None:
        if actor["id"] != self.asesi["id"]:
            raise Conflict("only the applicant can {action}", action=what)

    @property
    def uploaded_bytes(self) -> int:
        return sum(self.uploads.values())

    def _count_upload(self, sha256: str, size: int) -> None:
        """size is 0 in events recorded before uploads were counted."""
        if sha256:
            self.uploads.setdefault(sha256, size)


class CertificationApplication(ApplicantRecord, TenantAggregate):
    """FR.APL.01 of one certification case: Bagian 1, the requirement documents, the signed submission,
    the admin's verification and recommendation, and the TUK equipment (SOP 1.2.1). Its id is the case id
    everywhere; the case's payment and self-assessment are aggregates of their own (ids derived from it).
    Statuses: APPLICATION."""

    @event("ApplicationDrafted")
    def __init__(self, tenant: str, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                 purpose: str):
        self.tenant = tenant
        self.asesi = asesi
        self.scheme = scheme
        self.purpose = purpose
        self.status = ApplicationStatus.DRAFT
        self.personal_data: dict[str, Any] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self.signature: dict[str, Any] | None = None
        self.uploads: dict[str, int] = {}  # size of every file this part accepted, by SHA-256

    @classmethod
    def draft(cls, tenant: str, actor: Actor, scheme: dict[str, Any], purpose: str) -> "CertificationApplication":
        if purpose not in PURPOSES:
            raise Invalid("purpose must be one of {choices}", field="purpose", choices=PURPOSES)
        return cls(tenant=tenant, actor=actor, asesi={"id": actor["id"], "name": actor["name"]},
                   scheme=scheme, purpose=purpose)

    @property
    def case_id(self) -> str:
        return str(self.id)

    @property
    def requirement_codes(self) -> list[str]:
        return [r["code"] for r in self.scheme.get("requirements", [])]

    # -- the asesi fills in the form ----------------------------------------------------------------

    def update_personal_data(self, actor: Actor, fields: dict[str, Any]) -> None:
        """fields: checked by check_personal_data, sensitive ones already sealed; None clears."""
        self.require_applicant(actor, "fill in the application")
        APPLICATION.next(self.status, "edit")
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
                        media_type: str, filename: str, size: int, quota_mb: int,
                        case_uploads: dict[str, int] | None = None) -> None:
        """case_uploads: the other parts' uploads too (the quota is per case)."""
        self.require_applicant(actor, "upload the application's documents")
        APPLICATION.next(self.status, "edit")
        if requirement_code not in self.requirement_codes:
            raise NotFound("the scheme has no such requirement", field="requirement_code")
        require_upload_room({**(case_uploads or {}), **self.uploads}, sha256, size, quota_mb)
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
        return APL01.content({**self.personal_data, "purpose": self.purpose}, application_id=str(self.id),
                             asesi=self.asesi, scheme=self.scheme,
                             documents={code: doc["sha256"] for code, doc in sorted(self.documents.items())})

    def submit(self, actor: Actor) -> "TukEquipment | None":
        """Sign and submit (again, after a return). The first submission also asks the asesi for the
        scheme's TUK equipment (SOP 1.2.1): that list, a part of its own, is returned to be saved with it."""
        self.require_applicant(actor, "sign and submit the application")
        APPLICATION.next(self.status, "submit")
        missing = self.missing()
        if missing:
            raise Invalid("incomplete: {missing}", field=missing[0], missing=missing)
        signed = sign(actor, self.signed_content())
        documents = {code: {k: doc[k] for k in ("file_id", "sha256", "media_type", "filename")}
                     for code, doc in sorted(self.documents.items())}
        kwargs = dict(actor=actor, asesi=self.asesi, scheme=self.scheme, purpose=self.purpose,
                      personal_data=dict(self.personal_data), documents=documents, signature=signed)
        first = self.status == ApplicationStatus.DRAFT
        if first:
            self._submitted(**kwargs)
        else:
            self._resubmitted(**kwargs)
        items = list(self.scheme.get("remote_requirements") or [])
        if first and items:  # SOP 1.2.1, once, as soon as the application is in
            return TukEquipment.request(self, items)
        return None

    @event("ApplicationSubmitted")
    def _submitted(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any], purpose: str,
                   personal_data: dict[str, Any], documents: dict[str, Any], signature: dict[str, Any]) -> None:
        self.signature = signature
        self.status = ApplicationStatus.SUBMITTED

    @event("ApplicationResubmitted")
    def _resubmitted(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any], purpose: str,
                     personal_data: dict[str, Any], documents: dict[str, Any], signature: dict[str, Any]) -> None:
        self.signature = signature
        self.status = ApplicationStatus.SUBMITTED

    # -- the admin LSP checks it (SOP 1.2.2) ------------------------------------------------------------

    def verify_document(self, actor: Actor, requirement_code: str, verdict: str, notes: str) -> None:
        APPLICATION.next(self.status, "verify_document")
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
        return REKOMENDASI.content(
            {"recommendation": recommendation, "notes": notes}, application_id=str(self.id),
            application_sha256=self.signature["sha256"],
            documents={code: {"sha256": self.documents.get(code, {}).get("sha256"),
                              "verdict": self.documents.get(code, {}).get("verdict"),
                              "notes": self.documents.get(code, {}).get("notes", "")}
                       for code in self.requirement_codes})

    def recommend(self, actor: Actor, recommendation: str, notes: str,
                  invoices: YearlySequence | None) -> "Payment | None":
        """Returned (None), or accepted: then the case's payment begins with its invoice, numbered from
        the branch's gap-free sequence (the caller saves the three together)."""
        APPLICATION.next(self.status, "accept" if recommendation == "diterima" else "return")
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
            return None
        if deficient:
            codes = [d["code"] for d in deficient]
            raise Conflict("not every requirement is 'memenuhi': {codes}", field="requirements", codes=codes)
        assert invoices is not None
        self._accepted(actor=actor, notes=notes, recommendation=recommendation, signature=signed)
        invoices.take(actor=actor, case_id=str(self.id))
        number = f"INV/{self.tenant}/{invoices.year}/{invoices.last:05d}"
        # the fee of the version applied for: a later revision does not reprice a case
        return Payment.issue(self, actor, number, self.scheme["fee"])

    @event("ApplicationReturned")
    def _returned(self, actor: Actor, deficiencies: list[dict[str, Any]], notes: str,
                  signature: dict[str, Any]) -> None:
        self.status = ApplicationStatus.RETURNED

    @event("ApplicationAccepted")
    def _accepted(self, actor: Actor, notes: str, recommendation: str = "diterima",
                  signature: dict[str, Any] | None = None) -> None:
        self.status = ApplicationStatus.ACCEPTED


class TukEquipment(ApplicantRecord, CasePart):
    """SOP 1.2.1: the equipment the asesi prepares for assessment at their own place (TUK), asked for once
    the application is first submitted; id case_part_id(case, "tuk_equipment"). The asesi ticks it while
    the admin verifies the application, without conflict."""

    part = "tuk_equipment"

    @event("TukEquipmentRequested")
    def __init__(self, id: UUID, tenant: str, actor: Actor, correlation_id: str,  # noqa: A002
                 items: list[str], asesi: dict[str, str], scheme: dict[str, Any]):
        self.tenant = tenant
        self.case_id = correlation_id
        self.asesi = asesi
        self.scheme = scheme
        self.items = list(items)
        self.ready: list[str] = []
        self.uploads: dict[str, int] = {}

    @classmethod
    def request(cls, application: CertificationApplication, items: list[str]) -> "TukEquipment":
        return cls(id=cls.id_for(application.id), tenant=application.tenant, actor=system_actor("registration"),
                   correlation_id=str(application.id), items=items, asesi=application.asesi,
                   scheme=application.scheme)

    @property
    def tuk_equipment(self) -> dict[str, list[str]]:
        return {"items": list(self.items), "ready": list(self.ready)}

    def confirm_tuk_equipment(self, actor: Actor, ready: list[str], case: str = "") -> None:
        """The asesi ticks what is ready (the whole list each time: unticking is allowed).
        case: the case's overall status (a case found not feasible has ended)."""
        self.require_applicant(actor, "confirm the TUK equipment")
        if case == CaseStatus.NOT_FEASIBLE:
            raise Conflict("not possible while the {what} is '{status}'", what="application", status=case)
        if not isinstance(ready, list) or not all(isinstance(item, str) for item in ready):
            raise Invalid("ready is a list of the requested items", field="ready")
        unknown = [item for item in ready if item not in self.items]
        if unknown:
            raise Invalid("not on the requested list: {items}", field="ready", items=unknown)
        chosen = [item for item in self.items if item in ready]  # the list's order, no repeats
        if chosen == self.ready:
            return  # nothing changed: no event
        self._tuk_equipment_confirmed(actor=actor, ready=chosen, complete=len(chosen) == len(self.items))

    @event("TukEquipmentConfirmed")
    def _tuk_equipment_confirmed(self, actor: Actor, ready: list[str], complete: bool) -> None:
        self.ready = list(ready)


class Payment(ApplicantRecord, CasePart):
    """The case's invoice and payment (SOP 1.2.5-1.2.7), begun by the acceptance; id case_part_id(case,
    "payment"). The asesi uploads a proof while the admin works elsewhere without conflict. Statuses: PAYMENT."""

    part = "payment"

    @event("InvoiceIssued")
    def __init__(self, id: UUID, tenant: str, actor: Actor, correlation_id: str,  # noqa: A002
                 invoice_number: str, amount: int, asesi: dict[str, str], scheme: dict[str, Any]):
        self.tenant = tenant
        self.case_id = correlation_id
        self.asesi = asesi
        self.scheme = scheme
        self.invoice = {"number": invoice_number, "amount": amount}
        self.payment: dict[str, Any] | None = None
        self.status = PaymentStatus.AWAITING_PAYMENT
        self.uploads: dict[str, int] = {}

    @classmethod
    def issue(cls, application: CertificationApplication, actor: Actor, number: str, amount: int) -> "Payment":
        return cls(id=cls.id_for(application.id), tenant=application.tenant, actor=actor,
                   correlation_id=str(application.id), invoice_number=number, amount=amount,
                   asesi=application.asesi, scheme=application.scheme)

    def submit_payment_proof(self, actor: Actor, reference: str, amount: int, file_id: str, sha256: str,
                             media_type: str, filename: str, size: int, quota_mb: int,
                             case_uploads: dict[str, int] | None = None) -> None:
        self.require_applicant(actor, "submit the payment proof")
        PAYMENT.next(self.status, "submit_proof")
        if amount != self.invoice["amount"]:
            raise Invalid("amount must equal the invoice amount ({amount})", field="amount",
                          amount=self.invoice["amount"])
        require_upload_room({**(case_uploads or {}), **self.uploads}, sha256, size, quota_mb)
        self._payment_proof_submitted(actor=actor, reference=reference, amount=amount, file_id=file_id,
                                      sha256=sha256, media_type=media_type, filename=filename, size=size)

    @event("PaymentProofSubmitted")
    def _payment_proof_submitted(self, actor: Actor, reference: str, amount: int, file_id: str = "",
                                 sha256: str = "", media_type: str = "", filename: str = "", size: int = 0) -> None:
        self._count_upload(sha256, size)
        self.payment = {"reference": reference, "amount": amount, "file_id": file_id, "sha256": sha256}
        self.status = PaymentStatus.PAYMENT_SUBMITTED

    def reject_payment(self, actor: Actor, reason: str) -> None:
        PAYMENT.next(self.status, "reject")
        if not reason.strip():
            raise Invalid("say why the payment is rejected", field="reason")
        assert self.payment is not None
        self._payment_rejected(actor=actor, reason=reason, reference=self.payment["reference"],
                               file_id=self.payment["file_id"])

    @event("PaymentRejected")
    def _payment_rejected(self, actor: Actor, reason: str, reference: str, file_id: str) -> None:
        self.payment = None
        self.status = PaymentStatus.AWAITING_PAYMENT

    def verify_payment(self, actor: Actor) -> None:
        PAYMENT.next(self.status, "verify")
        self._payment_verified(actor=actor, asesi=self.asesi, scheme=self.scheme,
                               invoice_number=self.invoice["number"], amount=self.invoice["amount"])

    @event("PaymentVerified")
    def _payment_verified(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                          invoice_number: str, amount: int) -> None:
        self.status = PaymentStatus.PAID


class SelfAssessment(ApplicantRecord, CasePart):
    """FR.APL.02 (SOP 1.2.8) and the admin's feasibility review of it with FR.APL.01 (SOP 1.3); id
    case_part_id(case, "self_assessment"). Started by the asesi's first step once the case is paid (the
    caller checks the payment). Statuses: SELF_ASSESSMENT."""

    part = "self_assessment"

    @event("SelfAssessmentStarted")
    def __init__(self, id: UUID, tenant: str, actor: Actor, correlation_id: str,  # noqa: A002
                 asesi: dict[str, str], scheme: dict[str, Any]):
        self.tenant = tenant
        self.case_id = correlation_id
        self.asesi = asesi
        self.scheme = scheme
        self.status = SelfAssessmentStatus.OPEN
        self.evidence: dict[str, dict[str, Any]] = {}  # portfolio uploads, by file id
        self.answers: dict[str, dict[str, Any]] = {}  # by item key
        self.signature: dict[str, Any] | None = None
        self.feasibility: dict[str, Any] | None = None
        self.uploads: dict[str, int] = {}

    @classmethod
    def start(cls, application: CertificationApplication, actor: Actor) -> "SelfAssessment":
        application.require_applicant(actor, "fill in the self-assessment")
        return cls(id=cls.id_for(application.id), tenant=application.tenant, actor=actor,
                   correlation_id=str(application.id), asesi=application.asesi, scheme=application.scheme)

    def attach_evidence(self, actor: Actor, file_id: str, sha256: str, media_type: str, filename: str,
                        size: int, quota_mb: int, case_uploads: dict[str, int] | None = None) -> None:
        """A portfolio upload the answers may point to (besides the requirement documents)."""
        self.require_applicant(actor, "upload portfolio evidence")
        SELF_ASSESSMENT.next(self.status, "attach_evidence")
        require_upload_room({**(case_uploads or {}), **self.uploads}, sha256, size, quota_mb)
        self._evidence_attached(actor=actor, file_id=file_id, sha256=sha256, media_type=media_type,
                                filename=filename, size=size)

    @event("EvidenceAttached")
    def _evidence_attached(self, actor: Actor, file_id: str, sha256: str, media_type: str, filename: str,
                           size: int = 0) -> None:
        self._count_upload(sha256, size)
        self.evidence[file_id] = {"file_id": file_id, "sha256": sha256, "media_type": media_type,
                                  "filename": filename}

    def evidence_files(self, documents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """What an answer may cite: the application's current requirement documents and the portfolio."""
        files = {doc["file_id"]: {"sha256": doc["sha256"], "filename": doc["filename"], "source": code}
                 for code, doc in documents.items() if doc.get("file_id")}
        files.update({fid: {"sha256": e["sha256"], "filename": e["filename"], "source": "portofolio"}
                      for fid, e in self.evidence.items()})
        return files

    def update_self_assessment(self, actor: Actor, answers: list[dict[str, Any]],
                               documents: dict[str, dict[str, Any]]) -> None:
        """Save draft answers (merged by unit/element; answer None removes one): resume later."""
        self.require_applicant(actor, "fill in the self-assessment")
        SELF_ASSESSMENT.next(self.status, "save")
        if not answers:
            raise Invalid("nothing to save", field="answers")
        checked = checked_answers(self.scheme, answers, set(self.evidence_files(documents)))
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

    def self_assessment_content(self, documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """What the asesi signs: each answer in the scheme's order with the hashes of the evidence cited."""
        files = self.evidence_files(documents)
        answers = [self.answers[item_key(u, e)] for u, e in assessment_items(self.scheme)
                   if item_key(u, e) in self.answers]
        cited = sorted({fid for a in answers for fid in a["evidence"]})
        return APL02.content({}, application_id=self.case_id, asesi=self.asesi,
                             scheme={k: self.scheme.get(k) for k in ("id", "number", "version")},
                             answers=answers, evidence={fid: files[fid]["sha256"] for fid in cited})

    def submit_self_assessment(self, actor: Actor, documents: dict[str, dict[str, Any]]) -> None:
        self.require_applicant(actor, "sign and submit the self-assessment")
        SELF_ASSESSMENT.next(self.status, "submit")
        missing = self.self_assessment_missing()
        if missing:
            raise Invalid("not yet answered: {items}", field="answers", items=missing)
        files = self.evidence_files(documents)
        stale = sorted({fid for a in self.answers.values() for fid in a["evidence"] if fid not in files})
        if stale:
            raise Invalid("evidence not part of this application: {files}", field="evidence", files=stale)
        content = self.self_assessment_content(documents)
        evidence = {fid: {**files[fid], "file_id": fid} for fid in content["evidence"]}
        self._self_assessment_submitted(actor=actor, asesi=self.asesi, scheme=content["scheme"],
                                        answers=content["answers"], evidence=evidence,
                                        signature=sign(actor, content))

    @event("SelfAssessmentSubmitted")
    def _self_assessment_submitted(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                                   answers: list[dict[str, Any]], evidence: dict[str, Any],
                                   signature: dict[str, Any]) -> None:
        self.signature = signature
        self.status = SelfAssessmentStatus.SELF_ASSESSED

    # -- feasibility review of FR.APL.01 and FR.APL.02 (SOP 1.3) ----------------------------------------

    def feasibility_content(self, apl01: dict[str, Any], feasible: bool, notes: str) -> dict[str, Any]:
        """What the admin signs: both signed forms (by their signature hashes) and the decision."""
        assert self.signature is not None
        return KELAYAKAN.content(feasibility_values(feasible, notes), application_id=self.case_id,
                                 apl01_sha256=apl01["sha256"], apl02_sha256=self.signature["sha256"])

    def review_feasibility(self, actor: Actor, feasible: bool, notes: str, apl01: dict[str, Any],
                           invoice: dict[str, Any], institution: str = "") -> None:
        """apl01: the application's signature; invoice: the payment's {number, amount}; institution: the
        asesi's, from FR.APL.01 (scheduling keeps assessors of the same institution away)."""
        if not isinstance(feasible, bool):
            SELF_ASSESSMENT.next(self.status, "feasible")
            raise Invalid("feasible must be true or false", field="feasible")
        SELF_ASSESSMENT.next(self.status, "feasible" if feasible else "not_feasible")
        notes = notes.strip()
        if not feasible and not notes:
            raise Invalid("say why the application is not feasible", field="notes")
        self._feasibility_reviewed(actor=actor, asesi=self.asesi, scheme=self.scheme,
                                   invoice_number=invoice["number"], amount=invoice["amount"],
                                   feasible=feasible, notes=notes,
                                   signature=sign(actor, self.feasibility_content(apl01, feasible, notes)),
                                   institution=institution.strip())

    @event("FeasibilityReviewed")
    def _feasibility_reviewed(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                              invoice_number: str, amount: int, feasible: bool, notes: str,
                              signature: dict[str, Any], institution: str = "") -> None:
        self.feasibility = {"feasible": feasible, "notes": notes, "signature": signature}
        self.status = (SelfAssessmentStatus.READY_FOR_SCHEDULING if feasible
                       else SelfAssessmentStatus.NOT_FEASIBLE)


@dataclass(frozen=True)
class RegistrationCase:
    """A case as registration holds it: its application and, once begun, its payment and self-assessment."""
    application: CertificationApplication
    payment_part: Payment | None = None
    self_assessment: SelfAssessment | None = None
    tuk: TukEquipment | None = None

    @property
    def id(self) -> UUID:
        return self.application.id

    @property
    def parts(self) -> list[TenantAggregate]:
        return [p for p in (self.application, self.tuk, self.payment_part, self.self_assessment) if p is not None]

    @property
    def status(self) -> CaseStatus:
        return case_status(self.application.status, self.payment_part and self.payment_part.status,
                           self.self_assessment and self.self_assessment.status)

    @property
    def versions(self) -> dict[str, int]:
        """Each part's version: what a client sends as expected_version to the commands changing it."""
        return {"application": self.application.version,
                "tuk_equipment": self.tuk.version if self.tuk else 0,
                "payment": self.payment_part.version if self.payment_part else 0,
                "self_assessment": self.self_assessment.version if self.self_assessment else 0}

    @property
    def invoice(self) -> dict[str, Any] | None:
        return self.payment_part.invoice if self.payment_part else None

    @property
    def payment(self) -> dict[str, Any] | None:
        return self.payment_part.payment if self.payment_part else None

    @property
    def uploads(self) -> dict[str, int]:
        return {sha: size for part in self.parts for sha, size in part.uploads.items()}

    @property
    def uploaded_bytes(self) -> int:
        return sum(self.uploads.values())


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
