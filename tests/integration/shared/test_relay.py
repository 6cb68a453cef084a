"""Relay -> RabbitMQ: stored events go out in order, confirmed, each once per position."""
import pytest
from kombu import Connection, Queue

from shared.eventstore import event_store_env
from shared.messaging.relay import Relay
from shared.messaging.topology import events_exchange, handler_queue
from tests.conftest import ACTOR, TAG, created, eventually
from tests.integration.sample_source import SourceApp

pytestmark = pytest.mark.integration

RELAY_SOURCE = f"itrelay{TAG}"


class RelaySourceApp(SourceApp):
    name = RELAY_SOURCE


def drain(conn: Connection, queue: Queue) -> list:
    bound = queue(conn.default_channel)
    messages = []
    while (message := bound.get(no_ack=True)) is not None:
        messages.append(message)
    return messages


def test_relay_publishes_stored_events_in_order_once(settings, amqp_uri):
    app = RelaySourceApp(env=event_store_env(settings, RELAY_SOURCE))
    # nameko's queue for a handler "on_opened" of a service "itconsumer", and a spy on everything
    handler = handler_queue(RELAY_SOURCE, "TicketOpened", f"itconsumer{TAG}", "on_opened")
    spy = Queue(f"itspy{TAG}", exchange=events_exchange(RELAY_SOURCE), routing_key="#", durable=False)
    created(queues=(handler.name, spy.name), exchanges=(f"{RELAY_SOURCE}.events",))
    with Connection(amqp_uri) as conn:
        handler(conn.default_channel).declare()
        spy(conn.default_channel).declare()
        first = app.open_ticket("T1", ACTOR, "one")
        app.open_ticket("T1", ACTOR, "two")
        app.retitle("T1", ACTOR, first, "one, renamed")

        relay = Relay(app, amqp_uri)
        try:
            assert relay.publish_pending() == 3
            assert relay.publish_pending() == 0
        finally:
            relay.close()
        assert relay.position() == 3
        restarted = Relay(app, amqp_uri)  # a new process resumes from the stored position
        try:
            assert restarted.publish_pending() == 0
        finally:
            restarted.close()

        everything = drain(conn, spy)
        assert [m.payload["position"] for m in everything] == [1, 2, 3]
        assert [m.delivery_info["routing_key"] for m in everything] == \
            ["TicketOpened", "TicketOpened", "TicketRetitled"]
        opened = drain(conn, handler)
        assert [m.payload["data"]["title"] for m in opened] == ["one", "two"]
        envelope = opened[0].payload
        assert envelope["id"] == f"{RELAY_SOURCE}:1" == opened[0].properties["message_id"]
        assert (envelope["source"], envelope["tenant"], envelope["aggregate_id"]) == (RELAY_SOURCE, "T1", first)
        assert envelope["actor"]["id"] == ACTOR["id"]
        assert opened[0].content_type == "application/json"
        assert opened[0].properties["delivery_mode"] == 2
    app.close()


def test_only_one_relay_per_service_publishes_and_a_standby_takes_over(settings, amqp_uri):
    first_process = RelaySourceApp(env=event_store_env(settings, RELAY_SOURCE))
    second_process = RelaySourceApp(env=event_store_env(settings, RELAY_SOURCE))
    active, standby = Relay(first_process, amqp_uri), Relay(second_process, amqp_uri)
    try:
        assert active.lock.hold() and active.lock.hold()
        assert not standby.lock.hold()
        active.close()  # the active process stops (or dies: its session ends all the same)
        # the server lets the lock go when it has ended that session, a moment after the client closed it;
        # a standby keeps trying (the relay loop does), so it takes over within moments
        eventually(standby.lock.hold, timeout=5, what="the standby taking the lock over")
        assert not Relay(first_process, amqp_uri).lock.hold()
    finally:
        active.close()
        standby.close()
        first_process.close()
        second_process.close()
