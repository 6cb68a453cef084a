"""Projector: follows one service's own notification log into its read models.

Read models are built from the ordered event log (not from the broker), with the log position
kept in the read store; each document is guarded by aggregate version, so replays are harmless.
Dropping a read database and restarting rebuilds it; embedded start-up does exactly that.

Run standalone (distributed mode): python -m services.projector registration [scheduling ...]
"""
import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from shared.contracts import Envelope
from shared.eventstore import ServiceApplication
from shared.messaging.envelopes import to_envelope
from shared.readstore import ReadStore

log = logging.getLogger(__name__)

Projection = Callable[[ReadStore, Envelope], Awaitable[None]]


async def project_dead_letter(store: ReadStore, env: Envelope) -> None:
    fields: dict[str, Any] = {"tenant": env.tenant, "updated_at": env.occurred_at}
    if env.type == "DeadLetterParked":
        inner = env.data["envelope"]
        fields.update(type=inner["type"], envelope_id=inner["id"], error=env.data["error"],
                      attempts=env.data["attempts"], replayed=False, parked_at=env.occurred_at)
    elif env.type == "DeadLetterReplayed":
        fields["replayed"] = True
    else:
        fields["error"] = env.data["error"]
    await store.upsert_versioned(env.source, "dead_letters", env.aggregate_id, env.aggregate_version, fields)


DEAD_LETTER_PROJECTIONS: dict[str, Projection] = {
    "DeadLetterParked": project_dead_letter, "DeadLetterReplayed": project_dead_letter,
    "DeadLetterReplayFailed": project_dead_letter}


class Projector:
    batch = 500

    def __init__(self, app: ServiceApplication, store: ReadStore, projections: dict[str, Projection]):
        self.app = app
        self.store = store
        self.projections = {**DEAD_LETTER_PROJECTIONS, **projections}
        self.name = f"{app.name}.projector"
        self.wake = asyncio.Event()

    async def catch_up(self) -> int:
        """Project everything recorded since the stored position; returns how many events."""
        done = 0
        while True:
            start = await self.store.get_position(self.app.name, self.name)
            notifications = await asyncio.to_thread(
                self.app.recorder.select_notifications, start=start, limit=self.batch,
                inclusive_of_start=False)
            if not notifications:
                return done
            for notification in notifications:
                event = self.app.mapper.to_domain_event(notification)
                envelope = to_envelope(self.app.name, notification.id, notification.topic, event)
                handler = self.projections.get(envelope.type)
                if handler is not None:
                    await handler(self.store, envelope)
            await self.store.set_position(self.app.name, self.name, notifications[-1].id)
            done += len(notifications)

    async def run(self, stop: asyncio.Event, poll_interval: float) -> None:
        while not stop.is_set():
            try:
                await self.catch_up()
            except Exception:  # read store away: keep the position, try again
                log.exception("projector %s failed; retrying", self.name)
                await asyncio.sleep(1.0)
                continue
            try:
                await asyncio.wait_for(self.wake.wait(), poll_interval)
            except TimeoutError:
                pass
            self.wake.clear()
