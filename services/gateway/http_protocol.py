"""uvicorn's HTTP/1.1 protocol with a deadline for the request head (request line and headers).

uvicorn (0.54) times out idle keep-alive connections, but a client that has started a request and
sends its head a byte at a time ("slowloris") holds the connection for ever, and enough of them use
up the server. Every place that starts the gateway passes this class to uvicorn:
`python -m services.gateway.main` (uvicorn.run(http=...)) and, distributed,
`uvicorn services.gateway.main:app --http services.gateway.http_protocol:HeadTimeoutProtocol`.
A slow request body is not covered here (only the head).
"""
import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from shared.settings import get_settings

IMPORT_PATH = "services.gateway.http_protocol:HeadTimeoutProtocol"  # for uvicorn --http


class HeadTimeoutProtocol(H11Protocol):
    head_timeout: float | None = None  # seconds; None: LSP_HEADER_READ_TIMEOUT (shared/settings.py)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head_deadline: asyncio.TimerHandle | None = None
        self.head_seconds = get_settings().header_read_timeout if self.head_timeout is None else self.head_timeout

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm_head_deadline()  # uvicorn has no timeout for a connection that never sends a request

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.head_received():
            self.disarm_head_deadline()
        elif self.head_deadline is None:  # the first bytes of the next head on a kept-alive connection
            self.arm_head_deadline()  # (waiting for them is uvicorn's keep-alive timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm_head_deadline()
        super().connection_lost(exc)

    def head_received(self) -> bool:
        # h11 leaves IDLE for the client once a request's head is complete (SEND_BODY, DONE, ...)
        return self.conn.their_state is not h11.IDLE

    def arm_head_deadline(self) -> None:
        self.head_deadline = self.loop.call_later(self.head_seconds, self.head_timed_out)

    def disarm_head_deadline(self) -> None:
        if self.head_deadline is not None:
            self.head_deadline.cancel()
            self.head_deadline = None

    def head_timed_out(self) -> None:
        self.head_deadline = None
        if not self.head_received() and not self.transport.is_closing():
            self.logger.info("%s - closed: no complete request head within %ss", self.client, self.head_seconds)
            self.transport.close()
