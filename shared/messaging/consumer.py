"""A kombu consumer thread: used for the embedded runtime's inboxes and the gateway's live stream.

(The distributed services consume through nameko instead: see nameko_adapter.py.)
Messages are acked only after the handler returned; a handler that raised gets its message
requeued after a pause, never dropped.
"""
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from kombu import Connection, Queue
from kombu.mixins import ConsumerMixin

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Any]


def connect(uri: str) -> Connection:
    # memory:// polls; the default 1 s poll would dominate embedded latency
    options = {"polling_interval": 0.005} if uri.startswith("memory") else {}
    return Connection(uri, transport_options=options)


class QueueWorker(ConsumerMixin):
    def __init__(self, uri: str, bindings: list[tuple[Queue, Handler]], name: str):
        self.connection = connect(uri)
        self.bindings = bindings
        self.name = name
        self.thread: threading.Thread | None = None

    def get_consumers(self, consumer_cls: Any, channel: Any) -> list[Any]:
        return [consumer_cls(queues=[queue], callbacks=[self._callback(handler)], accept=["json"],
                             prefetch_count=1)
                for queue, handler in self.bindings]

    def _callback(self, handler: Handler) -> Callable[[Any, Any], None]:
        def on_message(body: Any, message: Any) -> None:
            try:
                handler(body)
            except Exception:
                log.exception("%s: handler failed; message requeued", self.name)
                time.sleep(0.5)
                message.requeue()
                return
            message.ack()
        return on_message

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.should_stop = True
        if self.thread:
            self.thread.join(timeout=5)
        self.connection.release()
