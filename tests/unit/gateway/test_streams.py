"""The live stream (services/gateway/streams.py): who receives which events, and that nothing
personal travels on it. Clients read the route's own generator, as the SSE response reads it."""
import asyncio
import itertools
import json
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.sse import ServerSentEvent, format_sse_event

from services.gateway import streams
from services.gateway.streams import EventHub
from services.gateway.streams import router as stream_router
from shared.web import User
from tests.support.api import (
    ASESOR_USER,
    MET,
    OTHER,
    OWNER,
    SBY_ADMIN,
    SBY_ASESI,
    STAFF_ADMIN,
    TENANT,
    api_client,
    as_user,
    auth,
    envelope,
    paid,
    published,
    scheme,
)
from tests.support.samples import PERSONAL_DATA

ASESOR = as_user(ASESOR_USER)
OTHER_ASESOR = as_user({"id": "asesor-2", "role": "asesor", "name": "Joko Prasetyo"})
KETUA = as_user({"id": "ketua-1", "role": "ketua_lsp", "name": "Hendra Gunawan"})
MANAJER = as_user({"id": "manajer-1", "role": "manajer_sertifikasi", "name": "Lina Marlina"})
PLATFORM = as_user({"id": "root", "role": "platform_admin", "name": "Admin Platform"}, tenant=None)
# all a stream may say of an event (and of its actor: id and role)
SENT = ("id", "type", "source", "tenant", "correlation_id", "aggregate_id", "aggregate_version", "occurred_at")
POSITIONS = itertools.count(1000)  # the hand-made events' positions, after the real registration ones


# ---- the events of a case, from every service, as their domains record them ---------------------------------

def actor(user: User) -> dict[str, str]:
    return {"id": user.id, "role": user.role, "name": user.name}


def event(source: str, kind: str, case_id: str, data: dict[str, Any], by: User | None = None,
          record: str | None = None, tenant: str = TENANT) -> dict[str, Any]:
    """An envelope of the case; `record` names another aggregate (a counter, an assessor's load, a notice)."""
    env = envelope(source, kind, next(POSITIONS), case_id, data, tenant=tenant,
                   actor=actor(by) if by else {"id": f"service:{source}", "role": "system", "name": source})
    return {**env, "aggregate_id": record or case_id}


def case_events(case_id: str, asesi: User, assessor: User = ASESOR, tenant: str = TENANT,
                staff: User = STAFF_ADMIN) -> list[dict[str, Any]]:
    """After the draft: submission, payment, assignment, assessment and certificate, with the side records
    (invoice and certificate numbers, the assessor's load, a notice) that name the case too."""
    person = {"id": asesi.id, "name": asesi.name}
    assigned = {"id": assessor.id, "name": assessor.name, "met_number": MET}
    snapshot = scheme()
    units = [{"code": unit["code"], "result": "K"} for unit in snapshot["units"]]
    invoice = {"invoice_number": f"INV/{tenant}/2025/00007", "amount": 3_500_000}
    case = {"asesi": person, "scheme": snapshot}
    return [
        event("registration", "ApplicationSubmitted", case_id, {**case, "purpose": "Sertifikasi", "signature": {
            "signer": person, "role": "asesi", "sha256": "1" * 64}}, by=asesi, tenant=tenant),
        event("registration", "NumberTaken", case_id, {"case_id": case_id}, by=staff, record=str(uuid4()),
              tenant=tenant),
        event("registration", "NoticeQueued", case_id, {"case_id": case_id, "kind": "invoice_issued",
              "asesi_id": asesi.id, "subject": f"Tagihan untuk {asesi.name}", "body": "sealed"},
              record=str(uuid4()), tenant=tenant),
        event("registration", "PaymentVerified", case_id, {**case, **invoice}, by=staff, tenant=tenant),
        event("scheduling", "CaseOpened", case_id, {**case, **invoice}, tenant=tenant),
        event("scheduling", "AssessorAssigned", case_id, {**case, "assessor": assigned}, by=staff, tenant=tenant),
        event("scheduling", "AssessorCaseTaken", case_id, {"case_id": case_id}, by=staff, record=str(uuid4()),
              tenant=tenant),
        event("assessment", "AssessmentOpened", case_id, {**case, "assessor": assigned}, tenant=tenant),
        event("assessment", "RecommendationGiven", case_id, {**case, "assessor": assigned, "units": units,
              "recommendation": "K"}, by=assessor, tenant=tenant),
        event("certification", "CaseReceived", case_id, {**case, "assessor": assigned, "units": units,
              "recommendation": "K"}, tenant=tenant),
        event("certification", "CertificateIssued", case_id, {
            "certificate_number": f"LSP-{tenant}-2025-00003", "holder": person, "scheme_number": snapshot["number"],
            "scheme_title": snapshot["title"], "issued_on": "2025-07-01", "valid_until": "2028-07-01"},
            by=KETUA, tenant=tenant),
    ]


