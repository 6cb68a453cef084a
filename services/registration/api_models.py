"""What registration's HTTP API answers: the scheme catalogue, applications (FR.APL.01 and FR.APL.02),
notices, and the results of its commands. Read-model documents gain fields as a case moves on; a
field marked "absent until ..." is left out of the answer until then (response_model_exclude_unset)."""
from typing import Literal

from pydantic import Field

from services.registration.domain import (
    ANSWERS,
    METHODS,
    PURPOSES,
    RECOMMENDATIONS,
    REQUIREMENT_CATEGORIES,
    SCHEME_KINDS,
    STANDARD_TYPES,
    VERDICTS,
    ApplicationStatus,
    CaseStatus,
    PaymentStatus,
    SelfAssessmentStatus,
)
from services.registration.forms import BAGIAN_1
from services.registration.notices import KINDS
from shared.form_models import response_model
from shared.responses import Actor, IsoTime, Model, Person, Record, Saved, Signature, Timestamp
from shared.status import values

# A case is four aggregates, each with its own version: the application (FR.APL.01; `version` of the
# application document), its TUK equipment list, its payment and its self-assessment (FR.APL.02 and the
# feasibility review).
Part = Literal["application", "tuk_equipment", "payment", "self_assessment"]


class PartVersions(Model):
    """Each part's version: the expected_version of the commands that change that part (0: not begun)."""
    application: int = Field(description="= version: Bagian 1, documents, submission, verdicts, recommendation")
    tuk_equipment: int = Field(default=0, description="the TUK equipment the asesi ticks as ready (SOP 1.2.1)")
    payment: int = Field(description="invoice, payment proof, rejection, verification")
    self_assessment: int = Field(description="FR.APL.02 answers and evidence, its submission, the feasibility "
                                             "review")


class PartStatuses(Model):
    """Each part's own status; `status` is the case's, composed from them."""
    application: Literal[values(ApplicationStatus)]  # type: ignore[valid-type]
    payment: Literal[values(PaymentStatus)] | None = Field(  # type: ignore[valid-type]
        default=None, description="absent until the application is accepted")
    self_assessment: Literal[values(SelfAssessmentStatus)] | None = Field(  # type: ignore[valid-type]
        default=None, description="absent until the asesi begins FR.APL.02")


class PartSaved(Saved):
    """A command's result on one part of a case: `version` is that part's."""
    part: Part = Field(default="application", description=(
        "the part of the case the command changed; `version` is its version (versions.<part> of the "
        "application): send it as expected_version with your next change to that part"))

CaseStatusValue = Literal[values(CaseStatus)]  # type: ignore[valid-type]  # the case's: domain.CASE
Verdict = Literal[VERDICTS]  # type: ignore[valid-type]
Answer = Literal[ANSWERS]  # type: ignore[valid-type]
Category = Literal[REQUIREMENT_CATEGORIES]  # type: ignore[valid-type]

# ---- the scheme catalogue -------------------------------------------------------------------------------


class Kuk(Model):
    """A kriteria unjuk kerja of an element."""
    number: str
    text: str


class Element(Model):
    number: str
    title: str
    kuk: list[Kuk]


class Unit(Model):
    """A unit kompetensi."""
    code: str
    title: str
    standard_type: Literal[STANDARD_TYPES]  # type: ignore[valid-type]
    reference: str = Field(description="e.g. SKKNI No. 38 Tahun 2019")
    elements: list[Element]


class Requirement(Model):
    code: str
    title: str
    category: Category


class SchemeContent(Model):
    """One version of a scheme: everything but its number."""
    title: str
    kind: Literal[SCHEME_KINDS]  # type: ignore[valid-type]
    units: list[Unit]
    fee: int = Field(description="rupiah")
    validity_years: int = Field(description="how long a certificate of this scheme is valid")
    requirements: list[Requirement] = Field(description="one document each for the asesi to upload")
    methods: list[Literal[METHODS]]  # type: ignore[valid-type]
    remote_requirements: list[str] = Field(description="the equipment the asesi prepares at their own TUK")


class Scheme(Record, SchemeContent):
    """A scheme of the branch's catalogue at its current version."""
    number: str
    published: bool = Field(description="false: a draft, kept out of the public catalogue")
    missing: list[str] = Field(description="what keeps the scheme from being published: units")
    updated_at: Timestamp


class AppliedScheme(SchemeContent):
    """The scheme version a case applied for: a later revision does not change the case."""
    id: str
    number: str
    version: int


class SchemeState(Saved):
    published: bool


