"""Test-only service "itsink<tag>": mirrors sample_source's tickets through its inbox.

A ticket titled "poison..." cannot be mirrored (the policy raises) until the file
$LSP_IT_DIR/fixed exists: it gets parked, then replayed.
"""
import os
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from shared.aggregate import Actor, TenantAggregate, stable_id, system_actor
from shared.contracts import Envelope
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.settings import Settings
from tests.integration.sample_source import NAME as SOURCE

NAME = f"itsink{os.environ.get('LSP_IT_TAG', 'dev')}"


def mirror_id(ticket_id: str) -> UUID:
    return stable_id("mirror", str(ticket_id))


def fixed() -> bool:
    return (Path(os.environ.get("LSP_IT_DIR", "/nonexistent")) / "fixed").exists()


class Mirror(TenantAggregate):
    @event("MirrorCreated")
    def __init__(self, tenant: str, actor: Actor, ticket_id: str, title: str):
        self.tenant = tenant
        self.ticket_id = ticket_id
        self.title = title

    @staticmethod
    def create_id(ticket_id: str) -> UUID:
        return mirror_id(ticket_id)


class SinkApp(ServiceApplication):
    name = NAME
    commands: ClassVar[tuple[str, ...]] = ()

    def policies(self) -> dict[str, Policy]:
        return {f"{SOURCE}:TicketOpened": self.on_ticket_opened}

    def on_ticket_opened(self, envelope: Envelope, data: dict[str, Any]) -> list[Any]:
        if data["title"].startswith("poison") and not fixed():
            raise RuntimeError(f"cannot mirror {data['title']!r}")
        return [Mirror(tenant=envelope.tenant, actor=system_actor(self.name),
                       ticket_id=envelope.aggregate_id, title=data["title"])]


def build_application(settings: Settings) -> SinkApp:
    return SinkApp(env=event_store_env(settings, SinkApp.name))
