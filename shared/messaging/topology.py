"""Exchange and queue names, identical to nameko's so kombu and nameko peers interoperate."""
from collections.abc import Iterable

from kombu import Exchange, Queue, binding


def events_exchange(source: str) -> Exchange:
    return Exchange(f"{source}.events", type="topic", durable=True)


def handler_queue(source: str, event_type: str, service: str, method: str) -> Queue:
    """nameko SERVICE_POOL naming: evt-<source>-<type>--<service>.<method>."""
    return Queue(f"evt-{source}-{event_type}--{service}.{method}", exchange=events_exchange(source),
                 routing_key=event_type, durable=True)


def live_queue(tag: str, sources: Iterable[str]) -> Queue:
    """A private, self-deleting queue on services' exchanges: live streams, and projector wake-ups."""
    return Queue(f"live-{tag}", bindings=[binding(events_exchange(s), routing_key="#") for s in sources],
                 exclusive=True, auto_delete=True, durable=False)
