"""The two runtimes behind the gateway. Only adapters differ; services run the same code.

Embedded: every service's Application in this process, SQLite stores, kombu memory:// for
events, relays and consumers in threads, projectors as asyncio tasks, mongomock read models
rebuilt from the event stores at start.
Distributed: services run under `nameko run`; the gateway calls them over RPC and reads
MongoDB read models that the projector processes keep.
"""
import asyncio
import logging
import threading
from typing import Any

from services import DEFINITIONS
from shared.aggregate import as_uuid
from shared.bootstrap import assemble
from shared.errors import NotFound
from shared.eventstore import ServiceApplication
from shared.messaging.consumer import QueueWorker
from shared.messaging.inbox import Inbox
from shared.messaging.topology import handler_queue
from shared.projector import Projector
from shared.readstore import ReadStore, open_read_store
from shared.settings import Settings

log = logging.getLogger(__name__)


class LocalBus:
    """Commands as direct calls on this process's Applications (same contract as RpcBus)."""

    def __init__(self, apps: dict[str, ServiceApplication], inboxes: dict[str, Inbox]):
        self.apps = apps
        self.inboxes = inboxes

    def call(self, service: str, command: str, **kwargs: Any) -> Any:
        app = self.apps[service]
        if command not in app.commands:
            raise NotFound("unknown command {service}.{command}", service=service, command=command)
        return getattr(app, command)(**kwargs)

    def case_timeline(self, service: str, tenant: str | None, case_id: str) -> list[dict[str, Any]]:
        return self.apps[service].case_timeline(tenant, case_id)

    def replay_dead_letter(self, service: str, letter_id: str, actor: dict) -> str:
        return self.inboxes[service].replay(as_uuid(letter_id, "letter_id"), actor)


class EmbeddedRuntime:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.broker_uri = settings.resolved_broker_uri()
        self.read_store: ReadStore = open_read_store(settings.resolved_read_store_uri(), settings.read_db_prefix)
        self.services = {service.name: assemble(service, settings) for service in DEFINITIONS}
        self.apps: dict[str, ServiceApplication] = {name: part.app for name, part in self.services.items()}
        self.inboxes: dict[str, Inbox] = {name: part.inbox for name, part in self.services.items()}
        self.bus = LocalBus(self.apps, self.inboxes)
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.workers: list[QueueWorker] = []
        self.background: list[Any] = []

    def start(self, projectors: list[Projector]) -> None:
        loop = asyncio.get_running_loop()
        for name, service in self.services.items():
            for index, runner in enumerate(service.loops):  # the relay, then e.g. registration's mailer
                self.background.append(runner)
                self.threads.append(threading.Thread(target=runner.run, args=(
                    self.stopping.is_set, self.settings.poll_interval), name=f"loop-{name}-{index}", daemon=True))
            projector = service.projector(self.read_store)
            service.app.listeners.append(lambda p=projector: loop.call_soon_threadsafe(p.wake.set))
            projectors.append(projector)
            bindings = [(handler_queue(source, kind, name, f"on_{kind}"), service.inbox.handle)
                        for source, kind in service.inbox.subscriptions()]
            if bindings:
                self.workers.append(QueueWorker(self.broker_uri, bindings, f"inbox-{name}"))
        for worker in self.workers:  # queues exist before the relays publish into them
            worker.start()
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for worker in self.workers:
            worker.stop()
        for worker in self.background:
            worker.wake.set()
        for thread in self.threads:
            thread.join(timeout=5)
        for worker in self.background:
            worker.close()
        for app in self.apps.values():
            app.close()


class DistributedRuntime:
    def __init__(self, settings: Settings):
        from shared.messaging.rpc import RpcBus
        self.settings = settings
        self.broker_uri = settings.resolved_broker_uri()
        self.read_store = open_read_store(settings.resolved_read_store_uri(), settings.read_db_prefix)
        self.bus = RpcBus(settings.amqp_uri)
        self.apps: dict[str, ServiceApplication] = {}

    def start(self, projectors: list[Projector]) -> None:
        pass  # services, relays and projectors run in their own processes

    def stop(self) -> None:
        self.bus.close()


def build_runtime(settings: Settings) -> EmbeddedRuntime | DistributedRuntime:
    return EmbeddedRuntime(settings) if settings.mode == "embedded" else DistributedRuntime(settings)