# ---- applications ---------------------------------------------------------------------------------------

# FR.APL.01 Bagian 1 (a) data pribadi, (b) data pekerjaan sekarang, from its definition (forms.py)
PersonalData = response_model(BAGIAN_1, "PersonalData", Model,
                              "FR.APL.01 Bagian 1: (a) data pribadi, (b) data pekerjaan sekarang. A field not "
                              "filled in is absent.")


class StoredFile(Model):
    """An uploaded file, checked by content; its id is its SHA-256."""
    file_id: str = Field(description="download it from /api/applications/{case_id}/files/{file_id}")
    sha256: str
    media_type: str
    filename: str


class ReplacedDocument(Model):
    verdict: Verdict
    notes: str
    filename: str | None


class Document(Requirement):
    """A requirement with the asesi's document and the admin's verdict on it."""
    file_id: str | None = Field(description="null until uploaded")
    verdict: Verdict | None = Field(description="Ada-memenuhi / Ada-tidak memenuhi / Tidak ada; null until verified")
    notes: str
    sha256: str | None = Field(default=None, description="absent until uploaded")
    media_type: str | None = Field(default=None, description="absent until uploaded")
    filename: str | None = Field(default=None, description="absent until uploaded")
    uploaded_at: Timestamp | None = Field(default=None, description="absent until uploaded")
    verified_by: Actor | None = Field(default=None, description="absent until verified")
    verified_at: Timestamp | None = Field(default=None, description="absent until verified")
    replaced: ReplacedDocument | None = Field(default=None, description=(
        "set when the asesi replaced a document that already had a verdict (a resubmission): the verdict "
        "and notes it had; null again once it is verified anew"))


class Deficiency(Model):
    """A requirement not 'memenuhi' when the application was returned."""
    code: str
    verdict: Verdict
    notes: str


class Recommendation(Model):
    """The admin's signed recommendation on the submission (SOP 1.2.2)."""
    recommendation: Literal[RECOMMENDATIONS]  # type: ignore[valid-type]
    notes: str
    signature: Signature | None
    at: Timestamp


class Invoice(Model):
    number: str
    amount: int = Field(description="rupiah")


class IssuedInvoice(Invoice):
    issued_at: Timestamp


class Payment(StoredFile):
    """The payment proof uploaded for the invoice (kept once verified, with who verified it)."""
    reference: str = Field(description="bank transfer reference")
    amount: int
    submitted_at: Timestamp
    verified_at: Timestamp | None = Field(default=None, description="absent until verified")
    verified_by: Actor | None = Field(default=None, description="absent until verified")


class PaymentRejection(Payment):
    reason: str
    rejected_at: Timestamp
    rejected_by: Actor


class Evidence(StoredFile):
    """A portfolio upload the self-assessment may cite."""
    uploaded_at: Timestamp


class CitableFile(Model):
    """A file an answer of FR.APL.02 may cite: a requirement document or a portfolio upload."""
    file_id: str
    filename: str
    source: str = Field(description="the requirement code, or portofolio")
    title: str


class CitedEvidence(Model):
    file_id: str
    sha256: str
    filename: str
    source: str = Field(description="the requirement code, or portofolio")


class SavedAnswer(Model):
    unit_code: str
    element_no: str | None = Field(description="null for a unit without elements")
    answer: Answer = Field(description="K or BK, the asesi's own judgement")
    evidence: list[str] = Field(description="file ids cited")


class SelfAssessmentItem(Model):
    """A row of FR.APL.02: an element of a unit (a unit without elements as a whole) and its answer."""
    unit_code: str
    unit_title: str
    element_no: str | None
    element_title: str | None
    kuk: list[Kuk]
    answer: Answer | None = Field(description="null until answered")
    evidence: list[str]


class SelfAssessment(Model):
    """FR.APL.02, open once the payment is verified."""
    status: Literal["open", "draft", "submitted"]
    answers: list[SavedAnswer]
    items: list[SelfAssessmentItem]
    files: list[CitableFile]
    missing: list[str] = Field(description="items not yet answered: unit_code or unit_code/element_no")
    signature: Signature | None
    submitted_at: Timestamp | None
    updated_at: Timestamp | None
    evidence: dict[str, CitedEvidence] | None = Field(
        default=None, description="the files the signed answers cite, by file id; absent until submitted")


class FeasibilityReview(Model):
    """The admin's signed review of FR.APL.01 and FR.APL.02 together (SOP 1.3)."""
    feasible: bool
    notes: str
    signature: Signature


