"""Inbox on PostgreSQL: once per position, order-safe, failing events parked and replayable."""
import itertools
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest

from shared.deadletters import DeadLetter
from shared.errors import Conflict, NotReady
from shared.messaging.inbox import Inbox
from tests.conftest import ACTOR, TAG
from tests.integration.sample_sink import build_application, mirror_id

pytestmark = pytest.mark.integration

FAKE_SOURCE = f"itfake{TAG}"  # envelopes made by hand here, positions from one counter
_positions = itertools.count(1)


def envelope(title: str, position: int | None = None) -> dict:
    position = position or next(_positions)
    ticket = str(uuid.uuid4())
    return {"id": f"{FAKE_SOURCE}:{position}", "type": "TicketOpened", "schema_version": 1,
            "source": FAKE_SOURCE, "position": position, "tenant": "T1", "aggregate_id": ticket,
            "aggregate_version": 1, "occurred_at": datetime.now(UTC).isoformat(),
            "correlation_id": ticket, "actor": ACTOR, "data": {"title": title}}


@pytest.fixture(scope="module")
def sink(settings):
    app = build_application(settings)
    yield app
    app.close()


def inbox_for(sink, policy=None, attempts=3):
    return Inbox(sink, {f"{FAKE_SOURCE}:TicketOpened": policy or sink.on_ticket_opened},
                 attempts=attempts, base_delay=0.01)


def mirror_events(sink, body):
    return sink.stored_events(mirror_id(body["aggregate_id"]))


def test_redelivery_is_a_no_op(sink):
    inbox, body = inbox_for(sink), envelope("twice")
    assert inbox.handle(body) == "processed"
    assert inbox.handle(body) == "duplicate"
    assert len(mirror_events(sink, body)) == 1


def test_concurrent_deliveries_apply_once(sink):
    inbox, body = inbox_for(sink), envelope("raced")
    start, results = threading.Barrier(6), []

    def deliver():
        start.wait()
        results.append(inbox.handle(body))

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert Counter(results) == {"processed": 1, "duplicate": 5}
    assert len(mirror_events(sink, body)) == 1


def test_older_position_after_newer_is_still_processed(sink):
    inbox = inbox_for(sink)
    older, newer = next(_positions), next(_positions)
    late, early = envelope("older", older), envelope("newer", newer)
    assert inbox.handle(early) == "processed"
    assert inbox.handle(late) == "processed"  # multi-row tracking: not mistaken for a duplicate
    assert mirror_events(sink, late) and mirror_events(sink, early)


def test_not_ready_is_retried_until_it_applies(sink):
    calls = []

    def policy(env, data):
        calls.append(1)
        if len(calls) < 3:
            raise NotReady("what it depends on has not arrived")
        return sink.on_ticket_opened(env, data)

    body = envelope("eventually")
    assert inbox_for(sink, policy, attempts=4).handle(body) == "processed"
    assert len(calls) == 3 and mirror_events(sink, body)


def test_permanent_failure_is_parked_then_replayed(sink):
    broken = {"on": True}
    calls = []

    def policy(env, data):
        calls.append(1)
        if broken["on"]:
            raise RuntimeError("bug in the policy")
        return sink.on_ticket_opened(env, data)

    inbox, body = inbox_for(sink, policy, attempts=3), envelope("unlucky")
    assert inbox.handle(body) == "parked"
    assert len(calls) == 3
    letter = sink.repository.get(DeadLetter.create_id(body))
    assert (letter.attempts, letter.replayed, letter.envelope["id"]) == (3, False, body["id"])
    assert "RuntimeError: bug in the policy" in letter.error
    assert inbox.handle(body) == "duplicate"  # parked counts as handled: redelivery is a no-op
    assert not mirror_events(sink, body)

    with pytest.raises(Conflict, match="bug in the policy"):  # still broken: stays parked, recorded
        inbox.replay(letter.id, ACTOR)
    assert sink.repository.get(letter.id).attempts == 4

    broken["on"] = False
    assert inbox.replay(letter.id, ACTOR) == "replayed"
    assert len(mirror_events(sink, body)) == 1
    assert sink.repository.get(letter.id).replayed
    assert inbox.replay(letter.id, ACTOR) == "already replayed"
