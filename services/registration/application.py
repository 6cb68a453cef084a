"""Registration commands. Policies: none yet (registration starts cases; it reacts to nothing)."""
from datetime import UTC, datetime
from typing import Any, ClassVar

from services.registration.domain import METHODS, CertificationApplication, Scheme, scheme_content, scheme_id
from services.registration.seed import DEFAULT_SCHEMES, REMOTE_REQUIREMENTS
from shared.aggregate import Actor, as_uuid
from shared.errors import Conflict
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.settings import Settings


class RegistrationApp(ServiceApplication):
    name = "registration"
    commands: ClassVar[tuple[str, ...]] = (
        "create_scheme", "revise_scheme", "publish_scheme", "unpublish_scheme", "seed_schemes",
        "submit_application", "accept_application", "submit_payment_proof", "verify_payment", "case_timeline")

    def policies(self) -> dict[str, Policy]:
        return {}

    def create_scheme(self, tenant: str, actor: Actor, number: str, published: bool = True, **content: Any) -> str:
        """content: title, kind, units, fee, validity_years, requirements, methods, remote_requirements."""
        if self.exists(scheme_id(tenant, number)):
            raise Conflict(f"scheme {number} already exists in this branch", field="number")
        scheme = Scheme.create(tenant, actor, number, checked_content(content), published)
        self.save_checked(scheme)
        return str(scheme.id)

    def revise_scheme(self, tenant: str, actor: Actor, scheme_id: str, expected_version: int | None = None,
                      **content: Any) -> int:
        """A new version with the whole new content; cases already submitted keep theirs."""
        scheme = self._scheme(tenant, scheme_id, expected_version)
        scheme.revise(actor, checked_content(content))
        self.save_checked(scheme)
        return scheme.version

    def publish_scheme(self, tenant: str, actor: Actor, scheme_id: str, expected_version: int | None = None) -> int:
        scheme = self._scheme(tenant, scheme_id, expected_version)
        scheme.publish(actor)
        self.save_checked(scheme)
        return scheme.version

    def unpublish_scheme(self, tenant: str, actor: Actor, scheme_id: str,
                         expected_version: int | None = None) -> int:
        scheme = self._scheme(tenant, scheme_id, expected_version)
        scheme.unpublish(actor)
        self.save_checked(scheme)
        return scheme.version

    def seed_schemes(self, tenant: str, actor: Actor) -> list[str]:
        """Idempotent: a branch gets the default K3 schemes once."""
        ids = []
        for spec in DEFAULT_SCHEMES:
            if not self.exists(scheme_id(tenant, spec["number"])):
                self.create_scheme(tenant, actor, **spec)
            ids.append(str(scheme_id(tenant, spec["number"])))
        return ids

    def submit_application(self, tenant: str, actor: Actor, scheme_id: str, purpose: str) -> str:
        scheme = self.get_owned(as_uuid(scheme_id, "scheme_id"), tenant, "scheme", Scheme)
        application = CertificationApplication.submit(tenant, actor, scheme.snapshot(), purpose)
        self.save_checked(application)
        return str(application.id)

    def accept_application(self, tenant: str, actor: Actor, case_id: str, notes: str = "",
                           expected_version: int | None = None) -> dict[str, Any]:
        def attempt() -> dict[str, Any]:
            application = self._application(tenant, case_id, expected_version)
            invoices = self.sequence(tenant, actor, "invoice", datetime.now(UTC).year)
            application.accept(actor, invoices, notes=notes)
            self.save(application, invoices)  # number and invoice commit together: no gaps
            return {"invoice": application.invoice, "version": application.version}
        return self.retry_on_conflict(attempt)

    def submit_payment_proof(self, tenant: str, actor: Actor, case_id: str, reference: str,
                             amount: int, expected_version: int | None = None) -> int:
        application = self._application(tenant, case_id, expected_version)
        application.submit_payment_proof(actor, reference, amount)
        self.save_checked(application)
        return application.version

    def verify_payment(self, tenant: str, actor: Actor, case_id: str,
                       expected_version: int | None = None) -> int:
        application = self._application(tenant, case_id, expected_version)
        application.verify_payment(actor)
        self.save_checked(application)
        return application.version

    def _scheme(self, tenant: str, scheme_id: str, expected_version: int | None) -> Scheme:
        scheme = self.get_owned(as_uuid(scheme_id, "scheme_id"), tenant, "scheme", Scheme)
        scheme.check_version(expected_version)
        return scheme

    def _application(self, tenant: str, case_id: str, expected_version: int | None) -> CertificationApplication:
        application = self.get_owned(as_uuid(case_id, "case_id"), tenant, "application",
                                     CertificationApplication)
        application.check_version(expected_version)
        return application


def checked_content(content: dict[str, Any]) -> dict[str, Any]:
    """A scheme's content; without its own list, the SOP's remote-assessment equipment."""
    defaults = {"validity_years": 3, "requirements": [], "methods": list(METHODS),
                "remote_requirements": REMOTE_REQUIREMENTS}
    return scheme_content(**{**defaults, **{k: v for k, v in content.items() if v is not None}})


def build_application(settings: Settings) -> RegistrationApp:
    return RegistrationApp(env=event_store_env(settings, RegistrationApp.name))
