"""Live integration events over Server-Sent Events, each subscriber seeing only what its role may.

One kombu consumer thread per gateway process listens to every service's exchange. For each
envelope it first learns whose case it is (an event naming a subscriber as the case's `asesi` or
`assessor` adds the case to that subscriber's stream), then hands one stripped copy to:

- platform admins: every branch, or the one they name with ?branch=;
- the branch's office (STAFF: admin_lsp, manajer_sertifikasi, ketua_lsp): every event of the branch;
- an asesi: the records of their own cases; an asesor: those of the cases assigned to them.

asesor_penyelia and komite_teknis read no case of the branch through the API, so they get no
stream either (least privilege; open it when their steps exist). Nothing personal is sent (SENT):
a client that needs details asks the API, which applies its own access rules.
"""
import asyncio
import contextlib
import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from services import NAMES
from shared.access import assigned_cases
from shared.aggregate import is_case_part
from shared.messaging.consumer import QueueWorker
from shared.messaging.topology import live_queue
from shared.readstore import ReadStore
from shared.web import ASESI, ASESOR, STAFF, BranchParam, User, branch_of, read_store, require

router = APIRouter(tags=["streams"])

# What an event carries on a stream: which record of which case changed, when, and the role and id of
# who changed it. No `data` and no names: they hold applicants' personal data.
SENT = ("id", "type", "source", "tenant", "correlation_id", "aggregate_id", "aggregate_version", "occurred_at")
# The roles that see only their own cases, and the key naming them in a case's event data
# (ApplicationDrafted, ApplicationSubmitted, ... carry "asesi"; AssessorAssigned, ... carry "assessor").
CASE_KEYS = {ASESI: "asesi", ASESOR: "assessor"}
QUEUE_SIZE = 1000

Person = tuple[str, str]  # (CASE_KEYS value, user id)


def stripped(envelope: dict[str, Any]) -> ServerSentEvent:
    """The event as it goes out, serialised once for every subscriber that receives it."""
    actor = envelope.get("actor") or {}
    sent = {key: envelope.get(key) for key in SENT} | {"actor": {"id": actor.get("id"), "role": actor.get("role")}}
    return ServerSentEvent(event=envelope.get("type"), id=envelope.get("id"), raw_data=json.dumps(sent, default=str))


class Subscription:
    """One client's stream: its branch (None: every branch) and, for an asesi or asesor, whose cases."""

    def __init__(self, tenant: str | None, person: Person | None = None):
        self.tenant = tenant
        self.person = person  # None: every case of the branch
        self.cases: set[str] = set()
        self.queue: asyncio.Queue[ServerSentEvent] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self.overflowed = False

    def offer(self, event: ServerSentEvent) -> None:
        """In the event loop. A client too slow to keep up is cut off rather than silently missing
        events: EventSource reconnects, and the client reloads what it shows from the API."""
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True

    async def events(self, keepalive: float = 15.0) -> AsyncIterator[ServerSentEvent | None]:
        """Its events as they come; None every `keepalive` seconds of silence."""
        while not self.overflowed:
            try:  # not wait_for: its extra task per event can swallow the cancel of a departing client
                async with asyncio.timeout(keepalive):
                    event = await self.queue.get()
            except TimeoutError:
                event = None
            yield event


def deliver(receivers: list[Subscription], event: ServerSentEvent) -> None:
    for subscription in receivers:
        subscription.offer(event)


def add(index: dict[Any, set[Subscription]], key: Any, subscription: Subscription) -> None:
    index.setdefault(key, set()).add(subscription)


def discard(index: dict[Any, set[Subscription]], key: Any, subscription: Subscription) -> None:
    members = index.get(key, set())
    members.discard(subscription)
    if not members:
        index.pop(key, None)  # a departed client leaves nothing behind


