"""Live integration events over Server-Sent Events, filtered by branch.

One kombu consumer thread per gateway process listens to every service's exchange and hands
each envelope to the subscribed clients' asyncio queues; a client only ever receives events
of its own branch (platform admins: every branch, or the one they ask for).
"""
import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from shared.messaging.consumer import QueueWorker
from shared.messaging.topology import live_queue
from shared.web import BranchParam, CurrentUser, branch_of

router = APIRouter(tags=["streams"])


class EventHub:
    def __init__(self, broker_uri: str):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.subscribers: set[tuple[str | None, asyncio.Queue]] = set()
        self.worker = QueueWorker(broker_uri, [(live_queue(uuid.uuid4().hex), self.publish)], "live-events")

    def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    def publish(self, envelope: dict[str, Any]) -> None:
        """Called in the consumer thread."""
        assert self.loop is not None
        for tenant, queue in list(self.subscribers):
            if tenant is None or tenant == envelope.get("tenant"):
                self.loop.call_soon_threadsafe(queue.put_nowait, envelope)

    async def subscribe(self, tenant: str | None, keepalive: float = 15.0) -> AsyncIterator[dict[str, Any] | None]:
        """The tenant's envelopes as they come; None every `keepalive` seconds of silence."""
        entry = (tenant, asyncio.Queue(maxsize=1000))
        self.subscribers.add(entry)
        try:
            while True:
                try:
                    yield await asyncio.wait_for(entry[1].get(), keepalive)
                except TimeoutError:
                    yield None
        finally:
            self.subscribers.discard(entry)


@router.get("/api/events/stream", response_class=EventSourceResponse,
            summary="Live integration events of your branch (SSE; token in header or ?access_token=)")
async def stream(request: Request, user: CurrentUser, branch: BranchParam = None) -> AsyncIterator[ServerSentEvent]:
    tenant = branch_of(user, branch) if (user.tenant or branch) else None
    hub: EventHub = request.app.state.hub
    yield ServerSentEvent(event="ready", data={"branch": tenant})
    async for envelope in hub.subscribe(tenant):
        if await request.is_disconnected():
            break
        if envelope is None:  # keeps proxies from closing an idle stream
            yield ServerSentEvent(comment="ping")
        else:
            yield ServerSentEvent(event=envelope["type"], id=envelope["id"], data=envelope)