def drafted(app, scheme_id: str, *people: User) -> tuple[list[str], list[dict[str, Any]]]:
    """Real registration events: each person drafts FR.APL.01 and fills Bagian 1 (the e2e asesi's data)."""
    cases = []
    for person in people:
        cases.append(app.draft_application(TENANT, actor(person), scheme_id, "Sertifikasi"))
        app.update_personal_data(TENANT, actor(person), cases[-1], PERSONAL_DATA)
    return cases, [env.model_dump(mode="json") for env in published(app)]


def own_records(events: list[dict[str, Any]], *cases: str) -> list[tuple[str, str]]:
    """(type, case) of the events of these cases' own records, in order."""
    return [(e["type"], e["correlation_id"]) for e in events
            if e["correlation_id"] in cases and e["aggregate_id"] == e["correlation_id"]]


def received(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["type"], e["correlation_id"]) for e in events]


async def application_of(store, case_id: str, asesi: User) -> None:
    """Registration's read model already lists the application (drafted before the stream opened)."""
    await store.upsert_versioned("registration", "applications", case_id, 1, {
        "tenant": TENANT, "asesi": {"id": asesi.id, "name": asesi.name}, "status": "submitted"})


async def assignment_of(store, case_id: str, assessor: User) -> None:
    """Scheduling's read model already holds the assignment (made before the stream opened)."""
    await store.upsert_versioned("scheduling", "cases", case_id, 2, {
        "tenant": TENANT, "status": "assigned", "assessor": {"id": assessor.id, "name": assessor.name}})


# ---- clients of the route -----------------------------------------------------------------------------------

def wire_data(item: ServerSentEvent) -> str:
    """The data line FastAPI writes for this item (fastapi.routing serialises a ServerSentEvent so)."""
    return item.raw_data if item.raw_data is not None else json.dumps(jsonable_encoder(item.data))


class Client:
    """One subscriber reading the route's generator; keeps what it received, parsed and as sent."""

    def __init__(self, sse: Any):
        self.sse = sse
        self.events: list[dict[str, Any]] = []
        self.wire: list[str] = []

    async def open(self) -> None:
        self.ready = json.loads(wire_data(await anext(self.sse)))
        self.pending = asyncio.ensure_future(anext(self.sse))
        await asyncio.sleep(0)  # subscribed by now (older code subscribed only after sending `ready`)

    async def drain(self, quiet: float = 0.1) -> list[dict[str, Any]]:
        """What arrived until the stream has been quiet for `quiet` seconds."""
        while (await asyncio.wait({self.pending}, timeout=quiet))[0]:
            item = self.pending.result()
            self.pending = asyncio.ensure_future(anext(self.sse))
            self.wire.append(format_sse_event(data_str=wire_data(item), event=item.event, id=item.id).decode())
            self.events.append(json.loads(wire_data(item)))
        return self.events

    async def close(self) -> None:
        self.pending.cancel()
        await asyncio.gather(self.pending, return_exceptions=True)
        await self.sse.aclose()


@pytest.fixture
def hub():
    return EventHub("memory://")  # no consumer thread: the tests publish directly


