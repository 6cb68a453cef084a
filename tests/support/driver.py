"""Drives the platform over HTTP the way its users do (works with httpx.Client or TestClient)."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from tests.support.samples import PERSONAL_DATA, tiny_pdf  # noqa: F401 (the driver's callers use them too)
from tests.support.waiting import wait_for  # noqa: F401

# The platform admin of every platform the tests start (tests/conftest.py puts it in LSP_* for them)
ADMIN = ("admin@platform.local", "Uji-Gerbang-7391!")


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
        if "files" in kw or "data" in kw:  # multipart: an upload with its form fields
            return self.http.post(path, headers=self.headers, **kw)
        return self.http.post(path, json=json if json is not None else {}, headers=self.headers, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return self.http.put(path, json=json if json is not None else {}, headers=self.headers, **kw)

    def ok(self, response: httpx.Response, status: int = 200) -> Any:
        request = response.request
        assert response.status_code == status, f"{request.method} {request.url}: {response.status_code} {response.text}"
        return response.json()


def as_page(http: Any, session: Session) -> dict[str, str]:
    """The browser of `session`'s user (their web-session cookie); the Origin header a page's form sends."""
    http.cookies.clear()
    http.cookies.set("lsp_session", session.token)
    return {"origin": str(http.base_url)}


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
    sessions: dict[str, list[list[Any]]] = field(default_factory=dict)  # scheme -> [[schedule id, cases]]
    tuk_id: str = ""


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


def submit_application(asesi: Session, scheme: dict[str, Any] | None = None,
                       purpose: str = "Sertifikasi") -> str:
    """SOP 1.2 for the asesi: draft, fill Bagian 1, upload a PDF per requirement, sign and submit."""
    scheme = scheme or asesi.ok(asesi.get("/api/schemes"))[0]
    case_id = asesi.ok(asesi.post("/api/applications", {"scheme_id": scheme["id"], "purpose": purpose}), 201)["id"]
    asesi.ok(asesi.put(f"/api/applications/{case_id}/personal-data", PERSONAL_DATA))
    for requirement in scheme["requirements"]:
        code = requirement["code"]
        asesi.ok(asesi.post(f"/api/applications/{case_id}/requirements/{code}",
                            files={"file": (f"{code}.pdf", tiny_pdf(f"{case_id} {code}"), "application/pdf")}))
    asesi.ok(asesi.post(f"/api/applications/{case_id}/submit", {}))
    return case_id


def accept_case(admin: Session, case_id: str) -> dict[str, Any]:
    """SOP 1.2.2-1.2.3 for the admin: every requirement 'memenuhi', signed 'diterima' -> invoice."""
    application = wait_for(lambda: ok_or_none(admin.get(f"/api/applications/{case_id}")),
                           what="submitted application in read model")
    for document in application["documents"]:
        admin.ok(admin.post(f"/api/applications/{case_id}/requirements/{document['code']}/verdict",
                            {"verdict": "memenuhi", "notes": "sesuai"}))
    return admin.ok(admin.post(f"/api/applications/{case_id}/recommend",
                               {"recommendation": "diterima", "notes": "lengkap"}))["invoice"]


def pay(asesi: Session, case_id: str, amount: int, reference: str = "TRF-0001") -> httpx.Response:
    """SOP 1.2.5: the asesi uploads the transfer receipt with its reference and amount."""
    return asesi.post(f"/api/applications/{case_id}/payment-proof",
                      data={"reference": reference, "amount": str(amount)},
                      files={"file": ("bukti-transfer.pdf", tiny_pdf(f"{case_id} {reference}"), "application/pdf")})


def self_assess(asesi: Session, case_id: str, scheme: dict[str, Any]) -> dict[str, Any]:
    """SOP 1.2.8 for the asesi: FR.APL.02, K for every element of every unit (a unit without
    elements as a whole), signed and submitted. Reads the scheme, not the read model, so it does not
    wait for the projection of PaymentVerified."""
    answers = [{"unit_code": unit["code"], "element_no": str(element["number"]), "answer": "K", "evidence": []}
               for unit in scheme["units"] for element in unit.get("elements") or []]
    answers += [{"unit_code": unit["code"], "element_no": None, "answer": "K", "evidence": []}
                for unit in scheme["units"] if not unit.get("elements")]
    asesi.ok(asesi.put(f"/api/applications/{case_id}/self-assessment", {"answers": answers}))
    return asesi.ok(asesi.post(f"/api/applications/{case_id}/self-assessment/submit", {}))


def pay_case(http: Any, branch: Branch, asesi: Session) -> dict[str, Any]:
    """SOP 1.2-1.3: apply (draft, data, documents, signed submission), verify and accept (invoice),
    pay with an uploaded proof, verify (PaymentVerified), FR.APL.02 signed (SelfAssessmentSubmitted),
    the admin's feasibility review, feasible -> FeasibilityReviewed stored (scheduling opens the case)."""
    admin = branch.admin
    scheme = asesi.ok(asesi.get("/api/schemes"))[0]
    case_id = submit_application(asesi, scheme)
    invoice = accept_case(admin, case_id)
    asesi.ok(pay(asesi, case_id, invoice["amount"]))
    admin.ok(admin.post(f"/api/applications/{case_id}/verify-payment", {}))
    review_case(admin, asesi, case_id, scheme)
    return {"case_id": case_id, "invoice": invoice}


