"""The walking skeleton and crash recovery in the distributed runtime: four `nameko run`
services, the projector and the gateway as real processes on RabbitMQ and PostgreSQL (with the
Mongo wire-protocol stand-in for read models)."""
import secrets
import signal
from collections import Counter
from pathlib import Path

import httpx
import pytest
from kombu import Connection, Queue, binding

from deploy.run_local import Ports, start_stack
from shared.messaging.topology import events_exchange
from tests.conftest import TAG, eventually, free_port, private_vhost
from tests.support.driver import (
    ADMIN,
    PERSONAL_DATA,
    finish_case,
    login,
    ok_or_none,
    open_branch,
    pay_case,
    session_for,
    signup_asesi,
    verify_certificate,
    wait_for,
)
from tests.support.skeleton import run_skeleton, timeline_counts
from tests.support.web_driver import fill_bagian1, log_in, office_login, reload_until, shots_dir, upload_all

pytestmark = pytest.mark.e2e



@pytest.fixture(scope="module")
def stack(settings, tmp_path_factory):  # `settings` drops this session's PostgreSQL schemas at the end
    name = f"t{TAG}_d{secrets.token_hex(2)}"
    with private_vhost(name) as amqp_uri:
        env = {"LSP_AMQP_URI": amqp_uri, "LSP_POSTGRES_SCHEMA_PREFIX": f"{name}_", "LSP_READ_DB_PREFIX": name,
               "LSP_RETRY_BASE_DELAY": "0.1"}
        ports = Ports(gateway=free_port(), mongo=free_port())
        stack = start_stack(env, ports, mongo_standin=True, data_dir=tmp_path_factory.mktemp("distributed"))
        stack.url = f"http://127.0.0.1:{ports.gateway}"
        try:
            yield stack
        finally:
            stack.stop()


def test_walking_skeleton_runs_distributed(stack):
    case, _ = run_skeleton(stack.url)
    # read models live in MongoDB and event stores in PostgreSQL: a gateway restart changes nothing
    stack.kill("gateway", signal.SIGKILL)
    stack.start("gateway")
    stack.wait_ready(["gateway"])
    http = httpx.Client(base_url=stack.url, timeout=10)
    assert verify_certificate(http, case["certificate_number"])["status"] == "berlaku"



