import os
import shutil
from pathlib import Path

import pytest

from tests.support.platform import EmbeddedPlatform

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    platform = EmbeddedPlatform(tmp_path_factory.mktemp("embedded"))
    platform.start()
    yield platform
    platform.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright (tests/support/web_driver.py drives its pages)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is required in CI (make test installs Debian's chromium)")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()
