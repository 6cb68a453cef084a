"""Drives the web UI in a real browser (Playwright pages) the way its users do; shared by the browser
tests of the embedded and the distributed runtime. The `browser` fixture is in tests/e2e/conftest.py."""
import os
from pathlib import Path
from typing import Any

from tests.support.samples import tiny_pdf
from tests.support.waiting import wait_for

PASSWORD = "rahasia123"
SELECTS = ("jenis_kelamin", "kualifikasi_pendidikan")  # Bagian 1 answers chosen from the form's list
# What watched pages ran into that a user would see as broken: a Content-Security-Policy violation
# (an inline script or style the policy refused), a script error, a stylesheet, script, image or font
# that did not load. test_web_ui.py fails any test that leaves something here.
PROBLEMS: list[str] = []
SUBRESOURCES = ("stylesheet", "script", "image", "font")


def new_page(browser: Any, url: str, **options: Any) -> Any:
    """A page in a browser context of its own (one person's phone or laptop), watched."""
    return watch(browser.new_context(base_url=url, **options).new_page())


def watch(page: Any) -> Any:
    def console(message: Any) -> None:
        # a page answered 4xx on purpose also logs "Failed to load resource": sub-resources are checked below
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            PROBLEMS.append(f"{page.url}: {message.text}")

    def response(answer: Any) -> None:
        if answer.request.resource_type in SUBRESOURCES and answer.status >= 400:
            PROBLEMS.append(f"{page.url}: {answer.status} for {answer.url}")

    def failed(request: Any) -> None:
        # the browser's own PDF viewer (a document shown in the page) loads chrome:// parts headless lacks
        if request.resource_type in SUBRESOURCES and not request.url.startswith(("chrome://", "chrome-extension://")):
            PROBLEMS.append(f"{page.url}: {request.url} not loaded ({request.failure})")

    page.on("console", console)
    page.on("pageerror", lambda error: PROBLEMS.append(f"{page.url}: script error {error}"))
    page.on("response", response)
    page.on("requestfailed", failed)
    return page


def shots_dir(tmp_path: Path) -> Path:
    """Where screenshots go: the test's temporary directory, or LSP_SCREENSHOTS to keep them."""
    path = Path(os.environ.get("LSP_SCREENSHOTS", tmp_path / "screens"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_in(page: Any, email: str, password: str = PASSWORD) -> Any:
    """Log the page in on /masuk (staying there if it is already on it, e.g. after signing up)."""
    if not page.url.split("?")[0].endswith("/masuk"):
        page.goto("/masuk")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Masuk").click()
    return page


def office_login(browser: Any, url: str, email: str, password: str = PASSWORD) -> Any:
    """A staff member in a browser context of their own (a laptop), logged in."""
    office = new_page(browser, url, viewport={"width": 1280, "height": 800})
    return log_in(office, email, password)


def fill_bagian1(page: Any, data: dict[str, str]) -> None:
    """FR.APL.01 Bagian 1 on the application page: the fixed-choice answers selected, the rest typed."""
    for field, value in data.items():
        if field in SELECTS:
            page.select_option(f"#{field}", value)
        else:
            page.fill(f"#{field}", value)


def upload_all(page: Any, prefix: str) -> dict[str, bytes]:
    """Choose a small real PDF for every requirement of the application page and save the form once (what
    is typed in Bagian 1 is saved with them); returns the bytes chosen per requirement code (each file is
    named <prefix>-<code>.pdf)."""
    codes = [el.get_attribute("id")[len("file-"):] for el in page.query_selector_all("input[id^=file-]")]
    assert codes, "the scheme lists no requirements"
    uploaded = {}
    for code in codes:
        uploaded[code] = tiny_pdf(code)
        page.set_input_files(f"#file-{code}", {"name": f"{prefix}-{code}.pdf", "mimeType": "application/pdf",
                                               "buffer": uploaded[code]})
    page.click("#save-application")
    page.wait_for_load_state()
    return uploaded


def reload_until(page: Any, selector: str, text: str, timeout: float = 15.0) -> str:
    """For a page showing what another user (or another service) changed: read models in other
    processes follow within moments, so reload until the element shows the text."""
    def shown() -> str | None:
        content = page.inner_text(selector) if page.locator(selector).count() else ""
        if text in content:
            return content
        page.reload()
        return None
    return wait_for(shown, timeout=timeout, what=f"{text!r} in {selector} of {page.url}")
