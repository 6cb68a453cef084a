"""Relay: the service's notification log -> its topic exchange, in order, at least once.

Position is tracked in the service's own store (tracking name "<service>.relay"), advanced only
after the broker confirmed the publish. A crash between publish and advance re-publishes; the
envelope id is stable, and consumers drop what they have already tracked.
"""
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable

import psycopg
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from kombu import Connection, Producer

from shared.eventstore import ServiceApplication
from shared.messaging.envelopes import to_envelope
from shared.messaging.topology import events_exchange

log = logging.getLogger(__name__)

# Fault injection for crash tests: stall forever right before/after publishing this event type.
_STALL_BEFORE = os.environ.get("LSP_FAULT_STALL_BEFORE_PUBLISH", "")
_STALL_AFTER = os.environ.get("LSP_FAULT_STALL_AFTER_PUBLISH", "")


class RelayLock:
    """One publishing relay per service, however many processes of it run.

    On PostgreSQL the relay holds an advisory lock on a connection of its own; another process of
    the same service stands by and takes over when the holder dies (its session, and so its lock,
    ends with it). SQLite stores belong to one process, so there the lock is always held.
    """

    def __init__(self, app: ServiceApplication):
        recorder = app.recorder
        self.connect_kwargs: dict | None = None
        if isinstance(recorder, PostgresTrackingRecorder):
            self.connect_kwargs = {k: v for k, v in recorder.datastore.pool.kwargs.items() if k != "row_factory"}
            name = f"{recorder.datastore.schema}.{app.name}.relay".encode()
            self.key = int.from_bytes(hashlib.sha256(name).digest()[:8], "big", signed=True)
        self.connection: psycopg.Connection | None = None
        self.checked_at = 0.0

    def hold(self) -> bool:
        if self.connect_kwargs is None:
            return True
        try:
            if self.connection is None:
                connection = psycopg.connect(**self.connect_kwargs, autocommit=True)
                if not connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0]:
                    connection.close()
                    return False
                self.connection = connection
            elif time.monotonic() - self.checked_at > 1.0:
                self.connection.execute("SELECT 1")  # still our session, so still our lock
            self.checked_at = time.monotonic()
            return True
        except psycopg.Error:
            self.release()
            return False

    def release(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Relay:
    batch = 100

    def __init__(self, app: ServiceApplication, broker_uri: str,
                 sleep: Callable[[float], None] = time.sleep):
        self.app = app
        self.source = app.name
        self.tracking_name = f"{self.source}.relay"
        self.exchange = events_exchange(self.source)
        self.broker_uri = broker_uri
        self.sleep = sleep
        self.wake = threading.Event()
        self.connection: Connection | None = None
        self.producer: Producer | None = None
        self.lock = RelayLock(app)
        self._position: int | None = None  # cached while this relay holds the lock

    def position(self) -> int:
        if self._position is None:
            self._position = self.app.recorder.max_tracking_id(self.tracking_name) or 0
        return self._position

    def _producer(self) -> Producer:
        if self.producer is None:
            self.connection = Connection(self.broker_uri, transport_options={"confirm_publish": True})
            self.producer = Producer(self.connection.channel(), exchange=self.exchange, serializer="json")
            self.exchange(self.producer.channel).declare()
        return self.producer

    def close(self) -> None:
        if self.connection is not None:
            self.connection.release()
        self.connection = self.producer = None
        self._position = None
        self.lock.release()

    def publish_pending(self) -> int:
        """Publish everything after the tracked position; returns how many were published."""
        notifications = self.app.recorder.select_notifications(
            start=self.position(), limit=self.batch, inclusive_of_start=False)
        for notification in notifications:
            event = self.app.mapper.to_domain_event(notification)
            envelope = to_envelope(self.source, notification.id, notification.topic, event)
            self._stall_if(_STALL_BEFORE, envelope.type, "before")
            self._producer().publish(
                envelope.model_dump(mode="json"), routing_key=envelope.type, delivery_mode=2,
                message_id=envelope.id,
                headers={"nameko.call_id_stack": [f"{self.source}.relay.{envelope.id}"],
                         "nameko.correlation_id": envelope.correlation_id},
                retry=True, retry_policy={"max_retries": 3})
            self._stall_if(_STALL_AFTER, envelope.type, "after")
        if notifications:  # one position per batch: a crash mid-batch only re-publishes (consumers dedupe)
            self.app.recorder.insert_tracking(Tracking(self.tracking_name, notifications[-1].id))
            self._position = notifications[-1].id
        return len(notifications)

    def _stall_if(self, event_type: str, actual: str, when: str) -> None:
        if event_type and event_type == actual:
            log.warning("FAULT: relay %s stalled %s publishing %s", self.source, when, actual)
            print(f"FAULT-STALL {self.source} {when} {actual}", flush=True)
            while True:
                self.sleep(3600)

    def run(self, stopping: Callable[[], bool], poll_interval: float) -> None:
        """Loop until stopping(); wakes early when a command in this process saved events."""
        while not stopping():
            if not self.lock.hold():  # another process of this service is relaying
                self.wake.wait(1.0)
                continue
            try:
                if self.publish_pending():
                    continue
            except Exception:  # broker or database away: keep the position, try again
                log.exception("relay %s failed; retrying", self.source)
                self.close()
                self.sleep(1.0)
                continue
            self.wake.wait(poll_interval)
            self.wake.clear()
