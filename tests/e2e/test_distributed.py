"""The walking skeleton and crash recovery in the distributed runtime: four `nameko run`
services, the projector and the gateway as real processes on RabbitMQ and PostgreSQL (with the
Mongo wire-protocol stand-in for read models)."""
import secrets
import signal
from collections import Counter

import httpx
import pytest
from kombu import Connection, Queue, binding

from deploy.run_local import Ports, start_stack
from shared.messaging.topology import events_exchange
from tests.conftest import TAG, eventually, free_port, private_vhost
from tests.e2e.driver import ADMIN, finish_case, login, open_branch, pay_case, signup_asesi, wait_for
from tests.e2e.skeleton import ok, run_skeleton, timeline_counts

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
    assert ok(http.get(f"/api/public/certificates/{case['certificate_number']}"))["status"] == "berlaku"


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
    certificate = wait_for(lambda: ok(http.get(f"/api/public/certificates/{result['certificate_number']}")),
                           what="certificate")
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