def review_case(admin: Session, asesi: Session, case_id: str, scheme: dict[str, Any]) -> dict[str, Any]:
    """After PaymentVerified: FR.APL.02 signed, then the admin's signed feasibility review (SOP 1.3),
    feasible -> FeasibilityReviewed, which opens the case in scheduling."""
    self_assess(asesi, case_id, scheme)
    return admin.ok(admin.post(f"/api/applications/{case_id}/feasibility", {"feasible": True, "notes": "layak"}))


def finish_case(branch: Branch, case_id: str, after_assign: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """SOP 1.5 to 4.4: each step waits until the previous event reached the service that needs it."""
    assign_case(branch, case_id)
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


NO_CONFLICT = {"melatih": "tidak", "institusi_sama": "tidak", "hubungan_keluarga": "tidak",
               "kepentingan_lain": "tidak"}  # the asesor's impartiality declaration


def assign_case(branch: Branch, case_id: str) -> None:
    """SOP 1.5-1.6: once the case reached scheduling, placed in a session, its asesor appointed, and the asesor
    confirms with the impartiality declaration (AssessorAssigned)."""
    admin = branch.admin
    case = wait_for(lambda: ok_or_none(admin.get(f"/api/scheduling/cases/{case_id}")), what="case in scheduling")
    schedule_id = session_for(branch, case["scheme"]["number"])
    admin.ok(admin.post(f"/api/schedules/{schedule_id}/cases", {"case_id": case_id}))
    admin.ok(admin.post(f"/api/scheduling/cases/{case_id}/assign", {"assessor_id": branch.asesor_id}))
    branch.asesor.ok(branch.asesor.post(f"/api/asesor/assignments/{case_id}/confirm", NO_CONFLICT))


def session_for(branch: Branch, scheme_number: str) -> str:
    """A remote session of the branch for the scheme, each a day later than the last, taking up to 10 cases
    (the default limit of asesi per assessor in one session; the branch's one assessor takes them all)."""
    admin = branch.admin
    if not branch.tuk_id:
        branch.tuk_id = admin.ok(admin.post("/api/tuk", {"nama": "TUK Sewaktu Daring", "jenis": "sewaktu",
                                                         "jarak_jauh": "ya", "kapasitas": "200"}), 201)["id"]
    sessions = branch.sessions.setdefault(scheme_number, [])
    if not sessions or sessions[-1][1] >= 10:
        on = (date.today() + timedelta(days=30 + sum(len(s) for s in branch.sessions.values()))).isoformat()
        sessions.append([admin.ok(admin.post("/api/schedules", {
            "skema": scheme_number, "tanggal": on, "mulai": "08:00", "selesai": "16:00", "tuk_id": branch.tuk_id,
            "tautan": "https://meet.example.org/uji", "kuota_min": "1", "kuota_maks": "10"}), 201)["id"], 0])
    sessions[-1][1] += 1
    return sessions[-1][0]


def run_case(http: Any, branch: Branch, asesi: Session) -> dict[str, Any]:
    """One certification case through the SOP order; returns ids and the certificate."""
    case = pay_case(http, branch, asesi)
    return {**case, **finish_case(branch, case["case_id"])}


def ok_or_none(response: httpx.Response) -> Any:
    return response.json() if response.status_code == 200 else None


def verify_certificate(http: Any, number: str, name: str = "Budi Santoso") -> Any:
    """Anyone's public check, no login: the certificate's number with its holder's name (None if 404)."""
    return ok_or_none(http.get(f"/api/public/certificates/{number}", params={"name": name}))