@pytest.fixture
async def connect(hub, store):
    """connect(user, branch=None) -> an open Client of GET /api/events/stream."""
    hub.loop = asyncio.get_running_loop()
    clients = []

    async def is_disconnected() -> bool:
        return False

    async def open_client(user: User, branch: str | None = None) -> Client:
        request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(hub=hub, read_store=store)),
                                  is_disconnected=is_disconnected)
        clients.append(Client(streams.stream(request, user, branch)))
        await clients[-1].open()
        return clients[-1]

    yield open_client
    for client in clients:
        await client.close()


def publish(hub: EventHub, *batches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    events = [env for batch in batches for env in batch]
    for env in events:
        hub.publish(env)
    return events


# ---- who receives what --------------------------------------------------------------------------------------

async def test_an_asesi_receives_their_own_cases_from_every_service_and_nothing_of_another_asesi(
        app, scheme_id, store, hub, connect):
    owner_earlier, other_earlier = str(uuid4()), str(uuid4())
    await application_of(store, owner_earlier, OWNER)
    await application_of(store, other_earlier, OTHER)
    owner, other = await connect(OWNER), await connect(OTHER)

    # both draft a new case after subscribing (learnt from ApplicationDrafted), and every case moves on
    (owner_new, other_new), registration = drafted(app, scheme_id, OWNER, OTHER)
    events = publish(hub, registration, case_events(owner_earlier, OWNER), case_events(other_earlier, OTHER),
                     case_events(owner_new, OWNER), case_events(other_new, OTHER))

    mine = own_records(events, owner_earlier, owner_new)
    assert received(await owner.drain()) == mine
    assert {"registration", "scheduling", "assessment", "certification"} == {e["source"] for e in owner.events}
    assert "DraftUpdated" in [t for t, _ in mine]  # the draft's own events, though they do not name the asesi
    assert received(await other.drain()) == own_records(events, other_earlier, other_new)


async def test_an_asesor_receives_only_the_cases_assigned_to_them_also_after_subscribing(store, hub, connect):
    earlier, later, not_mine = str(uuid4()), str(uuid4()), str(uuid4())
    await assignment_of(store, earlier, ASESOR)
    await assignment_of(store, not_mine, OTHER_ASESOR)
    asesor = await connect(ASESOR)

    earlier_events = case_events(earlier, OWNER)
    later_events = case_events(later, OTHER)  # assigned to them while they listen
    events = publish(hub, earlier_events, case_events(not_mine, OTHER, assessor=OTHER_ASESOR), later_events)

    assignment = next(i for i, e in enumerate(later_events) if e["type"] == "AssessorAssigned")
    expected = own_records(events, earlier) + own_records(later_events[assignment:], later)
    assert received(await asesor.drain()) == expected
    assert expected[len(own_records(events, earlier))] == ("AssessorAssigned", later)


async def test_the_branch_office_gets_the_branch_and_platform_admins_every_branch_or_the_one_named(hub, connect):
    office = [await connect(user) for user in (STAFF_ADMIN, KETUA, MANAJER)]
    sneaky = await connect(STAFF_ADMIN, branch="SBY01")  # a branch user cannot watch another branch
    everything, surabaya = await connect(PLATFORM), await connect(PLATFORM, branch="SBY01")

    jakarta_events = case_events(str(uuid4()), OWNER)
    surabaya_events = case_events(str(uuid4()), SBY_ASESI, tenant="SBY01", staff=SBY_ADMIN)
    events = publish(hub, jakarta_events, surabaya_events)

    for client in [*office, sneaky]:
        assert received(await client.drain()) == received(jakarta_events)
    assert sneaky.ready == {"branch": TENANT}
    assert received(await everything.drain()) == received(events)
    assert received(await surabaya.drain()) == received(surabaya_events)


async def test_roles_that_read_no_case_of_the_branch_get_no_stream(store, hub):
    supervisor = as_user({"id": "penyelia-1", "role": "asesor_penyelia", "name": "Agus"})
    committee = as_user({"id": "komite-1", "role": "komite_teknis", "name": "Wati"})
    web = api_client(stream_router, {}, store, supervisor, committee).app
    web.state.hub = hub
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://gateway") as http:
        for user in (supervisor, committee):  # older code streamed to them (bounded: it never answers)
            response = await asyncio.wait_for(http.get("/api/events/stream", headers=auth(user)), 2)
            assert response.status_code == 403


# ---- what travels -------------------------------------------------------------------------------------------

def strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def personal_values(env: dict[str, Any]) -> set[str]:
    """Every string of the event's data and its actor's name, but those within the ids, times and labels
    the stream sends anyway (an asesi's id, a date that is also the event's)."""
    sent = [str(env[key]) for key in SENT] + [env["actor"]["id"], env["actor"]["role"]]
    return {s for s in [*strings(env["data"]), env["actor"]["name"]]
            if len(s) >= 4 and not any(s in value for value in sent)}


async def test_nothing_of_the_data_nor_the_actors_name_travels_on_any_stream(app, scheme_id, store, hub, connect):
    (case_id,), registration = drafted(app, scheme_id, OWNER)
    await assignment_of(store, case_id, ASESOR)
    clients = [await connect(user) for user in (STAFF_ADMIN, PLATFORM, OWNER, ASESOR)]
    events = publish(hub, registration, case_events(case_id, OWNER))
    by_id = {env["id"]: env for env in events}

    checked: set[str] = set()
    for client in clients:
        await client.drain()
        assert client.events
        for sent, text in zip(client.events, client.wire, strict=True):
            values = personal_values(by_id[sent["id"]])
            assert not [value for value in values if value in text], sent["type"]
            assert set(sent) == {*SENT, "actor"} and set(sent["actor"]) == {"id", "role"}
            checked |= values
    # the scan covered the applicant's name, employer, job and the people's names
    assert {PERSONAL_DATA["nama_lengkap"], PERSONAL_DATA["institusi"], PERSONAL_DATA["jabatan"],
            STAFF_ADMIN.name, ASESOR.name, KETUA.name, MET} <= checked


# ---- the hub ------------------------------------------------------------------------------------------------

async def test_an_idle_stream_gets_pings_and_a_departed_client_leaves_nothing_behind(hub):
    hub.loop = asyncio.get_running_loop()
    with hub.subscription(TENANT, ("asesi", OWNER.id)) as subscription:
        hub.watch(subscription, ["case-1"])
        hub.publish({"type": "Odd"})  # a malformed envelope must not raise: kombu would redeliver it forever
        events = subscription.events(keepalive=0.05)
        assert await anext(events) is None
        await events.aclose()
    assert not (hub.branch_wide or hub.people or hub.watchers)


async def test_a_client_that_cannot_keep_up_is_cut_off_rather_than_silently_missing_events(hub, monkeypatch):
    hub.loop = asyncio.get_running_loop()
    monkeypatch.setattr(streams, "QUEUE_SIZE", 2)
    with hub.subscription(TENANT) as subscription:
        publish(hub, case_events(str(uuid4()), OWNER)[:3])
        await asyncio.sleep(0)
        assert [event async for event in subscription.events()] == []  # the stream ends: EventSource reconnects


async def test_a_case_subscriber_receives_the_events_of_every_part_of_the_case(app, scheme_id, store, hub, connect):
    """A registration case is several aggregates (its payment's id is not the case id): the asesi's stream
    carries them all, and still not the branch's counters that merely name the case."""
    owner = await connect(OWNER)
    case_id = paid(app, scheme_id)  # drafted after subscribing: learnt from ApplicationDrafted
    events = publish(hub, [env.model_dump(mode="json") for env in published(app)])
    got = await owner.drain()
    types = [e["type"] for e in got]
    assert {"ApplicationSubmitted", "TukEquipmentRequested", "InvoiceIssued", "PaymentProofSubmitted",
            "PaymentVerified"} <= set(types)
    assert "NumberTaken" not in types and {e["correlation_id"] for e in got} == {case_id}
    payment = next(e for e in got if e["type"] == "PaymentVerified")
    assert payment["aggregate_id"] != case_id
    assert len(got) == len([e for e in events if e["correlation_id"] == case_id and e["type"] != "NumberTaken"])
