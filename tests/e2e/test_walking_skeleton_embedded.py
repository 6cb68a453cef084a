"""The walking skeleton through HTTP only, in the embedded runtime (one process, SQLite)."""
import httpx

from tests.support.driver import login, verify_certificate
from tests.support.skeleton import run_skeleton


def test_case_runs_end_to_end_and_survives_a_restart(embedded):
    case, _ = run_skeleton(embedded.url)

    # stop and start again: the event stores persist, read models are rebuilt from them
    embedded.stop()
    embedded.start()
    http = httpx.Client(base_url=embedded.url, timeout=10)
    certificate = verify_certificate(http, case["certificate_number"])
    assert certificate["holder"]["name"] == "Budi Santoso"
    admin = login(http, "admin_lsp.jkt01@lsp-katiga.co.id", "rahasia123")
    application = admin.ok(admin.get(f"/api/applications/{case['case_id']}"))
    assert application["status"] == "ready_for_scheduling"  # FR.APL.02 signed, found feasible (SOP 1.3)
    assert application["invoice"]["number"] == case["invoice"]["number"]
