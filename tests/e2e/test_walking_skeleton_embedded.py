"""The walking skeleton through HTTP only, in the embedded runtime (one process, SQLite)."""
import httpx

from tests.e2e.driver import ADMIN, login, open_branch, run_case, signup_asesi, wait_for
from tests.e2e.sse import EventCollector

HEADLINE = ["ApplicationSubmitted", "PaymentVerified", "AssessorAssigned", "RecommendationGiven",
            "CertificateIssued"]


def test_case_runs_end_to_end_with_live_stream_timeline_and_restart(embedded):
    http = httpx.Client(base_url=embedded.url, timeout=10)
    admin = login(http, *ADMIN)
    jkt = open_branch(http, admin, "JKT01")
    sby = open_branch(http, admin, "SBY01")
    jkt_stream = EventCollector(f"{embedded.url}/api/events/stream", jkt.admin.token)
    sby_stream = EventCollector(f"{embedded.url}/api/events/stream", sby.admin.token)

    asesi = signup_asesi(http, "JKT01", "budi@contoh.id")
    case = run_case(http, jkt, asesi)

    # anyone verifies the certificate by its number, without logging in
    number = case["certificate_number"]
    certificate = wait_for(lambda: ok(http.get(f"/api/public/certificates/{number}")), what="certificate")
    assert certificate["holder"]["name"] == "Budi Santoso"
    assert certificate["status"] == "berlaku"

    # the live stream of JKT01 saw the five headline events of the case, in order; SBY01 saw none
    wait_for(lambda: "CertificateIssued" in jkt_stream.types(), what="CertificateIssued on the stream")
    of_case = [e["type"] for e in jkt_stream.events if e["correlation_id"] == case["case_id"]]
    assert [t for t in of_case if t in HEADLINE] == HEADLINE
    assert all(e["tenant"] == "JKT01" for e in jkt_stream.events)
    assert not [e for e in sby_stream.events if e["tenant"] != "SBY01"]
    jkt_stream.close()
    sby_stream.close()

    # the timeline, rebuilt from the four event logs, is complete and ordered
    timeline = jkt.admin.ok(jkt.admin.get(f"/api/cases/{case['case_id']}/timeline"))
    types = [e["type"] for e in timeline["events"]]
    assert [t for t in types if t in HEADLINE] == HEADLINE
    assert {e["service"] for e in timeline["events"]} == {"registration", "scheduling", "assessment", "certification"}
    times = [e["occurred_at"] for e in timeline["events"]]
    assert times == sorted(times)
    assert all(e["actor"] for e in timeline["events"])
    # another branch cannot see it
    assert sby.admin.get(f"/api/cases/{case['case_id']}/timeline").status_code == 404

    # stop and start again: the event stores persist, read models are rebuilt from them
    embedded.stop()
    embedded.start()
    http = httpx.Client(base_url=embedded.url, timeout=10)
    assert ok(http.get(f"/api/public/certificates/{number}"))["holder"]["name"] == "Budi Santoso"
    admin_again = login(http, "admin_lsp.jkt01@lsp-katiga.co.id", "rahasia123")
    application = admin_again.ok(admin_again.get(f"/api/applications/{case['case_id']}"))
    assert application["status"] == "paid"
    assert application["invoice"]["number"] == case["invoice"]["number"]


def ok(response):
    return response.json() if response.status_code == 200 else None
