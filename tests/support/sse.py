"""A Server-Sent Events reader in a background thread, collecting events for assertions."""
import json
import threading
from typing import Any

import httpx


class EventCollector:
    def __init__(self, url: str, token: str):
        self.events: list[dict[str, Any]] = []
        self.wire: list[str] = []  # each event's data exactly as sent, to scan for what must not travel
        self.ready = threading.Event()
        self.stopped = False
        self.thread = threading.Thread(target=self._read, args=(url, token), daemon=True)
        self.thread.start()
        assert self.ready.wait(10), "stream did not open"

    def _read(self, url: str, token: str) -> None:
        try:
            self._consume(url, token)
        except httpx.HTTPError:
            if not self.stopped:  # the server went away while we still listened
                raise

    def _consume(self, url: str, token: str) -> None:
        with httpx.stream("GET", url, headers={"Authorization": f"Bearer {token}"}, timeout=None) as response:
            assert response.status_code == 200, response.read()
            kind = None
            for line in response.iter_lines():
                if self.stopped:
                    return
                if line.startswith("event:"):
                    kind = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    if kind == "ready":
                        self.ready.set()
                    else:
                        self.wire.append(line.split(":", 1)[1])
                        self.events.append(json.loads(self.wire[-1]))

    def types(self) -> list[str]:
        return [event["type"] for event in self.events]

    def close(self) -> None:
        self.stopped = True