def test_web_pages_work_distributed(stack, browser, tmp_path):
    """The web UI over the distributed runtime: uploads in GridFS, Bagian 1 sealed and opened by the
    gateway with the vault on PostgreSQL, the audit trail over RPC from the services' event logs."""
    from playwright.sync_api import expect
    shots = shots_dir(tmp_path)
    http = httpx.Client(base_url=stack.url, timeout=20)
    admin = login(http, *ADMIN)
    code, other = f"W{secrets.token_hex(2).upper()}", f"X{secrets.token_hex(2).upper()}"
    open_branch(http, admin, code)
    open_branch(http, admin, other)
    email = f"budi.{code.lower()}@contoh.co.id"

    page = browser.new_context(base_url=stack.url, viewport={"width": 390, "height": 844}).new_page()  # a phone
    page.goto("/daftar")
    page.fill("#branch", code.lower())
    page.fill("#name", "Budi Santoso")
    page.fill("#email", email)
    page.fill("#password", "rahasia123")
    page.get_by_role("button", name="Daftar sebagai asesi").click()
    expect(page.locator(".notice")).to_contain_text("Akun dibuat")
    log_in(page, email)
    page.wait_for_url("**/asesi")
    page.select_option("#scheme_id", label="Ahli K3 Umum (SKM/K3/AHLI-K3-UMUM/2025)")
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url("**/asesi/permohonan/*")
    expect(page.locator("#status")).to_contain_text("Draf")
    case_url = page.url.split("?")[0]
    case_id = case_url.rsplit("/", 1)[1]

    fill_bagian1(page, {**PERSONAL_DATA, "email": email})
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator(".notice")).to_contain_text("Tersimpan")
    expect(page.locator("#nik")).to_have_value(PERSONAL_DATA["nik"])  # sealed, stored, opened again
    uploaded = upload_all(page, "dist")  # into GridFS
    for requirement in uploaded:
        expect(page.locator(f"#field-dokumen-{requirement}")).to_contain_text(f"dist-{requirement}.pdf")
    page.screenshot(path=shots / "d01-apl01-draf.png", full_page=True)
    page.click("#submit-application")
    expect(page.locator("#status")).to_contain_text("Menunggu verifikasi admin")

    office = office_login(browser, stack.url, f"admin_lsp.{code.lower()}@lsp-katiga.co.id")
    office.wait_for_url("**/admin")
    row = f"tr:has(a[href='/admin/permohonan/{case_id}'])"
    reload_until(office, row, "Budi Santoso")  # in the queue (written by another session)
    queued = office.locator(row)
    queued.get_by_role("link", name="Periksa").click()
    office.wait_for_url(f"**/admin/permohonan/{case_id}")
    expect(office.locator("main")).to_contain_text(PERSONAL_DATA["nik"])  # opened by the gateway's vault
    expect(office.locator("main")).to_contain_text(PERSONAL_DATA["alamat_rumah"])

    requirement, content = next(iter(uploaded.items()))
    office.click(f"#view-{requirement} summary")  # the document shown in the page, and its download
    expect(office.locator(f"#view-{requirement}")).to_contain_text(f"dist-{requirement}.pdf")
    link = office.locator(f"#view-{requirement} a:not([target])")
    file_url = link.get_attribute("href")
    with office.expect_download() as download:  # the very bytes uploaded, back from GridFS
        link.click()
    assert download.value.suggested_filename == f"dist-{requirement}.pdf"
    assert Path(download.value.path()).read_bytes() == content

    assert office.locator("#verdicts fieldset[id^=document-]").count() == len(uploaded)
    for code in uploaded:
        office.check(f"input[name='verdict:{code}'][value=memenuhi]")
    office.click("#save-verdicts")
    expect(office.locator("[id^=saved-]")).to_have_count(len(uploaded))
    office.screenshot(path=shots / "d02-admin-verifikasi.png", full_page=True)
    office.select_option("#recommendation", "diterima")
    office.fill("#rec-notes", "lengkap")
    office.click("#sign-recommendation")
    # the invoice is issued by a policy whose event crosses the broker: allow it the time a loaded machine takes
    expect(office.locator("#status")).to_contain_text("Menunggu pembayaran", timeout=20_000)

    # the audit trail came over RPC from the services' event logs
    office.click("#history summary")
    for step in ("ApplicationSubmitted", "ApplicationAccepted"):
        expect(office.locator(f"#history tr[data-type={step}]")).to_have_count(1)
        expect(office.locator(f"#history tr[data-type={step}]")).to_be_visible()
    expect(office.locator("#history tr[data-type=ApplicationAccepted]")).to_contain_text("(admin LSP)")
    office.screenshot(path=shots / "d03-admin-riwayat.png", full_page=True)

    page.goto(case_url)  # the asesi's page follows the admin's step (another session, maybe lagging)
    reload_until(page, "#status", "Menunggu pembayaran")
    expect(page.locator("#invoice-pdf")).to_be_visible()

    # another branch's admin does not see the case
    stranger = office_login(browser, stack.url, f"admin_lsp.{other.lower()}@lsp-katiga.co.id")
    stranger.wait_for_url("**/admin")
    response = stranger.goto(f"/admin/permohonan/{case_id}")
    assert response.status == 404
    expect(stranger.locator("h1")).to_have_text("Halaman tidak ditemukan")
    assert PERSONAL_DATA["nik"] not in stranger.content()
    assert stranger.request.get(file_url).status == 404  # nor its documents
    for opened in (page, office, stranger):
        opened.context.close()


class Spy:
    """A private queue on the services' exchanges: counts what was really published."""

    def __init__(self, amqp_uri: str):
        self.connection = Connection(amqp_uri)
        self.queue = Queue(f"spy-{secrets.token_hex(3)}", exclusive=True, auto_delete=True,
                           bindings=[binding(events_exchange(s), routing_key="#")
                                     for s in ("registration", "scheduling")])
        self.queue(self.connection.channel()).declare()
        self.seen: Counter = Counter()

    def drain(self) -> Counter:
        channel = self.connection.channel()
        while (message := self.queue(channel).get(no_ack=True)) is not None:
            self.seen[(message.payload["type"], message.payload["correlation_id"])] += 1
        return self.seen


def crash_and_restart(stack, service: str, marker: str) -> None:
    """Wait until the service's relay stalls at the fault, kill -9 it, start it clean."""
    eventually(lambda: marker in stack.procs[service].output(), what=marker)
    assert stack.kill(service, signal.SIGKILL) == -signal.SIGKILL
    stack.start(service)
    stack.wait_ready([service])