class EventHub:
    """Routes each event to its receivers through indexes, so its cost grows with the number of
    receivers, not of subscribers: a branch's thousand asesi cost nothing for another's case."""

    def __init__(self, broker_uri: str):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.lock = threading.Lock()  # the consumer thread routes while the event loop (un)subscribes
        self.branch_wide: dict[str | None, set[Subscription]] = {}  # by branch; None: every branch
        self.people: dict[tuple[str | None, str, str], set[Subscription]] = {}  # by (branch, *person)
        self.watchers: dict[str, set[Subscription]] = {}  # by case id: the case-scoped subscriptions
        self.worker = QueueWorker(broker_uri, [(live_queue(uuid.uuid4().hex, NAMES), self.publish)], "live-events")

    def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    def _slot(self, subscription: Subscription) -> tuple[dict[Any, set[Subscription]], Any]:
        if subscription.person is None:
            return self.branch_wide, subscription.tenant
        return self.people, (subscription.tenant, *subscription.person)

    @contextlib.contextmanager
    def subscription(self, tenant: str | None, person: Person | None = None) -> Iterator[Subscription]:
        """Registered for the block; from its start, so it learns cases drafted or assigned meanwhile."""
        subscription = Subscription(tenant, person)
        with self.lock:
            add(*self._slot(subscription), subscription)
        try:
            yield subscription
        finally:
            with self.lock:
                discard(*self._slot(subscription), subscription)
                for case in subscription.cases:
                    discard(self.watchers, case, subscription)

    def watch(self, subscription: Subscription, cases: Iterable[str]) -> None:
        """Add cases the read models already list for the subscriber."""
        with self.lock:
            for case in cases:
                self._watch(subscription, case)

    def _watch(self, subscription: Subscription, case: str) -> None:
        subscription.cases.add(case)
        add(self.watchers, case, subscription)

    def publish(self, envelope: dict[str, Any]) -> None:
        """Called in the consumer thread; must not raise (kombu would redeliver the message forever)."""
        assert self.loop is not None
        with self.lock:
            self._learn(envelope)
            receivers = self._receivers(envelope)
        if receivers:  # one hop into the event loop per event, not one per subscriber
            self.loop.call_soon_threadsafe(deliver, receivers, stripped(envelope))

    def _learn(self, envelope: dict[str, Any]) -> None:
        """Read before the data is stripped: an event naming a subscriber as its case's asesi or
        assessor makes the case theirs, so a case drafted or assigned after they subscribed reaches them."""
        data = envelope.get("data") or {}
        for key in CASE_KEYS.values():
            named = data.get(key)
            person_id = named.get("id") if isinstance(named, dict) else None
            for subscription in self.people.get((envelope.get("tenant"), key, person_id), ()):
                self._watch(subscription, envelope.get("correlation_id"))

    def _receivers(self, envelope: dict[str, Any]) -> list[Subscription]:
        tenant, case = envelope.get("tenant"), envelope.get("correlation_id")
        receivers = [*self.branch_wide.get(tenant, ()), *self.branch_wide.get(None, ())]
        # A case-scoped subscriber gets the case's own records (what its timeline shows), not the
        # branch's invoice and certificate counters, an assessor's load or the e-mail notices.
        if case and is_case_part(str(envelope.get("aggregate_id")), case):  # its own records and its parts
            receivers += [s for s in self.watchers.get(case, ()) if s.tenant == tenant]
        return receivers


async def known_cases(store: ReadStore, tenant: str, user: User) -> set[str]:
    """The cases the read models already list for an asesi (their applications) or an asesor
    (assigned to them); later ones are learnt from the events as they pass."""
    if user.role == ASESOR:
        return await assigned_cases(store, tenant, user.id)
    docs = await store.find("registration", "applications", {"tenant": tenant, "asesi.id": user.id}, limit=None)
    return {doc["_id"] for doc in docs}


@router.get("/api/events/stream", response_class=EventSourceResponse,
            summary="Live events of your branch, or of your own cases (asesi, asesor); ids and types only")
async def stream(request: Request, user: User = require(*STAFF, *CASE_KEYS),
                 branch: BranchParam = None) -> AsyncIterator[ServerSentEvent]:
    """Server-Sent Events; the token in the Authorization header or, for EventSource, ?access_token=.

    The branch's office (admin_lsp, manajer_sertifikasi, ketua_lsp) receives every event of the
    branch; an asesi the events of their own cases, an asesor those of the cases assigned to them (the
    case's own records in the four services, as its timeline shows them); a platform admin every
    branch, or the one named with ?branch= (ignored for everyone else). Other roles: 403.

    First a `ready` event ({"branch": ...}) once the subscription is in place; then each event as
    `event: <type>`, `id: <source>:<position>` and data {id, type, source, tenant, correlation_id
    (the case), aggregate_id, aggregate_version, occurred_at, actor: {id, role}}. No event data and no
    names: fetch what changed from the API. A comment line every 15 s of silence keeps proxies open.
    """
    tenant = branch_of(user, branch) if (user.tenant or branch) else None
    hub: EventHub = request.app.state.hub
    key = CASE_KEYS.get(user.role)
    with hub.subscription(tenant, (key, user.id) if key else None) as subscription:
        if key:  # subscribed first, then loaded: a case named meanwhile is learnt, not lost
            hub.watch(subscription, await known_cases(read_store(request), tenant, user))
        yield ServerSentEvent(event="ready", data={"branch": tenant})
        async for event in subscription.events():
            if await request.is_disconnected():
                break
            yield ServerSentEvent(comment="ping") if event is None else event  # a ping keeps proxies from closing it
