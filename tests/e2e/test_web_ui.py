"""The web UI in a real headless Chromium (Debian's), against the embedded platform.

An asesi registers, applies, pays; the admin LSP accepts and verifies, each in their own browser.
Screenshots of every page land in the test's temporary directory (LSP_SCREENSHOTS to keep them).
"""
import io
import os
import shutil
from pathlib import Path

import httpx
import pytest

from tests.e2e.driver import ADMIN, login, open_branch

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser():
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


def shots_dir(tmp_path: Path) -> Path:
    path = Path(os.environ.get("LSP_SCREENSHOTS", tmp_path / "screens"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_asesi_applies_and_pays_admin_accepts_and_verifies_in_the_browser(embedded, browser, tmp_path):
    shots = shots_dir(tmp_path)
    http = httpx.Client(base_url=embedded.url, timeout=10)
    open_branch(http, login(http, *ADMIN), "BDG01")

    asesi = browser.new_context(base_url=embedded.url, viewport={"width": 390, "height": 844})  # a phone
    page = asesi.new_page()
    page.goto("/")
    page.get_by_role("link", name="Daftar sebagai asesi").click()
    page.fill("#branch", "bdg01")
    page.fill("#name", "Siti Rahayu")
    page.fill("#email", "siti@contoh.co.id")
    page.fill("#password", "pendek")  # the browser itself refuses too short a password
    page.fill("#password", "rahasia123")
    page.screenshot(path=shots / "01-daftar.png", full_page=True)
    page.get_by_role("button", name="Daftar sebagai asesi").click()
    assert "Akun dibuat" in page.inner_text(".notice")
    page.fill("#email", "siti@contoh.co.id")
    page.fill("#password", "rahasia123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/asesi")
    page.select_option("#scheme_id", label="Ahli K3 Umum (SKM/K3/AHLI-K3-UMUM/2025)")
    page.screenshot(path=shots / "02-asesi-beranda.png", full_page=True)
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url("**/asesi/permohonan/*")
    assert "Menunggu verifikasi admin" in page.inner_text("#status")
    case_url = page.url

    admin = browser.new_context(base_url=embedded.url, viewport={"width": 1280, "height": 800})  # a laptop
    office = admin.new_page()
    office.goto("/masuk")
    office.fill("#email", "admin_lsp.bdg01@lsp-katiga.co.id")
    office.fill("#password", "rahasia123")
    office.get_by_role("button", name="Masuk").click()
    office.wait_for_url("**/admin")
    assert "Siti Rahayu" in office.inner_text("main")
    office.screenshot(path=shots / "03-admin-antrean.png", full_page=True)
    office.get_by_role("button", name="Terima dan terbitkan tagihan").click()
    office.wait_for_url("**/admin")

    page.goto(case_url)
    assert "Menunggu pembayaran" in page.inner_text("#status")
    with page.expect_download() as download:  # the invoice PDF, with the same number
        page.click("#invoice-pdf")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and "INV/BDG01/" in pdf_text(pdf)
    page.fill("#reference", "TRF-20251124-001")
    page.screenshot(path=shots / "04-asesi-tagihan.png", full_page=True)
    page.get_by_role("button", name="Kirim bukti pembayaran").click()
    assert "Bukti bayar sedang diverifikasi" in page.inner_text("#status")

    office.goto("/admin")
    assert "TRF-20251124-001" in office.inner_text("main")
    office.get_by_role("button", name="Verifikasi pembayaran").click()
    office.wait_for_url("**/admin")
    page.goto(case_url)
    assert "Pembayaran terverifikasi" in page.inner_text("#status")
    page.screenshot(path=shots / "05-asesi-lunas.png", full_page=True)

    page.goto(case_url + "?lang=en")  # English is one click away, and remembered
    assert "Payment verified" in page.inner_text("#status")
    page.goto("/asesi")
    assert "My applications" in page.inner_text("h1")

    # another asesi of the branch does not see Siti's application
    http.post("/api/auth/register", json={"branch": "BDG01", "email": "andi@contoh.co.id",
                                          "name": "Andi", "password": "rahasia123"})
    stranger = browser.new_context(base_url=embedded.url).new_page()
    stranger.goto("/masuk")
    stranger.fill("#email", "andi@contoh.co.id")
    stranger.fill("#password", "rahasia123")
    stranger.get_by_role("button", name="Masuk").click()
    stranger.wait_for_url("**/asesi")
    response = stranger.goto(case_url)
    assert response.status == 404 and "Halaman tidak ditemukan" in stranger.inner_text("h1")
    stranger.screenshot(path=shots / "06-bukan-milik-anda.png", full_page=True)


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_pages_need_a_login_and_refuse_cross_site_posts(embedded):
    http = httpx.Client(base_url=embedded.url, timeout=10, follow_redirects=False)
    assert http.get("/asesi").headers["location"] == "/masuk"
    assert http.get("/admin").headers["location"] == "/masuk"
    forged = http.post("/masuk", data={"email": "a@b.co", "password": "x"},
                       headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    wrong = http.post("/masuk", data={"email": "nobody@contoh.co.id", "password": "salahsalah"})
    assert wrong.status_code == 401 and "E-mail atau kata sandi salah" in wrong.text
    # the web session may fetch documents (GET) but never runs an API command
    admin = login(http, *ADMIN)
    http.cookies.set("lsp_session", admin.token)
    assert http.get("/api/me").status_code == 200
    assert http.post("/api/branches", json={"code": "CSRF1", "name": "x"}).status_code == 401
