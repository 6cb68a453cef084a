"""Registration commands. Policies: none yet (registration starts cases; it reacts to nothing).

Personal data: the gateway checks Bagian 1 and seals SENSITIVE_FIELDS with registration's vault
before the command leaves it, so in distributed mode they never cross the broker in plain text.
Here a sealed token is accepted only if it is registration's and sealed for the application's asesi;
anything still plain (embedded callers, tests) is checked and sealed before any event holds it."""
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.registration.domain import (
    METHODS,
    SENSITIVE_FIELDS,
    CaseStatus,
    CertificationApplication,
    Payment,
    RegistrationCase,
    Scheme,
    SelfAssessment,
    TukEquipment,
    check_personal_data,
    scheme_content,
    scheme_id,
)
from services.registration.notices import NOTICES
from services.registration.seed import DEFAULT_SCHEMES, REMOTE_REQUIREMENTS
from shared.aggregate import Actor, as_uuid
from shared.errors import Conflict, Invalid
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.privacy import PrivacyError, Vault, is_sealed, parse
from shared.settings import Settings


class RegistrationApp(ServiceApplication):
    name = "registration"
    commands: ClassVar[tuple[str, ...]] = (
        "create_scheme", "revise_scheme", "publish_scheme", "unpublish_scheme", "seed_schemes",
        "draft_application", "update_personal_data", "attach_requirement_document", "submit_application",
        "confirm_tuk_equipment",
        "verify_document", "recommend_application", "accept_application", "submit_payment_proof",
        "reject_payment", "verify_payment", "attach_evidence", "update_self_assessment",
        "submit_self_assessment", "review_feasibility", "case_timeline")
    vault: Vault  # set by build_application: personal data is sealed with it
    upload_quota_mb: int  # per case, from Settings (build_application)

    def policies(self) -> dict[str, Policy]:
        # registration reacts to its own events only to tell the asesi what happened (e-mail, notices.py)
        return NOTICES.policies(self)

    def create_scheme(self, tenant: str, actor: Actor, number: str, published: bool = True, **content: Any) -> str:
        """content: title, kind, units, fee, validity_years, requirements, methods, remote_requirements."""
        if self.exists(scheme_id(tenant, number)):
            raise Conflict("scheme {number} already exists in this branch", field="number", number=number)
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

    def draft_application(self, tenant: str, actor: Actor, scheme_id: str, purpose: str) -> str:
        """FR.APL.01 begins as a draft of the asesi, for the scheme version published now."""
        scheme = self.get_owned(as_uuid(scheme_id, "scheme_id"), tenant, "scheme", Scheme)
        application = CertificationApplication.draft(tenant, actor, scheme.snapshot(), purpose)
        self.save_checked(application)
        return str(application.id)

    # A case is four aggregates, each with its own version (RegistrationCase): the application
    # (FR.APL.01, id = the case id), its TUK equipment list, its payment and its self-assessment (ids derived
    # from the case id).
    # A command's expected_version is the version of the part it changes, so people working on
    # different parts of one case never conflict.

    def update_personal_data(self, tenant: str, actor: Actor, case_id: str, personal_data: dict[str, Any],
                             expected_version: int | None = None) -> int:
        """Bagian 1, partially or whole; sensitive fields are sealed for the asesi before recording."""
        application = self._application(tenant, case_id, expected_version)
        application.require_applicant(actor, "fill in the application")
        subject = application.asesi["id"]
        tokens = {name: value for name, value in personal_data.items() if is_sealed(value)}
        for name, token in tokens.items():
            if name not in SENSITIVE_FIELDS:
                raise Invalid("only sensitive fields arrive sealed", field=name)
            try:
                vault_name, token_subject, _ = parse(token)
            except PrivacyError:
                raise Invalid("not a valid sealed value", field=name) from None
            if (vault_name, token_subject) != (self.vault.name, subject):
                raise Invalid("sealed for another vault or person", field=name)
        fields = {**check_personal_data({k: v for k, v in personal_data.items() if k not in tokens}), **tokens}
        sealed = self.vault.seal_fields(subject, fields, SENSITIVE_FIELDS)
        application.update_personal_data(actor, sealed)
        self.save_checked(application)
        return application.version

    def attach_requirement_document(self, tenant: str, actor: Actor, case_id: str, requirement_code: str,
                                    file_id: str, sha256: str, media_type: str, filename: str, size: int = 0,
                                    expected_version: int | None = None) -> int:
        """A checked upload (shared.files) as the document of one requirement; replaces an earlier one.
        The gateway keeps the file only once this is accepted. expected_version: the application's."""
        case = self.case(tenant, case_id)
        case.application.check_version(expected_version)
        case.application.attach_document(actor, requirement_code, file_id, sha256, media_type, filename, size,
                                         self.upload_quota_mb, case.uploads)
        self.save_checked(case.application)
        return case.application.version

    def submit_application(self, tenant: str, actor: Actor, case_id: str,
                           expected_version: int | None = None) -> dict[str, Any]:
        """The asesi signs and submits (ApplicationSubmitted; after a return, ApplicationResubmitted)."""
        application = self._application(tenant, case_id, expected_version)
        tuk = application.submit(actor)
        self.save_checked(application, *([tuk] if tuk else []))  # the submission and the equipment list together
        return {"status": application.status.value, "signature": application.signature,
                "version": application.version, "part": "application"}

    def verify_document(self, tenant: str, actor: Actor, case_id: str, requirement_code: str, verdict: str,
                        notes: str = "", expected_version: int | None = None) -> int:
        application = self._application(tenant, case_id, expected_version)
        application.verify_document(actor, requirement_code, verdict, notes)
        self.save_checked(application)
        return application.version

    def recommend_application(self, tenant: str, actor: Actor, case_id: str, recommendation: str,
                              notes: str = "", expected_version: int | None = None) -> dict[str, Any]:
        """The admin's signed recommendation: diterima (and the invoice, which begins the case's payment)
        or tidak_diterima (returned). expected_version: the application's."""
        def attempt() -> dict[str, Any]:
            application = self._application(tenant, case_id, expected_version)
            invoices = None
            if recommendation == "diterima":
                invoices = self.sequence(tenant, actor, "invoice", datetime.now(UTC).year)
            payment = application.recommend(actor, recommendation, notes, invoices)
            # the acceptance, the number and the invoice commit together
            self.save(*[a for a in (application, invoices, payment) if a is not None])
            case = RegistrationCase(application, payment)
            return {"status": case.status.value, "invoice": case.invoice, "version": application.version,
                    "part": "application"}
        return self.retry_on_conflict(attempt)

    def accept_application(self, tenant: str, actor: Actor, case_id: str, notes: str = "",
                           expected_version: int | None = None) -> dict[str, Any]:
        """recommend_application(..., "diterima")."""
        return self.recommend_application(tenant, actor, case_id, "diterima", notes, expected_version)

    def submit_payment_proof(self, tenant: str, actor: Actor, case_id: str, reference: str, amount: int,
                             file_id: str, sha256: str, media_type: str, filename: str, size: int = 0,
                             expected_version: int | None = None) -> int:
        """expected_version: the payment's (versions.payment of the application read model)."""
        case = self.case(tenant, case_id)
        payment = self._part(case, "payment_part", expected_version)
        payment.submit_payment_proof(actor, reference, amount, file_id, sha256, media_type, filename, size,
                                     self.upload_quota_mb, case.uploads)
        self.save_checked(payment)
        return payment.version

    def reject_payment(self, tenant: str, actor: Actor, case_id: str, reason: str,
                       expected_version: int | None = None) -> int:
        """expected_version: the payment's."""
        payment = self._part(self.case(tenant, case_id), "payment_part", expected_version)
        payment.reject_payment(actor, reason)
        self.save_checked(payment)
        return payment.version

    def verify_payment(self, tenant: str, actor: Actor, case_id: str,
                       expected_version: int | None = None) -> int:
        """expected_version: the payment's."""
        payment = self._part(self.case(tenant, case_id), "payment_part", expected_version)
        payment.verify_payment(actor)
        self.save_checked(payment)
        return payment.version

    def confirm_tuk_equipment(self, tenant: str, actor: Actor, case_id: str, ready: list[str],
                              expected_version: int | None = None) -> int:
        """SOP 1.2.1: the asesi ticks which of the requested TUK equipment is ready.
        expected_version: the equipment list's (versions.tuk_equipment)."""
        case = self.case(tenant, case_id)
        if case.tuk is None:
            case.application.require_applicant(actor, "confirm the TUK equipment")
            raise Conflict("no TUK equipment has been requested yet (it is asked for once the application is in)")
        case.tuk.check_version(expected_version)
        case.tuk.confirm_tuk_equipment(actor, ready, case.status)
        self.save_checked(case.tuk)
        return case.tuk.version

    # -- FR.APL.02 (SOP 1.2.8): the self-assessment, begun by the asesi's first step once paid ----------

    def attach_evidence(self, tenant: str, actor: Actor, case_id: str, file_id: str, sha256: str,
                        media_type: str, filename: str, size: int = 0, expected_version: int | None = None) -> int:
        """A checked portfolio upload (shared.files) the self-assessment may cite.
        expected_version: the self-assessment's (0 or None before it has begun)."""
        case = self.case(tenant, case_id)
        assessment = self._self_assessment(case, actor, expected_version)
        assessment.attach_evidence(actor, file_id, sha256, media_type, filename, size, self.upload_quota_mb,
                                   case.uploads)
        self.save_checked(assessment)
        return assessment.version

    def update_self_assessment(self, tenant: str, actor: Actor, case_id: str, answers: list[dict[str, Any]],
                               expected_version: int | None = None) -> dict[str, Any]:
        """Draft answers [{unit_code, element_no|None, answer K|BK|None, evidence: [file_id]}], merged.
        expected_version: the self-assessment's (0 or None before it has begun)."""
        case = self.case(tenant, case_id)
        assessment = self._self_assessment(case, actor, expected_version)
        assessment.update_self_assessment(actor, answers, case.application.documents)
        self.save_checked(assessment)
        return {"version": assessment.version, "part": "self_assessment",
                "missing": assessment.self_assessment_missing()}

    def submit_self_assessment(self, tenant: str, actor: Actor, case_id: str,
                               expected_version: int | None = None) -> dict[str, Any]:
        """The asesi signs FR.APL.02 (SelfAssessmentSubmitted); 422 names the items not yet answered.
        expected_version: the self-assessment's."""
        case = self.case(tenant, case_id)
        assessment = self._self_assessment(case, actor, expected_version)
        assessment.submit_self_assessment(actor, case.application.documents)
        self.save_checked(assessment)
        return {"status": CaseStatus(assessment.status).value, "signature": assessment.signature,
                "version": assessment.version, "part": "self_assessment"}

    # -- feasibility review (SOP 1.3) ------------------------------------------------------------------

    def review_feasibility(self, tenant: str, actor: Actor, case_id: str, feasible: bool, notes: str = "",
                           expected_version: int | None = None) -> dict[str, Any]:
        """The admin's signed review of FR.APL.01 and FR.APL.02 (FeasibilityReviewed): feasible goes on
        to scheduling (ready_for_scheduling); not feasible ends the case (not_feasible).
        expected_version: the self-assessment's."""
        case = self.case(tenant, case_id)
        assessment = self._part(case, "self_assessment", expected_version)
        assert case.application.signature is not None and case.invoice is not None
        assessment.review_feasibility(actor, feasible, notes, case.application.signature, case.invoice,
                                      str(case.application.personal_data.get("institusi") or ""))
        self.save_checked(assessment)
        return {"status": CaseStatus(assessment.status).value, "feasibility": assessment.feasibility,
                "version": assessment.version, "part": "self_assessment"}

    # -- the case and its parts --------------------------------------------------------------------------

    def case(self, tenant: str | None, case_id: str) -> RegistrationCase:
        """The case's application with its payment and self-assessment (None until begun)."""
        application = self.get_owned(as_uuid(case_id, "case_id"), tenant, "application", CertificationApplication)
        parts = {}
        for name, kind in (("tuk", TukEquipment), ("payment_part", Payment), ("self_assessment", SelfAssessment)):
            try:
                parts[name] = self.repository.get(kind.id_for(application.id))
            except AggregateNotFoundError:  # not begun yet
                parts[name] = None
        return RegistrationCase(application, **parts)

    def case_parts(self, tenant: str | None, case_id: str) -> list[UUID]:
        """The ids of every aggregate of the case registration holds (its per-case log)."""
        application_id = as_uuid(case_id, "case_id")
        # in the order a case moves through them (the timeline's order for events of the same instant)
        return [application_id, *(kind.id_for(application_id) for kind in (TukEquipment, Payment, SelfAssessment))]

    def _part(self, case: RegistrationCase, name: str, expected_version: int | None) -> Any:
        """A part that has begun, at the version the client read; before it begins the case's status
        says why nothing can be done to it yet."""
        part = getattr(case, name)
        if part is None:
            raise Conflict("not possible while the {what} is '{status}'", what="application",
                           status=case.status.value)
        part.check_version(expected_version)
        return part

    def _self_assessment(self, case: RegistrationCase, actor: Actor,
                         expected_version: int | None) -> SelfAssessment:
        """The case's self-assessment; the asesi's first step once the case is paid begins it."""
        if case.self_assessment is not None:
            return self._part(case, "self_assessment", expected_version)
        case.application.require_applicant(actor, "fill in the self-assessment")
        if case.status != CaseStatus.PAID:
            raise Conflict("not possible while the {what} is '{status}'", what="application",
                           status=case.status.value)
        if expected_version:  # versions.self_assessment is 0 until it begins
            raise Conflict("record changed (version {version}, you sent {expected}); reload and retry",
                           field="expected_version", version=0, expected=expected_version)
        return SelfAssessment.start(case.application, actor)

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
    app = RegistrationApp(env=event_store_env(settings, RegistrationApp.name))
    app.vault = Vault.for_application(app, settings)
    app.public_url = settings.public_url
    app.upload_quota_mb = settings.upload_quota_per_case_mb
    return app