@pytest.mark.parametrize("fault,service,event_type", [
    # FeasibilityReviewed is what scheduling consumes from registration (SOP 1.3 -> 1.5)
    ("LSP_FAULT_STALL_BEFORE_PUBLISH", "registration", "FeasibilityReviewed"),  # stored, never published
    ("LSP_FAULT_STALL_AFTER_PUBLISH", "registration", "FeasibilityReviewed"),   # published, position not saved
    ("LSP_FAULT_STALL_AFTER_PUBLISH", "scheduling", "AssessorAssigned"),
])
def test_service_killed_between_store_and_publish_loses_nothing_and_repeats_nothing(
        stack, fault, service, event_type):
    http = httpx.Client(base_url=stack.url, timeout=20)
    admin = login(http, *ADMIN)
    code = f"K{secrets.token_hex(2).upper()}"
    branch = open_branch(http, admin, code)
    asesi = signup_asesi(http, code, f"asesi.{code.lower()}@contoh.co.id")
    spy = Spy(stack.env["LSP_AMQP_URI"])
    stack.restart(service, extra_env={fault: event_type})
    marker = f"FAULT-STALL {service} {'before' if 'BEFORE' in fault else 'after'} {event_type}"

    case_id = pay_case(http, branch, asesi)["case_id"]
    crash = lambda: crash_and_restart(stack, service, marker)  # noqa: E731
    if service == "registration":
        crash()
    result = finish_case(branch, case_id, after_assign=crash if service == "scheduling" else lambda: None)

    # the case completed: one certificate, publicly verifiable
    certificate = wait_for(lambda: verify_certificate(http, result["certificate_number"]), what="certificate")
    assert certificate["holder"]["name"] == "Budi Santoso"
    # every event was delivered, and nothing happened twice
    counts = timeline_counts(branch.admin, case_id)
    for event in ("ApplicationSubmitted", "InvoiceIssued", "PaymentVerified", "SelfAssessmentSubmitted",
                  "FeasibilityReviewed", "CaseOpened", "AssessorAssigned", "AssessmentOpened",
                  "RecommendationGiven", "CaseReceived", "CertificateIssued"):
        assert counts.get(event) == 1, (event, counts)
    published = eventually(lambda: spy.drain()[(event_type, case_id)] >= 1, what="spy") and spy.seen
    expected = 2 if "AFTER" in fault else 1  # republished after the crash, and deduplicated downstream
    assert published[(event_type, case_id)] == expected, published
    certificates = [c for c in branch.admin.ok(branch.admin.get("/api/certificates"))]
    assert len(certificates) == 1



def test_scheduling_killed_mid_batch_loses_nothing_and_doubles_nothing(stack):
    """A placement proposal being applied when scheduling is killed (-9) and started again: rows sent while it
    was down are refused and reported, the rest applied once; a second proposal places what is left. In the end
    every case has exactly one seat, the session's seats are exactly its cases, and no case was appointed twice."""
    http = httpx.Client(base_url=stack.url, timeout=30)
    code = f"B{secrets.token_hex(2).upper()}"
    branch = open_branch(http, login(http, *ADMIN), code)
    cases = [pay_case(http, branch, signup_asesi(http, code, f"asesi{i}.{code.lower()}@contoh.co.id"))["case_id"]
             for i in range(8)]
    scheme = [wait_for(lambda c=c: ok_or_none(branch.admin.get(f"/api/scheduling/cases/{c}")), what="in scheduling")
              for c in cases][0]["scheme"]["number"]
    schedule_id = session_for(branch, scheme)  # ten seats, one assessor taking up to ten asesi

    plan = branch.admin.ok(branch.admin.get("/api/schedules/proposal"))
    assert len(plan["rows"]) == 8
    batch = branch.admin.ok(branch.admin.post("/api/schedules/proposal/apply", {"plan_hash": plan["plan_hash"]}), 202)
    wait_for(lambda: branch.admin.ok(branch.admin.get(f"/api/schedules/proposal/batches/{batch['id']}"))["done"] >= 2,
             what="the batch under way")
    assert stack.kill("scheduling", signal.SIGKILL) == -signal.SIGKILL
    stack.start("scheduling")
    stack.wait_ready(["scheduling"])
    first = wait_for(lambda: (b := branch.admin.ok(branch.admin.get(f"/api/schedules/proposal/batches/{batch['id']}")))
                     ["finished"] and b, what="the batch finished", timeout=120)
    assert first["done"] == first["total"] == 8  # every row applied or reported, none dropped
    leftover = branch.admin.ok(branch.admin.get("/api/schedules/proposal"))
    if leftover["rows"]:  # what the kill refused goes in with a second proposal
        second = branch.admin.ok(branch.admin.post("/api/schedules/proposal/apply",
                                                   {"plan_hash": leftover["plan_hash"]}), 202)
        wait_for(lambda: branch.admin.ok(branch.admin.get(f"/api/schedules/proposal/batches/{second['id']}"))
                 ["finished"], what="the second batch", timeout=120)
    for case_id in cases:  # the second proposal gives seated cases their assessor; one still in flight then: by hand
        case = wait_for(lambda c=case_id: (d := ok_or_none(branch.admin.get(f"/api/scheduling/cases/{c}")))
                        and d.get("schedule_id") and d, what="every case seated", timeout=60)
        if case["status"] == "awaiting_assessor":
            branch.admin.ok(branch.admin.post(f"/api/scheduling/cases/{case_id}/assign",
                                              {"assessor_id": branch.asesor_id}))
    session = wait_for(lambda: (s := branch.admin.ok(branch.admin.get(f"/api/schedules/{schedule_id}")))
                       and len((s.get("assessors") or {}).get(branch.asesor_id, [])) == 8 and s,
                       what="all eight with their assessor", timeout=60)
    assert sorted(seat["case_id"] for seat in session["seats"]) == sorted(cases) and session["placed"] == 8
    for case_id in cases:
        counts = timeline_counts(branch.admin, case_id)
        assert counts.get("CaseScheduled") == 1 and counts.get("AssessorAppointed") == 1, (case_id, counts)
