"""Test-only service "itsrc<tag>": tickets. Its events feed sample_sink."""
import os
from typing import ClassVar

from eventsourcing.domain import event

from shared.aggregate import Actor, TenantAggregate, as_uuid
from shared.errors import Invalid
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.settings import Settings

NAME = f"itsrc{os.environ.get('LSP_IT_TAG', 'dev')}"


class Ticket(TenantAggregate):
    @event("TicketOpened")
    def __init__(self, tenant: str, actor: Actor, title: str):
        self.tenant = tenant
        self.title = title

    @event("TicketRetitled")
    def retitle(self, actor: Actor, title: str) -> None:
        self.title = title


class SourceApp(ServiceApplication):
    name = NAME
    commands: ClassVar[tuple[str, ...]] = ("open_ticket", "retitle", "sleep_in_database")

    def policies(self) -> dict[str, Policy]:
        return {}

    def open_ticket(self, tenant: str, actor: Actor, title: str) -> str:
        if not title:
            raise Invalid("a ticket needs a title", field="title")
        ticket = Ticket(tenant=tenant, actor=actor, title=title)
        self.save_checked(ticket)
        return str(ticket.id)

    def retitle(self, tenant: str, actor: Actor, ticket_id: str, title: str) -> int:
        ticket = self.get_owned(as_uuid(ticket_id, "ticket_id"), tenant, "ticket")
        ticket.retitle(actor=actor, title=title)
        self.save_checked(ticket)
        return ticket.version

    def sleep_in_database(self, tenant: str, actor: Actor, seconds: float) -> None:
        """A slow query: under eventlet it must not stall the process's other greenlets."""
        with self.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT pg_sleep(%s)", (seconds,))


def build_application(settings: Settings) -> SourceApp:
    return SourceApp(env=event_store_env(settings, SourceApp.name))
