"""The envelope every integration event travels in (JSON on the wire)."""
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ActorRef(BaseModel):
    id: str
    role: str
    name: str = ""


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # "<source>:<position>", stable across re-publication
    type: str  # routing key, e.g. "PaymentVerified"
    schema_version: int
    source: str  # the service whose event store recorded it
    position: int  # notification id in the source's log
    tenant: str
    aggregate_id: str
    aggregate_version: int
    occurred_at: datetime
    correlation_id: str  # the certification case
    causation_id: str | None = None
    actor: ActorRef
    data: dict[str, Any]
