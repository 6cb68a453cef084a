"""Registration (SOP 1.1-1.3): scheme catalogue, application (FR.APL.01), invoice and payment."""
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from shared.aggregate import Actor, TenantAggregate, YearlySequence, stable_id
from shared.errors import Conflict, Invalid

SCHEME_KINDS = ("KKNI", "Okupasi", "Klaster")
PURPOSES = ("Sertifikasi", "Sertifikasi Ulang", "PKT", "RPL", "Lainnya")


def scheme_id(tenant: str, number: str) -> UUID:
    return stable_id("scheme", tenant, number)


class Scheme(TenantAggregate):
    @event("SchemePublished")
    def __init__(self, tenant: str, actor: Actor, number: str, title: str, kind: str,
                 units: list[dict[str, str]], fee: int, validity_years: int):
        self.tenant = tenant
        self.number = number
        self.title = title
        self.kind = kind
        self.units = units
        self.fee = fee
        self.validity_years = validity_years

    @classmethod
    def publish(cls, tenant: str, actor: Actor, number: str, title: str, kind: str,
                units: list[dict[str, str]], fee: int, validity_years: int) -> "Scheme":
        if kind not in SCHEME_KINDS:
            raise Invalid(f"kind must be one of {', '.join(SCHEME_KINDS)}", field="kind")
        if not units:
            raise Invalid("a scheme needs at least one unit", field="units")
        codes = [unit["code"] for unit in units]
        if len(set(codes)) != len(codes):
            raise Invalid("unit codes must be unique within a scheme", field="units")
        if fee < 0:
            raise Invalid("fee cannot be negative", field="fee")
        return cls(tenant=tenant, actor=actor, number=number, title=title, kind=kind,
                   units=units, fee=fee, validity_years=validity_years)

    @staticmethod
    def create_id(tenant: str, number: str) -> UUID:
        return scheme_id(tenant, number)  # one scheme per number per branch

    def snapshot(self) -> dict[str, Any]:
        """What a case keeps of the scheme version it applied for."""
        return {"id": str(self.id), "number": self.number, "title": self.title,
                "version": self.version, "units": self.units,
                "validity_years": self.validity_years}


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

    def accept(self, actor: Actor, invoices: YearlySequence, amount: int, notes: str) -> None:
        self.require_status("submitted")
        self._accepted(actor=actor, notes=notes)
        invoices.take(actor=actor, case_id=str(self.id))
        number = f"INV/{self.tenant}/{invoices.year}/{invoices.last:05d}"
        self._invoice_issued(actor=actor, invoice_number=number, amount=amount)

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
