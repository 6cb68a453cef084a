"""Scheduling's cases built through its App, for unit tests: a case opened by a feasible review, a registered
assessor, a session at a TUK, a placed case, an assessor appointed and confirmed."""
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from tests.support.api import ASESOR_USER, MET, SCHEME_NUMBER, TENANT, envelope, inbox, scheme
from tests.support.samples import ADMIN, ASESI

SOON = date.today() + timedelta(days=30)
REMOTE_TUK = {"nama": "TUK Sewaktu Daring", "jenis": "sewaktu", "jarak_jauh": "ya", "kapasitas": "5"}
BIG_TUK = {**REMOTE_TUK, "kapasitas": "40"}
ASESOR = {"id": ASESOR_USER["id"], "role": "asesor", "name": ASESOR_USER["name"]}
# the impartiality declaration with no conflict (every answer "tidak")
CLEAR = {"melatih": "tidak", "institusi_sama": "tidak", "hubungan_keluarga": "tidak", "kepentingan_lain": "tidak"}


def feasibility_reviewed(case_id: str, position: int = 1, tenant: str = TENANT, asesi: dict | None = None,
                         snapshot: dict | None = None, feasible: bool = True, institution: str = ""
                         ) -> dict[str, Any]:
    person = asesi or {"id": ASESI["id"], "name": ASESI["name"]}
    return envelope("registration", "FeasibilityReviewed", position, case_id, tenant=tenant, data={
        "asesi": person, "scheme": snapshot or scheme(), "invoice_number": f"INV/{tenant}/2025/00001",
        "institution": institution,
        "amount": 3_500_000, "feasible": feasible, "notes": "" if feasible else "bukti belum relevan",
        "signature": {"sha256": "0" * 64}})


def opened_case(app, tenant: str = TENANT, position: int = 1, **kwargs: Any) -> str:
    case_id = str(uuid4())
    assert inbox(app).handle(feasibility_reviewed(case_id, position, tenant, **kwargs)) == "processed"
    return case_id


def registered(app, user: dict = ASESOR_USER, tenant: str = TENANT, valid_until: str = "2030-12-31",
               schemes: tuple[str, ...] = (SCHEME_NUMBER,)) -> str:
    return app.register_assessor(tenant, ADMIN, user["id"], user["name"], MET, valid_until, list(schemes))


def schedule_values(tuk_id: str, **changes: Any) -> dict[str, Any]:
    return {"skema": SCHEME_NUMBER, "tanggal": SOON.isoformat(), "mulai": "08:00", "selesai": "16:00",
            "tuk_id": tuk_id, "tautan": "https://meet.example.org/uji-k3", "kuota_min": "1", "kuota_maks": "3",
            **changes}


def session(app, on: date = SOON, tenant: str = TENANT, **changes: Any) -> str:
    """A remote session with room for 40 (the changes override the schedule's fields)."""
    tuk_id = app.register_tuk(tenant, ADMIN, BIG_TUK)
    return app.create_schedule(tenant, ADMIN, schedule_values(tuk_id, tanggal=on.isoformat(),
                                                              **{"kuota_maks": "40", **changes}))


def placed(app, schedule_id: str, position: int, tenant: str = TENANT, **kwargs: Any) -> str:
    """A case of its own asesi ("asesi-<position>") opened and placed in the session."""
    kwargs.setdefault("asesi", {"id": f"asesi-{position}", "name": f"Asesi {position}"})
    case_id = opened_case(app, tenant=tenant, position=position, **kwargs)
    app.place_case(tenant, ADMIN, schedule_id, case_id)
    return case_id


def assigned_case(app, position: int = 1, tenant: str = TENANT, schedule_id: str | None = None,
                  **kwargs: Any) -> str:
    """Placed, its assessor (ASESOR_USER, registered if need be) appointed and confirmed: AssessorAssigned."""
    from services.scheduling.domain import assessor_id
    if not app.exists(assessor_id(tenant, ASESOR_USER["id"])):
        registered(app, tenant=tenant)
    case_id = placed(app, schedule_id or session(app, tenant=tenant), position, tenant=tenant, **kwargs)
    app.assign_assessor(tenant, ADMIN, case_id, ASESOR_USER["id"])
    app.confirm_assignment(tenant, ASESOR, case_id, CLEAR)
    return case_id
