"""Two admins of a branch racing through real HTTP requests against the running platform: for the last free
seat of a session, and for the last place an assessor has in a session. One wins, the other gets 409, and the
counts stay right."""
import threading
from typing import Any

import httpx

from tests.support.driver import (
    ADMIN,
    Session,
    login,
    ok_or_none,
    open_branch,
    pay_case,
    session_for,
    signup_asesi,
    wait_for,
)


def race(*requests: Any) -> list[int]:
    """Send the requests at the same moment, each on its own connection; their status codes in order."""
    barrier, codes = threading.Barrier(len(requests)), [0] * len(requests)

    def send(index: int, request: Any) -> None:
        barrier.wait()
        codes[index] = request().status_code
    threads = [threading.Thread(target=send, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def second_admin(http: httpx.Client, platform: Session, code: str, url: str) -> Session:
    email = f"admin2.{code.lower()}@lsp-katiga.co.id"
    platform.ok(platform.post(f"/api/branches/{code}/users", {"email": email, "name": f"Admin Kedua {code}",
                                                              "password": "rahasia123", "role": "admin_lsp"}), 201)
    return login(httpx.Client(base_url=url, timeout=20), email, "rahasia123")


def test_two_admins_racing_for_seats_and_for_an_assessor(embedded):
    http = httpx.Client(base_url=embedded.url, timeout=20)
    platform = login(http, *ADMIN)
    branch = open_branch(http, platform, "RCE01")
    other = second_admin(http, platform, "RCE01", embedded.url)
    first = login(httpx.Client(base_url=embedded.url, timeout=20), "admin_lsp.rce01@lsp-katiga.co.id", "rahasia123")
    cases = [pay_case(http, branch, signup_asesi(http, "RCE01", f"asesi{i}.rce@contoh.co.id"))["case_id"]
             for i in range(4)]
    scheme = [wait_for(lambda c=c: ok_or_none(branch.admin.get(f"/api/scheduling/cases/{c}")),
                       what="the case in scheduling") for c in cases][0]["scheme"]["number"]
    schedule_id = session_for(branch, scheme)
    one_seat = branch.admin.ok(branch.admin.post("/api/schedules", {
        "skema": scheme, "tanggal": "2031-01-06", "mulai": "08:00", "selesai": "12:00", "tuk_id": branch.tuk_id,
        "tautan": "https://meet.example.org/uji", "kuota_min": "1", "kuota_maks": "1"}), 201)["id"]
    codes = race(lambda: first.post(f"/api/schedules/{one_seat}/cases", {"case_id": cases[0]}),
                 lambda: other.post(f"/api/schedules/{one_seat}/cases", {"case_id": cases[1]}))
    assert sorted(codes) == [200, 409], codes
    taken = branch.admin.ok(branch.admin.get(f"/api/schedules/{one_seat}"))
    assert taken["placed"] == 1 and len(taken["seats"]) == 1

    # the branch allows one asesi per assessor per session; two admins appoint the same assessor at once
    branch.admin.ok(branch.admin.put("/api/scheduling/rules", {"asesi_per_assessor": 1}))
    for case_id in cases[2:]:
        branch.admin.ok(branch.admin.post(f"/api/schedules/{schedule_id}/cases", {"case_id": case_id}))
    codes = race(*(lambda case_id=case_id, who=who: who.post(f"/api/scheduling/cases/{case_id}/assign",
                                                             {"assessor_id": branch.asesor_id})
                   for case_id, who in zip(cases[2:], (first, other), strict=True)))
    assert sorted(codes) == [200, 409], codes
    session = wait_for(lambda: (s := branch.admin.ok(branch.admin.get(f"/api/schedules/{schedule_id}")))
                       .get("assessors") and s, what="the assignment map")
    assert session["assessors"] == {branch.asesor_id: [c for c in cases[2:] if branch.admin.ok(
        branch.admin.get(f"/api/scheduling/cases/{c}"))["status"] == "appointed"]}
    assert len(session["assessors"][branch.asesor_id]) == 1
    [assessor] = branch.admin.ok(branch.admin.get("/api/assessors"))
    assert assessor["load"] == 1
