"""nameko runtime of a service (distributed mode): the same Application, served over RabbitMQ.

- `ServiceApp` builds the Application, its Inbox and its Relay once per container;
- `ReliableEventHandler` acks only after the handler returned and never drops a failed message;
- `nameko_service(application_module)` builds the nameko service class `nameko run` finds.
"""
import logging
from typing import Any

import eventlet
from eventlet import patcher
from nameko.events import SERVICE_POOL, EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc

from shared.aggregate import as_uuid
from shared.bootstrap import assemble
from shared.errors import DomainError, NotFound
from shared.eventstore import ServiceApplication
from shared.messaging.inbox import Inbox
from shared.messaging.relay import Relay
from shared.privacy import install_log_redaction
from shared.service import ServiceDefinition
from shared.settings import get_settings

log = logging.getLogger(__name__)


def make_psycopg_cooperative() -> None:
    """Under eventlet, make psycopg wait for PostgreSQL through the (green) select.

    psycopg 3 uses its C wait function unless *gevent* patched select, and that C poll() blocks
    the whole process under eventlet: every greenlet (RPC workers, AMQP heartbeats, the relay)
    stops for as long as any one query waits. Measured under `nameko run`: a command waited
    1.74 s behind another worker's 2 s query (0.03 s with this fix; see
    tests/integration/shared/test_nameko_services.py); plain eventlet: a 1 s query stalled the hub
    1.28 s vs 0.012 s. No deadlock was seen (400 concurrent commands, pool of 4), but one would
    follow if a greenlet ever yielded while holding a lock another greenlet's query waits for.
    psycopg looks up `waiting.wait` on every call, so rebinding it is enough; connecting already
    goes through `selectors`, which eventlet greens. psycopg_pool's threads become greenlets.
    """
    if patcher.is_monkey_patched("select"):
        import psycopg.waiting
        psycopg.waiting.wait = psycopg.waiting.wait_select


class ReliableEventHandler(EventHandler):
    """SERVICE_POOL, durable queue; ack on success, requeue after a pause on error.

    nameko's EventHandler acks (drops) a message whose handler raised. Here the message goes back
    to the queue instead. The pause keeps a persistent failure (database down, a malformed
    message) from spinning: a requeued message is redelivered at once.
    """

    def __init__(self, source_service: str, event_type: str, requeue_delay: float = 1.0, **kwargs: Any):
        kwargs.update(handler_type=SERVICE_POOL, reliable_delivery=True, requeue_on_error=True)
        super().__init__(source_service, event_type, **kwargs)
        self.requeue_delay = requeue_delay

    def handle_message_processed(self, message: Any, result: Any = None, exc_info: Any = None) -> None:
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        log.warning("%s.%s %s failed; requeueing in %.1fs", self.source_service, self.event_type,
                    message.properties.get("message_id", ""), self.requeue_delay)
        eventlet.sleep(self.requeue_delay)
        self.queue_consumer.requeue_message(message)


reliable_event_handler = ReliableEventHandler.decorator


class Runtime:
    """What the service's entrypoints see as `self.runtime`."""

    def __init__(self, app: ServiceApplication, inbox: Inbox):
        self.app = app
        self.inbox = inbox


