"""Web hardening: security headers on every kind of response, and a deadline for a request's head."""
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from services.gateway.http_protocol import IMPORT_PATH, HeadTimeoutProtocol
from services.gateway.main import create_app
from shared.settings import Settings
from tests.support.waiting import free_port

ROOT = Path(__file__).resolve().parents[3]
STRICT = {"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
          "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"}


def directives(response) -> set[str]:
    return {part.strip() for part in response.headers["content-security-policy"].split(";")}


@pytest.fixture
def client(tmp_path) -> TestClient:
    # no lifespan: these responses need no runtime, and the headers do not depend on one
    return TestClient(create_app(Settings(data_dir=tmp_path)), follow_redirects=False)


def hardened(response) -> None:
    assert directives(response) == STRICT, response.request.url
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # served over http


def test_pages_api_errors_and_static_files_carry_the_security_headers(client):
    page = client.get("/masuk")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    unauthenticated = client.get("/api/me")
    assert unauthenticated.status_code == 401 and unauthenticated.headers["content-type"] == "application/json"
    error_page = client.post("/masuk", data={}, headers={"Accept": "text/html"})
    assert error_page.status_code == 422 and "wajib diisi" in error_page.text and "<html" in error_page.text
    # a public path that does not exist (a stranger asking for any other path is sent to the login page)
    unknown, redirect = client.get("/cabang/JKT01/tidak-ada"), client.get("/asesi")
    assert unknown.status_code == 404 and redirect.status_code == 303
    for response in (page, unauthenticated, error_page, unknown, redirect, client.get("/static/app.css"),
                     client.get("/openapi.json")):
        hardened(response)


def test_no_page_may_be_framed(client):
    response = client.get("/masuk")
    assert "frame-ancestors 'none'" in directives(response) and response.headers["x-frame-options"] == "DENY"


def test_no_template_has_an_inline_script_style_or_event_handler():
    """The policy would refuse them in the browser; this finds them in pages no browser test opens."""
    inline = re.compile(r"<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)
    templates = sorted((ROOT / "services").rglob("templates/**/*.html"))
    assert len(templates) > 10
    for template in templates:
        assert not inline.search(template.read_text()), template


def test_api_docs_work_offline_under_their_own_policy(client):
    docs = client.get("/docs")
    assert "cdn." not in docs.text and "/docs-static/swagger-ui-bundle.js" in docs.text  # works offline
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
    assert "SwaggerUIBundle" in client.get("/docs-static/swagger-ui-bundle.js").text
    assert "script-src 'self' 'unsafe-inline'" in directives(docs) and "https:" not in str(directives(docs))
    assert {"frame-ancestors 'none'", "object-src 'none'"} <= directives(docs)
    assert docs.headers["x-content-type-options"] == "nosniff"
    assert directives(client.get("/docs/extra")) == STRICT  # only the docs pages themselves


def test_hsts_only_when_the_public_url_is_https(tmp_path):
    secure = TestClient(create_app(Settings(data_dir=tmp_path, public_url="https://e-asesmen.example.id")))
    assert secure.get("/masuk").headers["strict-transport-security"] == "max-age=31536000"
    plain = TestClient(create_app(Settings(data_dir=tmp_path, public_url="http://127.0.0.1:8000")))
    assert "strict-transport-security" not in plain.get("/masuk").headers


# ---- the request head's deadline (slowloris) -------------------------------------------------------

async def hello(scope, receive, send) -> None:
    if scope["type"] != "http":  # lifespan
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


class QuickHeadTimeout(HeadTimeoutProtocol):
    head_timeout = 0.5


@pytest.fixture
def server() -> Iterator[int]:
    """uvicorn in a thread with the gateway's protocol and a half-second deadline for the head."""
    port = free_port()
    config = uvicorn.Config(hello, host="127.0.0.1", port=port, http=QuickHeadTimeout, lifespan="off",
                            log_level="warning", timeout_keep_alive=30)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield port
    running.should_exit = True
    thread.join(10)


def closed_after(sock: socket.socket, trickle: bytes, limit: float = 5.0) -> float:
    """Send the bytes one at a time, 0.1 s apart, then wait; seconds until the server closed."""
    start = time.monotonic()
    try:
        for byte in trickle:
            sock.sendall(bytes([byte]))
            time.sleep(0.1)
        sock.settimeout(limit)
        assert sock.recv(1024) == b""  # closed, with nothing answered
    except (BrokenPipeError, ConnectionResetError):
        pass
    return time.monotonic() - start


def test_a_request_head_sent_too_slowly_is_cut_off(server):
    with socket.create_connection(("127.0.0.1", server)) as slow:
        elapsed = closed_after(slow, b"GET / HTTP/1.1\r\nHost: x\r\n" * 3)  # 7.5 s at this pace
    assert 0.4 < elapsed < 1.5


def test_a_connection_that_never_sends_a_request_is_cut_off(server):
    with socket.create_connection(("127.0.0.1", server)) as silent:
        assert 0.4 < closed_after(silent, b"") < 1.5


def test_an_idle_connection_that_starts_a_request_late_is_cut_off_too(server):
    with socket.create_connection(("127.0.0.1", server)) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # one whole request, kept alive
        assert response(slow).startswith(b"HTTP/1.1 200")
        elapsed = closed_after(slow, b"GET / HT")  # then the next head, half a line, slowly
    assert 0.4 < elapsed < 1.5


def test_normal_requests_are_answered(server):
    with socket.create_connection(("127.0.0.1", server)) as client:
        for _ in range(2):  # keep-alive: the deadline is per request head, not per connection
            client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert response(client).endswith(b"ok")
            time.sleep(0.7)  # longer than the deadline, between requests: not a slow head
    with socket.create_connection(("127.0.0.1", server)) as client:  # a head in pieces, within the deadline
        for piece in (b"GET / HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):
            client.sendall(piece)
            time.sleep(0.1)
        assert response(client).startswith(b"HTTP/1.1 200")


def response(sock: socket.socket) -> bytes:
    """The whole (two-byte) response: it may arrive in more than one piece."""
    sock.settimeout(5)
    received = b""
    while not received.endswith(b"ok"):
        chunk = sock.recv(1024)
        assert chunk, f"closed after {received!r}"
        received += chunk
    return received


def test_the_uvicorn_command_line_takes_it_by_its_import_path(tmp_path):
    """As deploy/run_local.py and compose.yaml start the gateway: `uvicorn ... --http <IMPORT_PATH>`."""
    port = free_port()
    (tmp_path / "tiny.py").write_text("async def app(scope, receive, send):\n    pass\n")  # quick to import
    env = {**os.environ, "LSP_HEADER_READ_TIMEOUT": "0.5", "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "tiny:app", "--port",
                               str(port), "--lifespan", "off", "--http", IMPORT_PATH], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                slow = socket.create_connection(("127.0.0.1", port))
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline and server.poll() is None, "uvicorn did not start"
                time.sleep(0.1)
        with slow:
            assert 0.4 < closed_after(slow, b"GET / HT") < 1.5
    finally:
        server.terminate()
        server.wait(10)


def test_the_deadline_defaults_to_ten_seconds_and_every_launcher_uses_it():
    assert Settings().header_read_timeout == 10.0
    assert "http=HeadTimeoutProtocol" in (ROOT / "services/gateway/main.py").read_text()
    for launcher in ("deploy/run_local.py", "deploy/compose.yaml"):
        assert f'"--http", "{IMPORT_PATH}"' in (ROOT / launcher).read_text(), launcher
