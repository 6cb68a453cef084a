"""Exchange and queue names, identical to nameko's so kombu and nameko peers interoperate."""
from kombu import Exchange, Queue

SERVICES = ("registration", "scheduling", "assessment", "certification")


def events_exchange(source: str) -> Exchange:
    return Exchange(f"{source}.events", type="topic", durable=True)


def handler_queue(source: str, event_type: str, service: str, method: str) -> Queue:
    """nameko SERVICE_POOL naming: evt-<source>-<type>--<service>.<method>."""
    return Queue(f"evt-{source}-{event_type}--{service}.{method}", exchange=events_exchange(source),
                 routing_key=event_type, durable=True)
