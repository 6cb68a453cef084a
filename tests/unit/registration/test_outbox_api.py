"""GET /api/outbox: notices opened for the asesi they were written to and the branch's staff only."""
import asyncio

import pytest

from services.registration import api
from services.registration.projections import PROJECTIONS
from shared.privacy import ERASED
from shared.projector import Projector
from tests.support.api import (
    OTHER,
    OWNER,
    SBY_ADMIN,
    STAFF_ADMIN,
    TENANT,
    accepted_case,
    api_client,
    auth,
    inbox,
    published,
)
from tests.support.samples import ADMIN, ASESI, PERSONAL_DATA


@pytest.fixture
def client(app, store):
    client = api_client(api.router, {"registration": app}, store, STAFF_ADMIN, OWNER, OTHER, SBY_ADMIN)
    client.app.state.vaults = {"registration": app.vault}
    return client


def notify(app, store) -> str:
    scheme_id = app.seed_schemes(TENANT, ADMIN)[0]
    case_id, _ = accepted_case(app, TENANT, ASESI, ADMIN, scheme_id)
    box = inbox(app)
    for envelope in published(app):
        if f"{envelope.source}:{envelope.type}" in box.policies:
            box.handle(envelope.model_dump(mode="json"))
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())
    return case_id


def test_the_asesi_and_the_branch_read_the_notices_others_get_nothing(app, store, client):
    case_id = notify(app, store)
    mine = client.get("/api/outbox", headers=auth(OWNER)).json()
    assert sorted(n["kind"] for n in mine) == ["accepted", "invoice_issued", "tuk_equipment"]
    assert {n["recipient"] for n in mine} == {PERSONAL_DATA["email"]}
    assert all(n["body"].startswith(f"Yth. Bapak/Ibu {PERSONAL_DATA['nama_lengkap']},") for n in mine)
    staff = client.get("/api/outbox", params={"case_id": case_id}, headers=auth(STAFF_ADMIN)).json()
    assert [n["id"] for n in staff] == [n["id"] for n in mine]
    assert client.get("/api/outbox", headers=auth(OTHER)).json() == []
    assert client.get("/api/outbox", headers=auth(SBY_ADMIN)).json() == []
    stored = [n.state for n in app.recorder.select_notifications(start=None, limit=1000) if "Notice" in n.topic]
    assert stored and not any(PERSONAL_DATA["email"].encode() in state for state in stored)


def test_after_erasure_the_outbox_keeps_the_record_but_not_the_words(app, store, client):
    notify(app, store)
    app.vault.forget(ASESI["id"], ADMIN)
    mine = client.get("/api/outbox", headers=auth(STAFF_ADMIN)).json()
    assert len(mine) == 3 and {(n["recipient"], n["body"]) for n in mine} == {(ERASED, ERASED)}
    assert all("Tagihan" in n["subject"] or "diterima" in n["subject"] or "perlengkapan" in n["subject"]
               for n in mine)
