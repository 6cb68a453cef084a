"""One assembly of a service for both runtimes: its Application, the inbox that applies other services'
events, the relay that publishes its own, its background loops (registration's mailer), each woken by
the commands that store events; and, where read models are kept in this process, its projector.

The embedded runtime (services/gateway/runtime.py) and the nameko service (shared/messaging/
nameko_adapter.py) both start a service from here, so what runs beside a service is written once."""
from dataclasses import dataclass, field
from typing import Any

from shared.eventstore import ServiceApplication
from shared.messaging.inbox import Inbox
from shared.messaging.relay import Relay
from shared.projector import Projector
from shared.readstore import ReadStore
from shared.service import ServiceDefinition
from shared.settings import Settings


@dataclass
class AssembledService:
    definition: ServiceDefinition
    app: ServiceApplication
    inbox: Inbox
    relay: Relay
    workers: list[Any] = field(default_factory=list)

    @property
    def loops(self) -> list[Any]:
        """What runs beside the service in threads, each with run(stopping, poll) and a wake event."""
        return [self.relay, *self.workers]

    def projector(self, store: ReadStore) -> Projector:
        return Projector(self.app, store, self.definition.projections())


def assemble(definition: ServiceDefinition, settings: Settings,
             app: ServiceApplication | None = None) -> AssembledService:
    app = app or definition.build(settings)
    inbox = Inbox(app, app.policies(), attempts=settings.retry_attempts, base_delay=settings.retry_base_delay)
    relay = Relay(app, settings.resolved_broker_uri())
    workers = definition.workers(app, settings)
    for loop in (relay, *workers):
        app.listeners.append(loop.wake.set)  # a command's events go out (and are mailed) at once
    return AssembledService(definition, app, inbox, relay, list(workers))
