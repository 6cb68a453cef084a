"""Helpers for the service unit tests: a service's router mounted as the gateway mounts it (fake users,
the bearer token is the user id, the gateway's error answers), upstream envelopes, scheme snapshots,
registration cases built through its App."""
import hashlib
from typing import Any
from uuid import UUID, uuid4

from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from services.gateway.errors import domain_error, validation_error  # noqa: F401 (tests install it)
from shared.errors import DomainError
from shared.messaging.envelopes import to_envelope
from shared.messaging.inbox import Inbox
from shared.web import User
from tests.support.samples import ADMIN, PERSONAL_DATA, TENANT, tiny_pdf
from tests.support.samples import ASESI as ASESI_ACTOR

SCHEME_NUMBER = "SKM/K3/AHLI-K3-UMUM/2025"
MET = "MET.000.001668.2012"
ASESOR_USER = {"id": "asesor-1", "role": "asesor", "name": "Rina Wulandari"}


def scheme(units: int = 3, validity_years: int = 3) -> dict[str, Any]:
    """A registration scheme snapshot (with its producer extra validity_years)."""
    return {"id": str(uuid4()), "number": SCHEME_NUMBER, "title": "Ahli K3 Umum", "version": 1,
            "units": [{"code": f"M.71KKK01.00{i}.1", "title": f"Unit {i}"} for i in range(1, units + 1)],
            "validity_years": validity_years}


def envelope(source: str, kind: str, position: int, case_id: str, data: dict[str, Any],
             tenant: str = TENANT, actor: dict | None = None) -> dict[str, Any]:
    """An upstream service's integration event, as the relay would publish it."""
    return {"id": f"{source}:{position}", "type": kind, "schema_version": 1, "source": source,
            "position": position, "tenant": tenant, "aggregate_id": case_id, "aggregate_version": 1,
            "occurred_at": "2025-07-01T02:00:00+00:00", "correlation_id": case_id, "causation_id": None,
            "actor": actor or ADMIN, "data": data}


def published(app) -> list:
    """Every event the app recorded, as envelopes: to_envelope fails on a broken contract."""
    return [to_envelope(app.name, n.id, n.topic, app.mapper.to_domain_event(n))
            for n in app.recorder.select_notifications(start=None, limit=1000)]


def inbox(app) -> Inbox:
    return Inbox(app, app.policies(), attempts=2, sleep=lambda _: None)


class Bus:
    """The gateway's command bus, embedded: a direct call on the service's App."""
    def __init__(self, apps: dict[str, Any]):
        self.apps = apps

    def call(self, service: str, command: str, /, **kwargs: Any) -> Any:
        assert command in self.apps[service].commands
        return getattr(self.apps[service], command)(**kwargs)


class Directory:
    def __init__(self, *users: User):
        self.users = {user.id: user for user in users}

    def user(self, user_id: str) -> User | None:
        return self.users.get(user_id)


def api_client(router, apps: dict[str, Any], store, *users: User) -> TestClient:
    """The service router mounted as the gateway would mount it; the bearer token is the user id."""
    web = FastAPI()
    directory = Directory(*users)

    def authenticate(token: str) -> User:
        if token not in directory.users:
            raise HTTPException(401, "bad token")
        return directory.users[token]

    web.state.authenticate, web.state.bus = authenticate, Bus(apps)
    web.state.read_store, web.state.identity = store, directory
    web.add_exception_handler(DomainError, domain_error)
    web.include_router(router)
    return TestClient(web)


def as_user(actor: dict[str, str], tenant: str | None = TENANT) -> User:
    return User(id=actor["id"], email=f"{actor['id']}@lsp.test", name=actor["name"], role=actor["role"],
                tenant=tenant)


# the people API tests act as: the branch's admin, the asesi who applied, another asesi of the
# branch, an asesor of the branch, and an admin and an asesi of another branch
STAFF_ADMIN, OWNER = as_user(ADMIN), as_user(ASESI_ACTOR)
OTHER = as_user({**ASESI_ACTOR, "id": "asesi-2", "name": "Andi"})
ASESOR = as_user({"id": "asesor-1", "role": "asesor", "name": "Rina"})
SBY_ADMIN = as_user({**ADMIN, "id": "admin-sby"}, "SBY01")
SBY_ASESI = as_user({**ASESI_ACTOR, "id": "asesi-sby"}, "SBY01")


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.id}"}


def attach_pdf(app, tenant: str, actor: dict, case_id: str, code: str, text: str = "") -> str:
    """A requirement document as the API records it after shared.files stored it; returns its hash."""
    sha256 = hashlib.sha256(tiny_pdf(text or f"{case_id} {code}")).hexdigest()
    app.attach_requirement_document(tenant, actor, case_id, code, file_id=sha256, sha256=sha256,
                                    media_type="application/pdf", filename=f"{code}.pdf")
    return sha256


def submitted_case(app, tenant: str, actor: dict, scheme_id: str, purpose: str = "Sertifikasi") -> str:
    """FR.APL.01 through the registration App: draft, Bagian 1, a PDF per requirement, signed submission."""
    case_id = app.draft_application(tenant, actor, scheme_id, purpose)
    app.update_personal_data(tenant, actor, case_id, PERSONAL_DATA)
    for requirement in app.repository.get(UUID(case_id)).scheme["requirements"]:
        attach_pdf(app, tenant, actor, case_id, requirement["code"])
    app.submit_application(tenant, actor, case_id)
    return case_id


def verify_all(app, tenant: str, admin: dict, case_id: str, verdict: str = "memenuhi") -> None:
    for requirement in app.repository.get(UUID(case_id)).scheme["requirements"]:
        app.verify_document(tenant, admin, case_id, requirement["code"], verdict)


def accepted_case(app, tenant: str, actor: dict, admin: dict, scheme_id: str) -> tuple[str, dict[str, Any]]:
    """A submitted case, every requirement 'memenuhi', recommended 'diterima': (case id, invoice)."""
    case_id = submitted_case(app, tenant, actor, scheme_id)
    verify_all(app, tenant, admin, case_id)
    return case_id, app.recommend_application(tenant, admin, case_id, "diterima")["invoice"]


def pay_proof(app, tenant: str, actor: dict, case_id: str, amount: int, reference: str = "TRF-1") -> int:
    sha256 = hashlib.sha256(tiny_pdf(f"{case_id} {reference}")).hexdigest()
    return app.submit_payment_proof(tenant, actor, case_id, reference, amount, file_id=sha256, sha256=sha256,
                                    media_type="application/pdf", filename="bukti.pdf")


def paid(app: Any, scheme_id: str) -> str:
    """A registration case through APL.01, acceptance and a verified payment (ready for APL.02)."""
    case_id, invoice = accepted_case(app, TENANT, ASESI_ACTOR, ADMIN, scheme_id)
    pay_proof(app, TENANT, ASESI_ACTOR, case_id, invoice["amount"])
    app.verify_payment(TENANT, ADMIN, case_id)
    return case_id
