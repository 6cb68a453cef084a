"""The nameko adapter under real `nameko run` processes (monkey-patched, as in production)."""
import json
import re
import threading
import time
from pathlib import Path

import pytest
from kombu import Connection, Exchange

from deploy.run_local import Stack, nameko_argv, queue_consumed, rpc_ready
from services.gateway.web.i18n import error_message
from shared.deadletters import DeadLetter
from shared.errors import Invalid, NotFound
from shared.messaging.rpc import RpcBus, ServiceUnavailable
from tests.conftest import ACTOR, created, eventually
from tests.integration import flaky_service, sample_sink, sample_source

pytestmark = pytest.mark.integration

SOURCE, SINK = sample_source.NAME, sample_sink.NAME
BAD_SIGNS = re.compile(r"PoolTimeout|psycopg\.|OperationalError|Error connecting to broker|CRITICAL"
                       r"|relay \S+ failed|Killing|killed")


@pytest.fixture(scope="module")
def stack(it_env, it_dir):
    """One process running both sample services, one running the flaky handlers."""
    stack = Stack(it_env, it_dir / "logs")
    uri = it_env["LSP_AMQP_URI"]
    stack.add("samples", nameko_argv("tests.integration.sample_services"),
              lambda: rpc_ready(uri, SOURCE) and rpc_ready(uri, SINK))
    stack.add("flaky", nameko_argv("tests.integration.flaky_service"),
              lambda: queue_consumed(uri, _flaky_queue("on_ping")))
    created(queues=(f"rpc-{SOURCE}", f"rpc-{SINK}", _flaky_queue("on_ping"), _flaky_queue("plain_on_ping"),
                    f"evt-{SOURCE}-TicketOpened--{SINK}.on_{SOURCE}_TicketOpened"),
            exchanges=(f"{SOURCE}.events", f"{SINK}.events", f"{flaky_service.SOURCE}.events"))
    try:
        for name in stack.procs:
            stack.start(name)
        stack.wait_ready(timeout=60)
        yield stack
    finally:
        started = time.monotonic()
        stack.stop()
        logs = {name: proc.output() for name, proc in stack.procs.items()}
    assert time.monotonic() - started < 15, "nameko did not stop on SIGTERM"
    for name, log in logs.items():  # failures the tests cause are expected; these are not
        assert not BAD_SIGNS.search(log), f"{name}:\n{log[-4000:]}"


@pytest.fixture
def bus(it_env):
    bus = RpcBus(it_env["LSP_AMQP_URI"], timeout=10)
    yield bus
    bus.close()


@pytest.fixture(scope="module")
def sink(settings):
    app = sample_sink.build_application(settings)
    yield app
    app.close()


def _flaky_queue(method: str) -> str:
    return f"evt-{flaky_service.SOURCE}-Ping--{flaky_service.FlakyService.name}.{method}"


def test_command_event_reaches_the_other_service(stack, bus, sink):
    ticket = bus.call(SOURCE, "open_ticket", tenant="T1", actor=ACTOR, title="hello")
    # relay (woken by the command) -> RabbitMQ -> ReliableEventHandler -> inbox -> sink's store
    eventually(lambda: sink.exists(sample_sink.mirror_id(ticket)), what="the mirror")
    assert sink.repository.get(sample_sink.mirror_id(ticket)).title == "hello"
    timeline = bus.case_timeline(SOURCE, "T1", ticket)
    assert [(e["service"], e["type"]) for e in timeline] == [(SOURCE, "TicketOpened")]
    assert bus.case_timeline(SOURCE, "another-branch", ticket) == []