class Feasibility(FeasibilityReview):
    reviewed_by: Actor
    at: Timestamp
    case_stopped: bool = Field(description="true when not feasible: the case ends here")


class TukEquipment(Model):
    """SOP 1.2.1: what the asesi was asked to prepare, and what they say is ready."""
    items: list[str]
    ready: list[str]
    complete: bool
    requested_at: Timestamp
    confirmed_at: Timestamp | None


class ApplicationBase(Record):
    """A certification case as registration keeps it; its id is the case id everywhere."""
    version: int = Field(description=(
        "the application's version (FR.APL.01): expected_version for the commands on the application; those "
        "on the TUK equipment, the payment or the self-assessment take versions.<part>"))
    asesi: Person
    scheme: AppliedScheme
    purpose: Literal[PURPOSES]  # type: ignore[valid-type]
    status: CaseStatusValue
    documents: list[Document] = Field(description="one per requirement, in the scheme's order")
    file_ids: list[str] = Field(description="every file ever attached to the case (replaced ones too)")
    uploaded_bytes: int = Field(default=0, description="their size, each file once; absent until the first upload")
    drafted_at: Timestamp
    submitted_at: Timestamp | None = Field(description="the first submission; null while a draft")
    resubmitted_at: Timestamp | None = Field(default=None, description="absent until submitted again after a return")
    submissions: int = Field(default=0, description="absent until submitted")
    signature: Signature | None = Field(default=None, description="the asesi's, on the last submission")
    deficiencies: list[Deficiency] | None = Field(default=None, description="absent until submitted")
    recommendation: Recommendation | None = Field(default=None, description="absent until recommended")
    invoice: IssuedInvoice | None = Field(default=None, description="absent until accepted")
    payment: Payment | None = Field(default=None, description="absent until a proof is uploaded; null once rejected")
    payment_rejections: list[PaymentRejection] | None = Field(default=None, description="absent until one")
    evidence: list[Evidence] | None = Field(default=None, description="absent until the payment is verified")
    self_assessment: SelfAssessment | None = Field(default=None, description="absent until the payment is verified")
    feasibility: Feasibility | None = Field(default=None, description="absent until reviewed")
    tuk_equipment: TukEquipment | None = Field(default=None, description="absent until submitted")
    updated_at: Timestamp
    nik_masked: str | None = Field(description="e.g. 3174xxxxxxxx0001; null for those who may not see the NIK")
    versions: PartVersions | None = Field(default=None, description=(
        "the version of each part of the case (`version` is the application's): send the one of the part a "
        "command changes as its expected_version"))
    statuses: PartStatuses | None = Field(default=None, description="each part's own status")


class Application(ApplicationBase):
    """An application with Bagian 1 opened: for its asesi and the branch's office."""
    personal_data: PersonalData


class ApplicationSummary(ApplicationBase):
    """An application without its personal data: in lists, and for an assigned asesor."""
    nama_lengkap: str | None = Field(description="the name on Bagian 1")


class ApplicationState(PartSaved):
    status: CaseStatusValue


class Signed(ApplicationState):
    signature: Signature


class RecommendationResult(ApplicationState):
    invoice: Invoice | None = Field(description="the invoice issued on diterima; null when returned")


class FeasibilityResult(ApplicationState):
    feasibility: FeasibilityReview


class VerdictGiven(PartSaved):
    requirement_code: str
    verdict: Verdict


class SelfAssessmentSaved(PartSaved):
    missing: list[str] = Field(description="items not yet answered: unit_code or unit_code/element_no")


class Uploaded(PartSaved, StoredFile):
    size: int = Field(description="bytes")


class RequirementUploaded(Uploaded):
    requirement_code: str


class PaymentProofUploaded(Uploaded):
    status: CaseStatusValue


# ---- notices --------------------------------------------------------------------------------------------

class Notice(Record):
    """An e-mail notice to an asesi, recipient and body opened (the erasure note once they are forgotten)."""
    case_id: str
    kind: Literal[KINDS]  # type: ignore[valid-type]
    asesi_id: str
    recipient: str = Field(description="empty when the asesi has no address")
    subject: str
    body: str
    status: Literal["queued", "retrying", "sent", "failed"]
    attempts: int
    error: str | None
    retry_at: IsoTime | None = Field(description="when a retrying notice is tried again")
    queued_at: Timestamp
    sent_at: Timestamp | None
    transport: str | None = Field(default=None, description="absent until sent")
    message_id: str | None = Field(default=None, description="absent until sent")
    updated_at: Timestamp
