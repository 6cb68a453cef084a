"""nameko service whose handlers fail on purpose: nameko run tests.integration.flaky_service

A "Ping" {"id", "fail_times"} makes on_ping raise fail_times times, then succeed; plain_on_ping
(nameko's own event_handler, for contrast) always raises. Each attempt is counted in $LSP_IT_DIR.
"""
import os
from pathlib import Path

from nameko.events import event_handler

from shared.messaging.nameko_adapter import reliable_event_handler

TAG = os.environ.get("LSP_IT_TAG", "dev")
SOURCE = f"itping{TAG}"
DIR = Path(os.environ.get("LSP_IT_DIR", "."))


def count(kind: str, ping_id: str) -> int:
    path = DIR / f"{kind}-{ping_id}"
    n = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(n))
    return n


class FlakyService:
    name = f"itflaky{TAG}"

    @reliable_event_handler(SOURCE, "Ping", requeue_delay=0.2)
    def on_ping(self, body: dict) -> None:
        if count("reliable", body["id"]) <= body["fail_times"]:
            raise RuntimeError(f"failing {body['id']} on purpose")
        count("handled", body["id"])

    @event_handler(SOURCE, "Ping")
    def plain_on_ping(self, body: dict) -> None:
        count("plain", body["id"])
        raise RuntimeError("nameko's own handler drops this message")