def test_a_slow_query_does_not_stall_the_service(stack, bus):
    """psycopg's C wait would block every greenlet of the process (see make_psycopg_cooperative)."""
    slow = threading.Thread(target=bus.call, args=(SOURCE, "sleep_in_database"),
                            kwargs={"tenant": "T1", "actor": ACTOR, "seconds": 2})
    slow.start()  # its own thread, so its own RPC proxy
    time.sleep(0.3)
    started = time.monotonic()
    bus.call(SOURCE, "open_ticket", tenant="T1", actor=ACTOR, title="while the database is busy")
    elapsed = time.monotonic() - started
    slow.join(10)
    assert elapsed < 1.0, f"a concurrent command waited {elapsed:.2f}s for another's query"


def test_domain_errors_cross_rpc_with_template_field_and_params(stack, bus):
    with pytest.raises(Invalid) as invalid:
        bus.call(SOURCE, "open_ticket", tenant="T1", actor=ACTOR, title="")
    assert (invalid.value.message, invalid.value.field, invalid.value.params) == ("a ticket needs a title",
                                                                                  "title", {})
    with pytest.raises(NotFound) as not_found:
        bus.call(SOURCE, "drop_tables", tenant="T1")
    # rebuilt from its args, so the gateway can show it in Indonesian
    assert (not_found.value.template, not_found.value.field, not_found.value.params) == (
        "{service} has no command '{command}'", "command", {"service": SOURCE, "command": "drop_tables"})
    assert not_found.value.message == f"{SOURCE} has no command 'drop_tables'"
    assert error_message(not_found.value, "id") == f"layanan {SOURCE} tidak memiliki perintah 'drop_tables'"
    with pytest.raises(Invalid):
        bus.case_timeline(SOURCE, "T1", "not-a-uuid")
    with pytest.raises(ServiceUnavailable, match="not running"):
        bus.call("no-such-service", "anything")


def test_poison_event_is_parked_then_replayed_over_rpc(stack, bus, sink, it_dir):
    ticket = bus.call(SOURCE, "open_ticket", tenant="T1", actor=ACTOR, title="poison pill")

    def parked():
        for notification in sink.recorder.select_notifications(start=None, limit=1000):
            event = sink.mapper.to_domain_event(notification)
            if isinstance(event, DeadLetter.Event) and getattr(event, "envelope", {}).get("aggregate_id") == ticket:
                return event.originator_id
        return None

    letter_id = eventually(parked, what="the dead letter")
    assert not sink.exists(sample_sink.mirror_id(ticket))
    (Path(it_dir) / "fixed").touch()  # the operator deploys a fix ...
    try:
        assert bus.replay_dead_letter(SINK, str(letter_id), ACTOR) == "replayed"  # ... and replays
    finally:
        (Path(it_dir) / "fixed").unlink()
    assert sink.exists(sample_sink.mirror_id(ticket))
    assert bus.replay_dead_letter(SINK, str(letter_id), ACTOR) == "already replayed"


def test_reliable_handler_redelivers_what_failed(stack, it_env, it_dir):
    pings = [{"id": f"p{n}-{time.monotonic_ns()}", "fail_times": n} for n in (0, 2, 3)]
    exchange = Exchange(f"{flaky_service.SOURCE}.events", type="topic", durable=True)
    with Connection(it_env["LSP_AMQP_URI"]) as conn:
        producer = conn.Producer(serializer="json")
        for ping in pings:
            producer.publish(ping, exchange=exchange, routing_key="Ping", declare=[exchange], delivery_mode=2)

        def read(kind: str, ping: dict) -> int:
            path = Path(it_dir) / f"{kind}-{ping['id']}"
            return int(path.read_text()) if path.exists() else 0

        eventually(lambda: all(read("handled", p) for p in pings), what="every ping handled")
        for ping in pings:
            assert read("reliable", ping) == ping["fail_times"] + 1  # failed n times, then handled
            assert read("handled", ping) == 1
            assert read("plain", ping) == 1  # nameko's own handler: failed once, message gone
        for method in ("on_ping", "plain_on_ping"):
            queue = conn.default_channel.queue_declare(_flaky_queue(method), passive=True)
            assert queue.message_count == 0, json.dumps(queue._asdict())
