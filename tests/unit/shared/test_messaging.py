"""The kernel's event path in-process: relay -> memory:// broker -> inbox, with tracking and DLQ."""
import threading
import time
from uuid import UUID

import pytest
from eventsourcing.domain import event
from kombu import Connection

from shared.aggregate import TenantAggregate, stable_id
from shared.errors import Conflict, Invalid, NotReady
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.consumer import QueueWorker
from shared.messaging.inbox import Inbox
from shared.messaging.relay import Relay
from shared.messaging.topology import handler_queue


class Order(TenantAggregate):
    @staticmethod
    def create_id(tenant: str, ref: str) -> UUID:
        return stable_id("order", tenant, ref)

    @event("OrderPlaced")
    def __init__(self, tenant: str, actor: dict, ref: str):
        self.tenant = tenant


class Mirror(TenantAggregate):
    @staticmethod
    def create_id(tenant: str, ref: str) -> UUID:
        return stable_id("mirror", tenant, ref)

    @event("Mirrored")
    def __init__(self, tenant: str, actor: dict, ref: str, caused_by: str):
        self.tenant = tenant


class Shop(ServiceApplication):
    name = "shop"
    commands = ()

    def policies(self):
        return {}


class Ledger(ServiceApplication):
    name = "ledger"
    commands = ()
    fail_with: Exception | None = None

    def policies(self):
        return {"shop:OrderPlaced": self.mirror}

    def mirror(self, envelope, data):
        if self.fail_with:
            raise self.fail_with
        return [Mirror(tenant=envelope.tenant, actor={"id": "sys", "role": "system", "name": ""},
                       ref=data["ref"], caused_by=envelope.id)]


ACTOR = {"id": "u", "role": "asesi", "name": "U"}


@pytest.fixture
def apps(settings):
    shop = Shop(env=event_store_env(settings, "shop"))
    ledger = Ledger(env=event_store_env(settings, "ledger"))
    yield shop, ledger
    shop.close()
    ledger.close()


def published(shop, count, ref_prefix="r"):
    for i in range(count):
        shop.save(Order(tenant="JKT01", actor=ACTOR, ref=f"{ref_prefix}{i}"))
    envelopes = []
    queue = handler_queue("shop", "OrderPlaced", "test", "collect")
    with Connection("memory://") as conn:
        queue(conn.channel()).declare()
        relay = Relay(shop, "memory://")
        relay.publish_pending()
        while (message := queue(conn.channel()).get(no_ack=True)) is not None:
            envelopes.append(message.payload)
        relay.close()
    return envelopes


def test_relay_publishes_in_order_once_and_resumes_from_its_position(apps):
    shop, _ = apps
    first = published(shop, 3)
    assert [e["position"] for e in first] == [1, 2, 3]
    assert [e["data"]["ref"] for e in first] == ["r0", "r1", "r2"]
    assert first[0]["id"] == "shop:1" and first[0]["tenant"] == "JKT01" and first[0]["actor"]["id"] == "u"
    assert published(shop, 0) == []  # nothing new: nothing re-published
    assert [e["position"] for e in published(shop, 1, "s")] == [4]


def test_inbox_applies_each_event_once_even_when_redelivered_or_late(apps, settings):
    shop, ledger = apps
    envelopes = published(shop, 3)
    inbox = Inbox(ledger, ledger.policies(), attempts=2, base_delay=0, sleep=lambda s: None)
    assert inbox.handle(envelopes[2]) == "processed"  # newest first
    assert inbox.handle(envelopes[0]) == "processed"  # an older one arriving late is not lost
    assert inbox.handle(envelopes[0]) == "duplicate"
    assert inbox.handle(envelopes[2]) == "duplicate"
    assert inbox.handle(envelopes[1]) == "processed"
    assert ledger.recorder.max_notification_id() == 3  # three Mirrored events, no more


def test_concurrent_deliveries_of_one_event_apply_once(apps):
    shop, ledger = apps
    envelope = published(shop, 1)[0]
    inbox = Inbox(ledger, ledger.policies(), attempts=3, base_delay=0.01)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(inbox.handle(envelope))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count("processed") == 1
    assert ledger.recorder.max_notification_id() == 1


def test_failing_event_is_retried_then_parked_and_replayed_once(apps):
    shop, ledger = apps
    envelope = published(shop, 1)[0]
    sleeps: list[float] = []
    inbox = Inbox(ledger, ledger.policies(), attempts=3, base_delay=0.1, sleep=sleeps.append)
    ledger.fail_with = NotReady("upstream not there yet")
    assert inbox.handle(envelope) == "parked"
    assert sleeps == [0.1, 0.2, 0.4]  # exponential back-off
    assert inbox.handle(envelope) == "duplicate"  # parked counts as handled: redelivery does nothing
    letter_id = stable_id("dead-letter", envelope["id"])
    letter = ledger.repository.get(letter_id)
    assert letter.envelope["id"] == "shop:1" and "upstream not there yet" in letter.error

    with pytest.raises(Conflict, match="still failing"):
        inbox.replay(letter_id, ACTOR)  # stays parked, with the new error
    assert ledger.repository.get(letter_id).replayed is False
    ledger.fail_with = None
    assert inbox.replay(letter_id, ACTOR) == "replayed"
    assert inbox.replay(letter_id, ACTOR) == "already replayed"
    assert ledger.exists(stable_id("mirror", "JKT01", "r0"))


def test_permanent_domain_error_is_parked_without_retrying(apps):
    shop, ledger = apps
    envelope = published(shop, 1)[0]
    sleeps: list[float] = []
    ledger.fail_with = Invalid("bad data", field="ref")
    assert Inbox(ledger, ledger.policies(), attempts=5, sleep=sleeps.append).handle(envelope) == "parked"
    assert sleeps == []


def test_worker_thread_consumes_from_memory_broker_and_requeues_on_failure(apps):
    shop, ledger = apps
    inbox = Inbox(ledger, ledger.policies(), attempts=1, base_delay=0)
    calls: list[str] = []

    def flaky(body):
        calls.append(body["id"])
        if len(calls) == 1:
            raise OSError("database away")  # the message must come back, not vanish
        return inbox.handle(body)

    worker = QueueWorker("memory://", [(handler_queue("shop", "OrderPlaced", "ledger", "m"), flaky)], "w")
    worker.start()
    try:
        shop.save(Order(tenant="JKT01", actor=ACTOR, ref="x"))
        Relay(shop, "memory://").publish_pending()
        deadline = time.monotonic() + 5
        while not ledger.exists(stable_id("mirror", "JKT01", "x")):
            assert time.monotonic() < deadline, calls
            time.sleep(0.02)
    finally:
        worker.stop()
    assert calls == ["shop:1", "shop:1"]
