"""Drives the platform over HTTP the way its users do (works with httpx.Client or TestClient)."""
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

ADMIN = ("admin@platform.local", "admin12345")


def wait_for(probe: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    """Poll until probe() returns something truthy: events reach other services asynchronously."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Session:
    http: Any
    token: str
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.get(path, headers=self.headers, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return self.http.post(path, json=json if json is not None else {}, headers=self.headers, **kw)

    def ok(self, response: httpx.Response, status: int = 200) -> Any:
        request = response.request
        assert response.status_code == status, f"{request.method} {request.url}: {response.status_code} {response.text}"
        return response.json()


def login(http: Any, email: str, password: str) -> Session:
    response = http.post("/api/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return Session(http, response.json()["access_token"])


@dataclass
class Branch:
    code: str
    admin: Session
    asesor: Session
    asesor_id: str
    ketua: Session


def open_branch(http: Any, admin: Session, code: str) -> Branch:
    """Platform admin creates a branch and its staff; the asesor is registered for the seeded scheme."""
    admin.ok(admin.post("/api/branches", {"code": code, "name": f"LSP Cabang {code}"}), 201)
    people = {}
    for role in ("admin_lsp", "asesor", "ketua_lsp"):
        email = f"{role}.{code.lower()}@lsp-katiga.co.id"
        people[role] = admin.ok(admin.post(f"/api/branches/{code}/users", {
            "email": email, "name": f"{role.title()} {code}", "password": "rahasia123", "role": role}), 201)
    staff = login(http, f"admin_lsp.{code.lower()}@lsp-katiga.co.id", "rahasia123")
    scheme = wait_for(lambda: staff.get("/api/schemes").json(), what="seeded scheme catalogue")[0]
    staff.ok(staff.post("/api/assessors", {
        "user_id": people["asesor"]["id"], "met_number": "MET.000.001668.2012",
        "valid_until": "2030-12-31", "scheme_numbers": [scheme["number"]]}), 201)
    return Branch(code, staff, login(http, f"asesor.{code.lower()}@lsp-katiga.co.id", "rahasia123"),
                  people["asesor"]["id"], login(http, f"ketua_lsp.{code.lower()}@lsp-katiga.co.id", "rahasia123"))


def signup_asesi(http: Any, branch: str, email: str) -> Session:
    response = http.post("/api/auth/register", json={"branch": branch, "email": email,
                                                      "name": "Budi Santoso", "password": "rahasia123"})
    assert response.status_code == 201, response.text
    return login(http, email, "rahasia123")


def pay_case(http: Any, branch: Branch, asesi: Session) -> dict[str, Any]:
    """SOP 1.2: apply, accept (invoice), pay, verify -> PaymentVerified stored."""
    admin = branch.admin
    scheme = asesi.ok(asesi.get("/api/schemes"))[0]
    applied = asesi.post("/api/applications", {"scheme_id": scheme["id"], "purpose": "Sertifikasi"})
    case_id = asesi.ok(applied, 201)["id"]
    wait_for(lambda: admin.get(f"/api/applications/{case_id}").status_code == 200, what="application in read model")
    invoice = admin.ok(admin.post(f"/api/applications/{case_id}/accept", {"notes": "lengkap"}))["invoice"]
    asesi.ok(asesi.post(f"/api/applications/{case_id}/payment-proof",
                        {"reference": "TRF-0001", "amount": invoice["amount"]}))
    admin.ok(admin.post(f"/api/applications/{case_id}/verify-payment", {}))
    return {"case_id": case_id, "invoice": invoice}


def finish_case(branch: Branch, case_id: str, after_assign: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """SOP 1.5 to 4.4: each step waits until the previous event reached the service that needs it."""
    admin = branch.admin
    wait_for(lambda: admin.get(f"/api/scheduling/cases/{case_id}").status_code == 200, what="case in scheduling")
    admin.ok(admin.post(f"/api/scheduling/cases/{case_id}/assign", {"assessor_id": branch.asesor_id}))
    after_assign()
    assessment = wait_for(lambda: ok_or_none(branch.asesor.get(f"/api/assessments/{case_id}")),
                          what="assessment opened from AssessorAssigned")
    units = [{"code": u["code"], "result": "K"} for u in assessment["scheme"]["units"]]
    branch.asesor.ok(branch.asesor.post(f"/api/assessments/{case_id}/recommendation", {"units": units}))
    wait_for(lambda: any(c["id"] == case_id for c in branch.ketua.get("/api/certification/cases").json()),
             what="case awaiting decision in certification")
    decided = branch.ketua.ok(branch.ketua.post(f"/api/certification/cases/{case_id}/decide",
                                                {"decision": "K", "notes": "rapat pleno"}))
    return {"certificate_number": decided["certificate_number"], "units": units}


def run_case(http: Any, branch: Branch, asesi: Session) -> dict[str, Any]:
    """One certification case through the SOP order; returns ids and the certificate."""
    case = pay_case(http, branch, asesi)
    return {**case, **finish_case(branch, case["case_id"])}


def ok_or_none(response: httpx.Response) -> Any:
    return response.json() if response.status_code == 200 else None