class ServiceApp(DependencyProvider):
    """Once per container: the Application, its Inbox, and its Relay in a managed green thread."""

    stop_timeout = 5.0

    def __init__(self, definition: ServiceDefinition):
        self.definition = definition
        self.runtime: Runtime | None = None
        self.relay: Relay | None = None
        self._stopping = False
        self._relay_thread: Any = None
        self.workers: list[Any] = []
        self._worker_threads: list[Any] = []

    def setup(self) -> None:
        make_psycopg_cooperative()
        install_log_redaction()
        settings = get_settings()
        app = self.definition.build(settings)
        declared = set(getattr(self.container.service_cls, "subscriptions", ()))
        if set(app.policies()) != declared:
            raise RuntimeError(f"{app.name}: policies() {sorted(app.policies())} differ from the "
                               f"handlers built at import {sorted(declared)}")
        service = assemble(self.definition, settings, app)  # its inbox, relay and loops (registration: mailer)
        self.relay, self.workers = service.relay, service.workers
        self.runtime = Runtime(app, service.inbox)

    def start(self) -> None:
        poll = get_settings().poll_interval
        self._relay_thread = self.container.spawn_managed_thread(
            lambda: self.relay.run(lambda: self._stopping, poll), identifier="relay")
        self._worker_threads = [self.container.spawn_managed_thread(
            lambda w=w: w.run(lambda: self._stopping, poll), identifier=f"worker-{i}")
            for i, w in enumerate(self.workers)]

    def stop(self) -> None:
        self._stopping = True
        threads = [t for t in (self._relay_thread, *self._worker_threads) if t is not None]
        for loop in (self.relay, *self.workers):
            if loop is not None:
                loop.wake.set()
        for thread in threads:
            with eventlet.Timeout(self.stop_timeout, False):  # a loop stuck on I/O must not block exit
                thread.wait()
            thread.kill()
        self._close()

    def kill(self) -> None:
        self._stopping = True
        for thread in (self._relay_thread, *self._worker_threads):
            if thread is not None:
                thread.kill()
        self._close()

    def _close(self) -> None:
        if self.runtime is not None:
            self.relay.close()
            for worker in self.workers:
                worker.close()
            self.runtime.app.close()
            self.runtime = None

    def get_dependency(self, worker_ctx: Any) -> Runtime:
        return self.runtime


def policy_keys(app_cls: type[ServiceApplication]) -> list[str]:
    """The "source:EventType" keys of app_cls.policies(), read without a database.

    nameko needs the event handlers on the class at import, before any container (and so any
    Application) exists. policies() only maps keys to bound methods, so it is called on an
    uninitialised instance. An App whose policies() needs __init__ state can instead declare
    `SUBSCRIPTIONS = ("source:EventType", ...)`. ServiceApp.setup checks both agree at start.
    """
    declared = getattr(app_cls, "SUBSCRIPTIONS", None)
    if declared is not None:
        return list(declared)
    return list(app_cls.policies(object.__new__(app_cls)))  # type: ignore[arg-type]


def handler_method(source: str, event_type: str) -> str:
    """Method (and so queue) name: evt-<source>-<type>--<service>.on_<source>_<type>."""
    return f"on_{source}_{event_type}"


def nameko_service(definition: ServiceDefinition) -> type:
    """The nameko service class of a service: RPC `call`, `case_timeline`, `replay_dead_letter`,
    and one ReliableEventHandler per policy key (see policy_keys).

    Entrypoint functions are made afresh per class: nameko registers entrypoints on the function.
    """
    app_cls = definition.application()
    keys = policy_keys(app_cls)

    def call(self: Any, command: str, kwargs: dict[str, Any]) -> Any:
        app = self.runtime.app
        if command not in app.commands:
            raise NotFound("{service} has no command '{command}'", field="command", service=app.name,
                           command=command)
        return getattr(app, command)(**kwargs)

    def case_timeline(self: Any, tenant: str | None, case_id: str) -> list[dict[str, Any]]:
        return self.runtime.app.case_timeline(tenant, case_id)

    def replay_dead_letter(self: Any, letter_id: str, actor: dict[str, Any]) -> str:
        return self.runtime.inbox.replay(as_uuid(letter_id, "letter_id"), actor)

    namespace: dict[str, Any] = {
        "name": app_cls.name,
        "subscriptions": tuple(keys),
        "runtime": ServiceApp(definition),
        # domain errors are the caller's: nameko logs them as expected warnings, not errors
        "call": rpc(expected_exceptions=DomainError)(call),
        "case_timeline": rpc(expected_exceptions=DomainError)(case_timeline),
        "replay_dead_letter": rpc(expected_exceptions=DomainError)(replay_dead_letter),
    }
    for key in keys:
        source, event_type = key.split(":", 1)
        namespace[handler_method(source, event_type)] = _event_handler(source, event_type)
    return type(f"{app_cls.name.title()}Service", (), namespace)


def _event_handler(source: str, event_type: str) -> Any:
    def handle(self: Any, body: dict[str, Any]) -> str:
        return self.runtime.inbox.handle(body)
    handle.__name__ = handle.__qualname__ = handler_method(source, event_type)
    return reliable_event_handler(source, event_type)(handle)
