"""The walking skeleton's checks, shared by the embedded and the distributed e2e tests."""
import httpx

from tests.support.driver import ADMIN, Branch, login, open_branch, run_case, signup_asesi, verify_certificate, wait_for
from tests.support.sse import EventCollector

HEADLINE = ["ApplicationSubmitted", "PaymentVerified", "AssessorAssigned", "RecommendationGiven",
            "CertificateIssued"]


def run_skeleton(url: str) -> tuple[dict, Branch]:
    """Two branches; one case in JKT01 through the SOP order over HTTP; live stream, public
    verification and timeline checked. Returns the case and its branch."""
    http = httpx.Client(base_url=url, timeout=20)
    admin = login(http, *ADMIN)
    jkt, sby = open_branch(http, admin, "JKT01"), open_branch(http, admin, "SBY01")
    jkt_stream = EventCollector(f"{url}/api/events/stream", jkt.admin.token)
    sby_stream = EventCollector(f"{url}/api/events/stream", sby.admin.token)
    try:
        case = run_case(http, jkt, signup_asesi(http, "JKT01", "budi@contoh.co.id"))

        # anyone verifies the certificate by its number and holder's name, without logging in
        number = case["certificate_number"]
        certificate = wait_for(lambda: verify_certificate(http, number), what="certificate")
        assert certificate["holder"]["name"] == "Budi Santoso" and certificate["status"] == "berlaku"

        # JKT01's live stream saw the five headline events of the case in order; SBY01's saw none of it
        wait_for(lambda: "CertificateIssued" in jkt_stream.types(), what="CertificateIssued on the stream")
        of_case = [e["type"] for e in jkt_stream.events if e["correlation_id"] == case["case_id"]]
        assert [t for t in of_case if t in HEADLINE] == HEADLINE
        assert {e["tenant"] for e in jkt_stream.events} == {"JKT01"}
        assert {e["tenant"] for e in sby_stream.events} <= {"SBY01"}
        assert not [e for e in sby_stream.events if e["correlation_id"] == case["case_id"]]
    finally:
        jkt_stream.close()
        sby_stream.close()

    # the timeline, rebuilt from the four event logs, is complete, ordered and attributed
    timeline = jkt.admin.ok(jkt.admin.get(f"/api/cases/{case['case_id']}/timeline"))
    types = [e["type"] for e in timeline["events"]]
    assert [t for t in types if t in HEADLINE] == HEADLINE
    assert {e["service"] for e in timeline["events"]} == {"registration", "scheduling", "assessment",
                                                            "certification"}
    times = [e["occurred_at"] for e in timeline["events"]]
    assert times == sorted(times)
    assert all(e["actor"]["id"] and e["actor"]["role"] for e in timeline["events"])
    assert sby.admin.get(f"/api/cases/{case['case_id']}/timeline").status_code == 404
    return case, jkt


def timeline_counts(session, case_id: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in session.ok(session.get(f"/api/cases/{case_id}/timeline"))["events"]:
        counts[entry["type"]] = counts.get(entry["type"], 0) + 1
    return counts
