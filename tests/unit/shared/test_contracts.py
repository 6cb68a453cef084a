import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.contracts import events
from shared.contracts.events import Contract, json_schemas, parse_data

SCHEMAS = Path(events.__file__).parent / "schemas"


def test_exported_json_schemas_match_the_models():
    exported = {p.stem: json.loads(p.read_text()) for p in SCHEMAS.glob("*.json")}
    assert exported == json_schemas(), "run `make contracts` and commit shared/contracts/schemas"


def test_data_is_validated_against_its_contract():
    with pytest.raises(ValidationError):
        parse_data("PaymentVerified", 1, {"asesi": {"id": "a", "name": "B"}})
    assert parse_data("SomethingUncontracted", 1, {"x": 1}) == {"x": 1}


def test_an_old_version_is_upcast_to_the_current_one(monkeypatch):
    class PingV2(Contract):
        who: str
        loud: bool

    monkeypatch.setitem(events.CONTRACTS, ("Ping", 2), PingV2)
    monkeypatch.setitem(events.UPCASTERS, ("Ping", 1), lambda data: {**data, "loud": False})
    assert events.current_version("Ping") == 2
    assert parse_data("Ping", 1, {"who": "asesi"}) == PingV2(who="asesi", loud=False)
    assert parse_data("Ping", 2, {"who": "asesi", "loud": True}).loud is True
