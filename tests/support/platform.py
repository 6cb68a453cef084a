"""The embedded platform as a real process, for the e2e tests (the `embedded` fixture in
tests/e2e/conftest.py starts one per module)."""
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.support.waiting import free_port

ROOT = Path(__file__).resolve().parents[2]


class EmbeddedPlatform:
    """The README's first command, run as a real process on a private port and data directory."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "LSP_DATA_DIR": str(self.data_dir), "LSP_PORT": str(self.port)}
        self.log = open(self.data_dir / "platform.log", "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "services.gateway.main"], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.data_dir / "platform.log").read_text()
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("platform did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@contextmanager
def two_branches(tmp_path_factory: Any, name: str) -> Iterator[tuple[Any, Any, Any, Any]]:
    """The platform in this process (a TestClient on its own data directory) with two branches, JKT01 and
    SBY01, and their staff: (http, the platform admin, jkt, sby)."""
    from fastapi.testclient import TestClient

    from services.gateway.main import create_app
    from shared.settings import Settings
    from tests.support.driver import ADMIN, login, open_branch
    with TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp(name)))) as http:
        admin = login(http, *ADMIN)
        yield http, admin, open_branch(http, admin, "JKT01"), open_branch(http, admin, "SBY01")
