"""Turn a stored domain event (a notification) into an integration-event envelope."""
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.contracts import Envelope, current_version, parse_data

# Attributes every stored event has; the rest is the event's data.
# `correlation_id`: the case of an event of a case part (shared.aggregate.CasePart), whose id is not the case's.
_META = {"originator_id", "originator_version", "timestamp", "originator_topic",
         "tenant", "actor", "caused_by", "correlation_id"}


def event_type(topic: str) -> str:
    return topic.rsplit(".", 1)[-1].rsplit(":", 1)[-1]


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def to_envelope(source: str, position: int, topic: str, event: Any) -> Envelope:
    kind = event_type(topic)
    attrs = vars(event)
    data = jsonable({k: v for k, v in attrs.items() if k not in _META})
    version = current_version(kind)
    parse_data(kind, version, data)  # a producer that breaks its contract fails here, not downstream
    return Envelope(
        id=f"{source}:{position}", type=kind, schema_version=version, source=source,
        position=position, tenant=attrs.get("tenant", ""), aggregate_id=str(event.originator_id),
        aggregate_version=event.originator_version, occurred_at=event.timestamp,
        correlation_id=str(attrs.get("correlation_id") or attrs.get("case_id") or event.originator_id),
        causation_id=attrs.get("caused_by"),
        actor=attrs.get("actor") or {"id": f"service:{source}", "role": "system"}, data=data,
    )


def timeline_entry(source: str, event: Any) -> dict[str, Any]:
    attrs = vars(event)
    return {"service": source, "type": type(event).__qualname__.rsplit(".", 1)[-1], "tenant": attrs.get("tenant"),
            "occurred_at": event.timestamp.isoformat(), "aggregate_id": str(event.originator_id),
            "version": event.originator_version, "actor": attrs.get("actor"),
            "data": jsonable({k: v for k, v in attrs.items() if k not in _META})}
