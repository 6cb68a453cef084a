"""Operators see events a service could not apply, and replay them once the cause is fixed."""
import time
import uuid

from fastapi.testclient import TestClient
from kombu import Connection, Producer

from services.gateway.main import create_app
from shared.messaging.topology import events_exchange
from shared.settings import Settings
from tests.support.api import scheme
from tests.support.driver import ADMIN, login, wait_for

ACTOR = {"id": "u-1", "role": "asesor", "name": "Asesor"}


def envelope(source: str, kind: str, case_id: str, data: dict) -> dict:
    # a position far beyond anything the real services wrote in this test
    return {"id": f"{source}:9000", "type": kind, "schema_version": 1, "source": source, "position": 9000,
            "tenant": "JKT01", "aggregate_id": case_id, "aggregate_version": 1,
            "occurred_at": "2026-01-01T00:00:00+00:00", "correlation_id": case_id, "actor": ACTOR, "data": data}


def publish(body: dict) -> None:
    with Connection("memory://") as connection:
        exchange = events_exchange(body["source"])
        Producer(connection.channel(), serializer="json").publish(
            body, exchange=exchange, routing_key=body["type"], declare=[exchange])


def test_dead_letters_are_listed_and_replayed(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, retry_attempts=2, retry_base_delay=0.01))
    with TestClient(app) as http:
        admin = login(http, *ADMIN)
        case_id = str(uuid.uuid4())
        person = {"id": "asesi-1", "name": "Budi"}
        assessor = {"id": "u-1", "name": "Asesor", "met_number": "MET.000.000001.2020"}
        units = [{"code": u["code"], "result": "K"} for u in scheme()["units"]]
        # a recommendation for a case scheduling has never heard of: retried, then parked
        publish(envelope("assessment", "RecommendationGiven", case_id, {
            "asesi": person, "scheme": scheme(), "assessor": assessor, "units": units, "recommendation": "K"}))
        letters = wait_for(lambda: [d for d in admin.ok(admin.get("/api/ops/dead-letters"))
                                    if d["envelope_id"] == "assessment:9000"], what="parked event")
        assert letters[0]["service"] == "scheduling" and "NotReady" in letters[0]["error"]

        still = admin.post(f"/api/ops/dead-letters/scheduling/{letters[0]['id']}/replay")
        assert still.status_code == 409 and still.json()["detail"]["template"].startswith("still failing")
        assert still.json()["detail"]["message"].startswith("masih gagal")  # Indonesian unless asked otherwise

        # the missing cause arrives; now the replay applies the event, once
        publish(envelope("registration", "FeasibilityReviewed", case_id, {
            "asesi": person, "scheme": scheme(), "invoice_number": "INV/JKT01/2026/09000", "amount": 1,
            "feasible": True, "notes": "layak"}))
        wait_for(lambda: admin.get(f"/api/scheduling/cases/{case_id}?branch=JKT01").status_code == 200,
                 what="case opened")
        replayed = admin.ok(admin.post(f"/api/ops/dead-letters/scheduling/{letters[0]['id']}/replay"))
        assert replayed["outcome"] == "replayed"
        time.sleep(0.2)
        assert not [d for d in admin.ok(admin.get("/api/ops/dead-letters")) if d["envelope_id"] == "assessment:9000"]
        everything = admin.ok(admin.get("/api/ops/dead-letters?include_replayed=true"))
        assert [d["replayed"] for d in everything if d["envelope_id"] == "assessment:9000"] == [True]

        anonymous = http.post(f"/api/ops/dead-letters/scheduling/{letters[0]['id']}/replay")
        assert anonymous.status_code == 401
