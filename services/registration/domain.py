"""Registration (SOP 1.1-1.3): scheme catalogue, application (FR.APL.01), invoice and payment."""
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from shared.aggregate import Actor, TenantAggregate, YearlySequence, stable_id
from shared.errors import Conflict, Invalid

SCHEME_KINDS = ("KKNI", "Okupasi", "Klaster")
STANDARD_TYPES = ("SKKNI", "Standar Khusus", "Standar Internasional")
REQUIREMENT_CATEGORIES = ("persyaratan_dasar", "administratif")
METHODS = ("Uji Tertulis", "Observasi Demonstrasi", "Verifikasi Portofolio", "Wawancara")
PURPOSES = ("Sertifikasi", "Sertifikasi Ulang", "PKT", "RPL", "Lainnya")


def scheme_id(tenant: str, number: str) -> UUID:
    return stable_id("scheme", tenant, number)


def scheme_content(title: str, kind: str, units: list[dict[str, Any]], fee: int, validity_years: int,
                   requirements: list[dict[str, str]], methods: list[str],
                   remote_requirements: list[str]) -> dict[str, Any]:
    """One version of a scheme, checked: everything but its number, which never changes."""
    if kind not in SCHEME_KINDS:
        raise Invalid(f"kind must be one of {', '.join(SCHEME_KINDS)}", field="kind")
    units = [unit_content(**unit) for unit in units]
    unique([unit["code"] for unit in units], "unit codes", "units")
    if any(r["category"] not in REQUIREMENT_CATEGORIES for r in requirements):
        raise Invalid(f"category must be one of {', '.join(REQUIREMENT_CATEGORIES)}", field="requirements")
    unique([r["code"] for r in requirements], "requirement codes", "requirements")
    if not methods or not set(methods) <= set(METHODS):
        raise Invalid(f"methods must be some of {', '.join(METHODS)}", field="methods")
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
        raise Invalid(f"standard_type must be one of {', '.join(STANDARD_TYPES)}", field="units")
    return {"code": code, "title": title, "standard_type": standard_type, "reference": reference,
            "elements": elements or []}


def unique(values: list[str], what: str, field: str) -> None:
    if len(set(values)) != len(values):
        raise Invalid(f"{what} must be unique within a scheme", field=field)


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


class CertificationApplication(TenantAggregate):
    """One certification case as registration sees it; its id is the case id everywhere."""

    @event("ApplicationSubmitted")
    def __init__(self, tenant: str, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                 purpose: str):
        self.tenant = tenant
        self.asesi = asesi
        self.scheme = scheme
        self.purpose = purpose
        self.status = "submitted"
        self.invoice: dict[str, Any] | None = None
        self.payment: dict[str, Any] | None = None

    @classmethod
    def submit(cls, tenant: str, actor: Actor, scheme: dict[str, Any], purpose: str) -> "CertificationApplication":
        if purpose not in PURPOSES:
            raise Invalid(f"purpose must be one of {', '.join(PURPOSES)}", field="purpose")
        return cls(tenant=tenant, actor=actor, asesi={"id": actor["id"], "name": actor["name"]},
                   scheme=scheme, purpose=purpose)

    def require_status(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise Conflict(f"not possible while the application is '{self.status}'")

    def accept(self, actor: Actor, invoices: YearlySequence, notes: str) -> None:
        self.require_status("submitted")
        self._accepted(actor=actor, notes=notes)
        invoices.take(actor=actor, case_id=str(self.id))
        number = f"INV/{self.tenant}/{invoices.year}/{invoices.last:05d}"
        # the fee of the version applied for: a later revision does not reprice a case
        self._invoice_issued(actor=actor, invoice_number=number, amount=self.scheme["fee"])

    @event("ApplicationAccepted")
    def _accepted(self, actor: Actor, notes: str) -> None:
        self.status = "accepted"

    @event("InvoiceIssued")
    def _invoice_issued(self, actor: Actor, invoice_number: str, amount: int) -> None:
        self.invoice = {"number": invoice_number, "amount": amount}
        self.status = "awaiting_payment"

    def submit_payment_proof(self, actor: Actor, reference: str, amount: int) -> None:
        if actor["id"] != self.asesi["id"]:
            raise Conflict("only the applicant can submit the payment proof")
        self.require_status("awaiting_payment")
        assert self.invoice is not None
        if amount != self.invoice["amount"]:
            raise Invalid(f"amount must equal the invoice amount ({self.invoice['amount']})", field="amount")
        self._payment_proof_submitted(actor=actor, reference=reference, amount=amount)

    @event("PaymentProofSubmitted")
    def _payment_proof_submitted(self, actor: Actor, reference: str, amount: int) -> None:
        self.payment = {"reference": reference, "amount": amount}
        self.status = "payment_submitted"

    def verify_payment(self, actor: Actor) -> None:
        self.require_status("payment_submitted")
        assert self.invoice is not None
        self._payment_verified(actor=actor, asesi=self.asesi, scheme=self.scheme,
                               invoice_number=self.invoice["number"], amount=self.invoice["amount"])

    @event("PaymentVerified")
    def _payment_verified(self, actor: Actor, asesi: dict[str, str], scheme: dict[str, Any],
                          invoice_number: str, amount: int) -> None:
        self.status = "paid"
