"""The web UI in a real headless Chromium (Debian's), against the embedded platform.

An asesi registers, applies, pays; the admin LSP accepts and verifies, each in their own browser.
Screenshots of every page land in the test's temporary directory (LSP_SCREENSHOTS to keep them).
"""
from pathlib import Path

import httpx
import pytest

from tests.support.driver import (
    ADMIN,
    login,
    open_branch,
    pay_case,
    run_case,
    session_for,
    signup_asesi,
    tiny_pdf,
    wait_for,
)
from tests.support.samples import pdf_text, tiny_png
from tests.support.web_driver import (
    PASSWORD,
    PROBLEMS,
    fill_bagian1,
    log_in,
    new_page,
    office_login,
    reload_until,
    shots_dir,
    upload_all,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def pages_work():
    """Every page a test opened loaded whole: no CSP violation, script error or missing resource."""
    PROBLEMS.clear()
    yield
    assert not PROBLEMS, "\n".join(PROBLEMS)


def test_apl01_from_draft_to_verified_payment_in_the_browser(embedded, browser, tmp_path):
    shots = shots_dir(tmp_path)
    http = httpx.Client(base_url=embedded.url, timeout=10)
    open_branch(http, login(http, *ADMIN), "BDG01")

    page = new_page(browser, embedded.url, viewport={"width": 390, "height": 844})  # a phone
    page.goto("/")
    page.get_by_role("link", name="Daftar sebagai asesi").click()
    page.fill("#branch", "bdg01")
    page.fill("#name", "Siti Rahayu")
    page.fill("#email", "siti@contoh.co.id")
    page.fill("#password", "rahasia123")
    page.screenshot(path=shots / "01-daftar.png", full_page=True)
    page.get_by_role("button", name="Daftar sebagai asesi").click()
    assert "Akun dibuat" in page.inner_text(".notice")
    log_in(page, "siti@contoh.co.id")
    page.wait_for_url("**/asesi")
    page.select_option("#scheme_id", label="Ahli K3 Umum (SKM/K3/AHLI-K3-UMUM/2025)")
    page.screenshot(path=shots / "02-asesi-beranda.png", full_page=True)
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url("**/asesi/permohonan/*")
    assert "Draf" in page.inner_text("#status")
    case_url = page.url.split("?")[0]

    # an incomplete submission names every problem at once, each beside its field by its label, keeping
    # what was typed; nothing is submitted
    page.fill("#nama_lengkap", "Siti Rahayu")
    page.fill("#kode_pos", "401")
    page.click("#submit-application")
    assert "Draf" in page.inner_text("#status")
    assert page.input_value("#nama_lengkap") == "Siti Rahayu" and page.input_value("#kode_pos") == "401"
    assert page.inner_text("#nik-error").startswith("No. KTP/NIK/Paspor")
    assert page.inner_text("#kode_pos-error").startswith("Kode pos")
    assert page.locator("[id^=dokumen-][id$=-error]").count() >= 1  # the documents not uploaded yet
    assert "PD-01" not in page.inner_text("main")  # no internal codes
    # typing, then choosing the documents and saving: nothing typed is lost
    fill_bagian1(page, {"nama_lengkap": "Siti Rahayu", "nik": "3273015505900001", "tempat_lahir": "Bandung",
                        "tanggal_lahir": "1990-05-15", "jenis_kelamin": "P", "kebangsaan": "Indonesia",
                        "alamat_rumah": "Jl. Merdeka No. 10, Bandung", "kode_pos": "40111",
                        "hp": "081234567890", "email": "siti@contoh.co.id", "kualifikasi_pendidikan": "S1",
                        "institusi": "PT Aman Sentosa", "jabatan": "Petugas K3"})
    upload_all(page, "bukti")
    assert "Tersimpan" in page.inner_text(".notice")
    assert page.input_value("#tempat_lahir") == "Bandung" and page.input_value("#jabatan") == "Petugas K3"
    assert "bukti-" in page.inner_text("#section-dokumen")
    page.screenshot(path=shots / "03-apl01-draf.png", full_page=True)
    page.click("#submit-application")
    assert "Menunggu verifikasi admin" in page.inner_text("#status")

    # SOP 1.2.1: asked to prepare the TUK equipment; she ticks what is ready, then the rest
    boxes = page.locator("#tuk-equipment input[type=checkbox]")
    assert boxes.count() >= 4 and "kamera" in page.inner_text("#tuk-equipment")
    boxes.nth(0).check()
    page.click("#save-tuk-equipment")
    assert f"1 / {boxes.count()} siap" in page.inner_text("#tuk-equipment")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.click("#save-tuk-equipment")
    assert f"{boxes.count()} / {boxes.count()} siap" in page.inner_text("#tuk-equipment")

    # the admin checks each document: one does not meet the requirement, the application goes back
    office = office_login(browser, embedded.url, "admin_lsp.bdg01@lsp-katiga.co.id")
    office.wait_for_url("**/admin")
    assert "Siti Rahayu" in office.inner_text("main")
    office.get_by_role("link", name="Periksa").first.click()
    assert "3273015505900001" in office.inner_text("main")  # the office sees the NIK (opened from its seal)
    assert "Perempuan" in office.inner_text("main")  # coded answers read as words
    codes = [el.get_attribute("id")[len("document-"):] for el in office.query_selector_all("fieldset[id^=document-]")]
    first_code = codes[0]
    # nothing is preset: every document is marked unchecked and no verdict is chosen for the admin
    assert office.locator("[id^=unsaved-]").count() == len(codes) > 1
    assert office.locator("#verdicts input[type=radio]:checked").count() == 0
    # the document is seen in the page
    office.click(f"#view-{first_code} summary")
    frame_src = office.get_attribute(f"#view-{first_code} iframe", "src")
    assert frame_src.endswith("?inline=true")
    shown = office.request.get(frame_src)
    assert shown.headers["content-disposition"].startswith("inline") and "frame-ancestors 'self'" in \
        shown.headers["content-security-policy"]
    for index, code in enumerate(codes):
        office.check(f"input[name='verdict:{code}'][value={'tidak_memenuhi' if index == 0 else 'memenuhi'}]")
    office.fill(f"#notes-{first_code}", "Pindaian buram, unggah ulang")
    office.click("#save-verdicts")
    assert "Hasil verifikasi tersimpan" in office.inner_text(".notice")
    assert office.locator("[id^=saved-]").count() == len(codes) and office.locator("[id^=unsaved-]").count() == 0
    office.screenshot(path=shots / "04-admin-verifikasi.png", full_page=True)
    office.select_option("#recommendation", "tidak_diterima")
    office.click("#sign-recommendation")
    assert "Dikembalikan" in office.inner_text("#status")

    page.goto(case_url)
    assert "Pindaian buram" in page.inner_text("#deficiencies")
    page.screenshot(path=shots / "05-asesi-dikembalikan.png", full_page=True)
    page.set_input_files(f"#file-{first_code}", {"name": "jelas.pdf", "mimeType": "application/pdf",
                                                 "buffer": tiny_pdf("jelas")})
    page.click("#submit-application")  # the new file and the signature in one step
    assert "Menunggu verifikasi admin" in page.inner_text("#status")

    office.goto(case_url.replace("/asesi/", "/admin/"))
    assert "jelas.pdf" in office.inner_text(f"#document-{first_code}")
    assert office.locator("[id^=changed-]").count() == 1 and office.locator(f"#changed-{first_code}").count() == 1
    assert office.locator(f"#unsaved-{first_code}").count() == 1  # its verdict went with the old file
    office.check(f"input[name='verdict:{first_code}'][value=memenuhi]")
    office.click("#save-verdicts")
    assert office.locator(f"#changed-{first_code}").count() == 0
    office.select_option("#recommendation", "diterima")
    office.click("#sign-recommendation")
    assert "Menunggu pembayaran" in office.inner_text("#status")

    page.goto(case_url)
    with page.expect_download() as download:  # the invoice PDF, with its number
        page.click("#invoice-pdf")
    assert "INV/BDG01/" in pdf_text(Path(download.value.path()).read_bytes())
    page.fill("#reference", "TRF-20251124-001")
    page.set_input_files("#proof", {"name": "transfer.png", "mimeType": "image/png", "buffer": tiny_png()})
    page.screenshot(path=shots / "06-asesi-tagihan.png", full_page=True)
    page.get_by_role("button", name="Kirim bukti pembayaran").click()
    assert "Bukti bayar sedang diverifikasi" in page.inner_text("#status")

    office.goto("/admin")
    office.get_by_role("link", name="Periksa").first.click()
    office.fill("#reason", "Nominal transfer tidak sesuai")
    office.click("#reject-payment")
    page.goto(case_url)
    assert "Nominal transfer tidak sesuai" in page.inner_text("main")
    page.set_input_files("#proof", {"name": "transfer2.pdf", "mimeType": "application/pdf",
                                    "buffer": tiny_pdf("transfer")})
    page.fill("#reference", "TRF-20251124-002")
    page.get_by_role("button", name="Kirim bukti pembayaran").click()

    office.goto(case_url.replace("/asesi/", "/admin/"))
    assert "TRF-20251124-002" in office.inner_text("main")
    office.screenshot(path=shots / "07-admin-pembayaran.png", full_page=True)
    assert "primary" in office.get_attribute("#verify-payment", "class")
    assert "danger" in office.get_attribute("#reject-payment", "class")  # the two decisions look different
    assert "Nominal transfer tidak sesuai" in office.inner_text("#payment")  # the rejected proof stays on record
    office.click("#verify-payment")
    assert "TRF-20251124-002" in office.inner_text("#payment") and office.locator("#payment-verified").count() == 1
    page.goto(case_url)
    assert "Pembayaran terverifikasi" in page.inner_text("#status")

    # FR.APL.02: a portfolio upload, K/BK for every element with evidence, signed and submitted
    page.click("#submit-apl02")  # nothing answered yet: refused, each row named beside it
    rows = page.locator("#apl02-form tr[id^=row-]")
    assert page.locator("#apl02-form tr.has-error").count() == rows.count() > 1
    assert f"0 / {rows.count()} dijawab" in page.inner_text("#apl02-progress")
    radios = page.locator("#apl02-form tr[id^=row-]")
    for index in range(rows.count()):
        radios.nth(index).locator("input[type=radio]").nth(1 if index == 1 else 0).check()
    assert f"{rows.count()} / {rows.count()} dijawab" in page.inner_text("#apl02-progress")  # counted as she goes
    page.set_input_files("#evidence-file", {"name": "portofolio.pdf", "mimeType": "application/pdf",
                                            "buffer": tiny_pdf("portofolio")})
    page.locator("#apl02-form input[type=checkbox]").first.check()
    page.screenshot(path=shots / "08-apl02.png", full_page=True)
    page.click("#save-apl02")  # the portfolio file and the answers chosen, saved together
    assert "Tersimpan" in page.inner_text(".notice")
    assert "portofolio.pdf" in page.inner_text("#apl02-form")
    assert page.locator("#apl02-form input[type=radio]:checked").count() == rows.count()
    page.click("#submit-apl02")
    assert "Asesmen mandiri terkirim" in page.inner_text("#status")
    with page.expect_download() as download:
        page.click("#apl02-pdf")
    assert "BK" in pdf_text(Path(download.value.path()).read_bytes())
    with page.expect_download() as download:
        page.click("#apl01-pdf")
    apl01 = pdf_text(Path(download.value.path()).read_bytes())
    assert "3273015505900001" in apl01 and "Diterima" in apl01
    page.screenshot(path=shots / "08b-asesi-apl02-terkirim.png", full_page=True)

    # SOP 1.3: the admin reviews APL.01 and APL.02 together and signs; the case goes on to scheduling
    office.goto("/admin")
    assert "Menunggu kaji kelayakan" in office.inner_text("main")
    office.goto(case_url.replace("/asesi/", "/admin/"))
    answers = office.locator("#apl02-answers tbody tr td:nth-child(2)").all_inner_texts()
    assert answers[0] == "BK" and answers.count("BK") == 1 and set(answers[1:]) == {"K"}  # BK first
    office.click("#sign-feasibility")  # nothing chosen: refused, nothing signed
    assert "Layak" not in office.inner_text("#status")
    office.select_option("#feasible", "ya")
    office.click("#sign-feasibility")
    assert "Layak" in office.inner_text("#status")
    office.screenshot(path=shots / "08c-admin-kelayakan.png", full_page=True)
    staff = login(http, "admin_lsp.bdg01@lsp-katiga.co.id", "rahasia123")
    wait_for(lambda: staff.get(f"/api/scheduling/cases/{case_url.rsplit('/', 1)[1]}").status_code == 200,
             what="the case reaching scheduling")

    # the audit trail on the case page: every step from the event logs, in order, with who signed
    office.goto(case_url.replace("/asesi/", "/admin/"))
    assert "✗" not in office.inner_text("#tuk-equipment")  # everything she needs is ready
    office.click("#history summary")
    steps = [row.get_attribute("data-type") for row in office.query_selector_all("#history tbody tr")]
    signed = ["ApplicationSubmitted", "ApplicationReturned", "ApplicationResubmitted", "ApplicationAccepted",
              "InvoiceIssued", "PaymentRejected", "PaymentVerified", "SelfAssessmentSubmitted",
              "FeasibilityReviewed", "CaseOpened"]
    assert [s for s in steps if s in signed] == signed
    history = office.inner_text("#history")
    assert "Pembayaran diverifikasi" in history and "Kasus dibuka untuk penjadwalan" in history
    assert "(admin LSP)" in history and "(asesi)" in history and "SHA-256" in history
    office.screenshot(path=shots / "08d-admin-riwayat.png", full_page=True)

    # every step was told to Siti by e-mail; in embedded mode the outbox shows them
    office.goto("/admin/kotak-keluar")
    office.wait_for_function("document.querySelectorAll('details.card').length >= 6")
    outbox = office.inner_text("main")
    assert outbox.count("siti@contoh.co.id") >= 6 and "terkirim" in outbox
    office.screenshot(path=shots / "09-kotak-keluar.png", full_page=True)
    page.goto(case_url)
    assert "Pemberitahuan" in page.inner_text("#notices")

    page.goto(case_url + "?lang=en")  # English is one click away, and remembered
    assert "Feasible" in page.inner_text("#status")
    page.goto("/asesi")
    assert "My applications" in page.inner_text("h1")

    # another asesi of the branch does not see Siti's application
    http.post("/api/auth/register", json={"branch": "BDG01", "email": "andi@contoh.co.id",
                                          "name": "Andi", "password": "rahasia123"})
    stranger = log_in(new_page(browser, embedded.url), "andi@contoh.co.id")
    stranger.wait_for_url("**/asesi")
    response = stranger.goto(case_url)
    assert response.status == 404 and "Halaman tidak ditemukan" in stranger.inner_text("h1")
    stranger.screenshot(path=shots / "10-bukan-milik-anda.png", full_page=True)


def test_pages_need_a_login_and_refuse_cross_site_posts(embedded):
    http = httpx.Client(base_url=embedded.url, timeout=10, follow_redirects=False)
    assert http.get("/asesi").headers["location"] == "/masuk"
    assert http.get("/admin").headers["location"] == "/masuk"
    forged = http.post("/masuk", data={"email": "a@b.co", "password": "x"},
                       headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    wrong = http.post("/masuk", data={"email": "nobody@contoh.co.id", "password": "salahsalah"})
    assert wrong.status_code == 401 and "E-mail atau kata sandi salah" in wrong.text
    incomplete = http.post("/masuk", data={"email": "siapa@contoh.id"}, headers={"Accept": "text/html"})
    assert incomplete.status_code == 422 and "kata sandi: wajib diisi" in incomplete.text  # a page, not JSON
    # the web session may fetch documents (GET) but never runs an API command
    admin = login(http, *ADMIN)
    http.cookies.set("lsp_session", admin.token)
    assert http.get("/api/me").status_code == 200
    assert http.post("/api/branches", json={"code": "CSRF1", "name": "x"}).status_code == 401


def test_public_catalogue_shows_what_an_asesi_needs_to_know(embedded, browser, tmp_path):
    http = httpx.Client(base_url=embedded.url, timeout=10)
    open_branch(http, login(http, *ADMIN), "MKS01")
    page = new_page(browser, embedded.url, viewport={"width": 390, "height": 844})
    page.goto("/masuk")
    page.get_by_role("button", name="Katalog skema sertifikasi").click()  # no code typed: choose a branch
    page.wait_for_url("**/katalog?cabang=")
    assert "MKS01" in page.inner_text("#branches")
    page.goto("/masuk")
    page.fill("#cabang", "mks01")
    page.get_by_role("button", name="Katalog skema sertifikasi").click()
    page.wait_for_url("**/cabang/MKS01/skema")
    text = page.inner_text("main")
    for expected in ("Ahli K3 Umum", "Petugas K3", "M.71KKK01.013.1", "Rp 3.500.000", "kamera",
                     "1.1 Jenis izin kerja diidentifikasi sesuai dengan aktivitas kerja.",  # a KUK of Petugas K3
                     "(persyaratan dasar)", "(administratif)"):
        assert expected in text or expected in page.content(), expected
    assert "Pengawasan K3 Migas" not in text  # unpublished until the LSP supplies its units
    petugas = page.locator("section.scheme", has=page.get_by_role("heading", name="Petugas K3", exact=True))
    petugas.locator("details").first.click()
    kuk = "Jenis izin kerja diidentifikasi sesuai dengan aktivitas kerja."
    assert kuk not in petugas.inner_text()  # folded under its element until asked for
    petugas.get_by_text("Mempersiapkan izin kerja").click()
    assert kuk in petugas.inner_text()
    petugas.scroll_into_view_if_needed()
    page.screenshot(path=shots_dir(tmp_path) / "00-katalog.png")
    # applying from Petugas K3 keeps that choice through sign-up and login to the application form
    petugas.get_by_role("link", name="Daftar dan ajukan permohonan").click()
    assert page.input_value("#branch") == "MKS01"
    page.fill("#name", "Rina Kartika")
    page.fill("#email", "rina.mks@contoh.co.id")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Daftar sebagai asesi").click()
    assert "Akun dibuat" in page.inner_text(".notice")
    log_in(page, "rina.mks@contoh.co.id")
    page.wait_for_url("**/asesi?skema=*")
    assert page.locator("#scheme_id option:checked").inner_text().startswith("Petugas K3")
    page.goto("/cabang/MKS01/skema")  # logged in already: applying again goes home, not to sign-up
    page.locator("section.scheme", has=page.get_by_role("heading", name="Ahli K3 Umum", exact=True)).get_by_role(
        "link", name="Daftar dan ajukan permohonan").click()
    page.wait_for_url("**/asesi?skema=*")
    assert page.locator("#scheme_id option:checked").inner_text().startswith("Ahli K3 Umum")


def test_admin_completes_publishes_and_creates_schemes(embedded, browser, tmp_path):
    shots = shots_dir(tmp_path)
    http = httpx.Client(base_url=embedded.url, timeout=10)
    open_branch(http, login(http, *ADMIN), "PLG01")
    office = office_login(browser, embedded.url, "admin_lsp.plg01@lsp-katiga.co.id")
    office.wait_for_url("**/admin")
    office.get_by_role("link", name="Skema sertifikasi cabang").click()
    row = office.locator("tr", has_text="Pengawasan K3 Migas")
    assert "Belum terbit" in row.inner_text()
    row.get_by_role("link", name="Ubah").click()
    office.click("#toggle-publish")  # no units yet: refused, with the reason
    assert "harus memiliki minimal satu unit kompetensi" in office.inner_text(".error")
    office.fill("#units", "LSP.MIGAS.001.01 | Mengawasi Penerapan K3 Migas | Standar Khusus | Skema LSP\n"
                          "LSP.MIGAS.002.01 | Mengevaluasi Izin Kerja Migas | Standar Khusus | Skema LSP")
    office.click("#save-scheme")
    assert "Tersimpan" in office.inner_text(".notice") and "Versi 2" in office.inner_text("main")
    office.click("#toggle-publish")
    assert "Terbit" in office.inner_text("#published")
    office.screenshot(path=shots / "11-admin-skema.png", full_page=True)
    catalogue = http.get("/api/public/branches/PLG01/schemes").json()
    migas = next(s for s in catalogue if s["title"] == "Pengawasan K3 Migas")
    assert [u["code"] for u in migas["units"]] == ["LSP.MIGAS.001.01", "LSP.MIGAS.002.01"]

    office.goto("/admin/skema/baru")
    office.fill("#number", "SKM/K3/P3K/2026")
    office.fill("#title", "Petugas P3K")
    office.fill("#fee", "1500000")
    office.fill("#units", "M.71KKK01.006.1 | Mengelola P3K di Tempat Kerja | SKKNI | SKKNI No. 38 Tahun 2019")
    office.fill("#requirements", "ADM-01 | Fotokopi KTP | administratif")
    office.click("#save-scheme")
    assert "Belum terbit" in office.inner_text("#published")  # a new scheme starts as a draft
    office.fill("#units", "tanpa judul")  # a unit line without a title: refused, naming the field
    office.click("#save-scheme")
    assert office.locator(".error").count() == 1
    # "tanpa judul" was read as the code
    assert office.inner_text(".error") == "unit kompetensi, baris 1, kode: formatnya tidak sesuai"


def test_a_blocked_inline_script_or_style_fails_a_browser_test(embedded, browser):
    """The pages carry no inline script or style, because the Content-Security-Policy refuses them;
    a template that added one would be refused too, and the watcher reports it."""
    page = new_page(browser, embedded.url)
    assert "frame-ancestors 'none'" in page.goto("/masuk").headers["content-security-policy"]
    page.evaluate("""() => {
        document.body.setAttribute("style", "color: red");
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.head.appendChild(script);
    }""")
    assert page.evaluate("window.injected") is None  # the inline script did not run
    wait_for(lambda: sum("Content Security Policy" in problem for problem in PROBLEMS) >= 2,
             what="both violations reported")
    PROBLEMS.clear()  # reported as they must be: this test passes


def test_certificate_qr_page_and_check_by_number_and_name(embedded, browser, tmp_path):
    shots = shots_dir(tmp_path)
    http = httpx.Client(base_url=embedded.url, timeout=10)
    branch = open_branch(http, login(http, *ADMIN), "MDN01")
    asesi = signup_asesi(http, "MDN01", "budi.mdn@contoh.co.id")
    case = run_case(http, branch, asesi)
    number = case["certificate_number"]
    token = wait_for(lambda: asesi.ok(asesi.get("/api/certificates")), what="the certificate")[0]["verification_token"]

    # the holder's case page shows the case whole: assessor, assessment, decision, certificate
    holder = log_in(new_page(browser, embedded.url), "budi.mdn@contoh.co.id")
    holder.wait_for_url("**/asesi")
    holder.get_by_role("link", name="Rincian").first.click()
    assert holder.inner_text("#status") == "Kompeten — sertifikat terbit"  # no longer "menunggu penjadwalan"
    journey = holder.inner_text("#journey")
    for expected in ("Asesor MDN01", "Kompeten (K)", "Keputusan LSP", number, "Berlaku sampai"):
        assert expected in journey, expected
    assert "MET" not in journey  # the office sees the assessor's MET number; the asesi needs only the name
    holder.screenshot(path=shots / "11-perjalanan-sertifikasi.png", full_page=True)
    with holder.expect_download() as download:  # the certificate itself, from the case page
        holder.click("#certificate-pdf")
    assert number in pdf_text(Path(download.value.path()).read_bytes())
    holder.get_by_role("link", name="Lihat sertifikat").click()
    holder.wait_for_url(f"**/sertifikat/{token}")
    office = office_login(browser, embedded.url, "admin_lsp.mdn01@lsp-katiga.co.id")
    office.goto(f"/admin/permohonan/{case['case_id']}")
    assert office.inner_text("#status") == "Kompeten — sertifikat terbit" and "MET" in office.inner_text("#journey")

    # the holder downloads the certificate's QR code, which links to its public page
    qr = holder.goto(f"/api/certificates/{number}/qr.svg")
    assert qr.status == 200 and qr.headers["content-type"] == "image/svg+xml"

    # anyone who scans it sees the whole certificate, no login; in English on request
    page = new_page(browser, embedded.url, viewport={"width": 390, "height": 844})
    page.goto(f"/sertifikat/{token}")
    assert page.inner_text("#certificate-status") == "Berlaku"
    shown = page.inner_text("#certificate")
    for expected in (number, "Budi Santoso", "Ahli K3 Umum", "LSP Cabang MDN01"):
        assert expected in shown, expected
    page.screenshot(path=shots / "12-sertifikat.png", full_page=True)
    page.goto(f"/sertifikat/{token}?lang=en")
    assert page.inner_text("#certificate-status") == "Valid" and "Certificate of competence" in page.inner_text("h1")
    guessed = page.goto(f"/sertifikat/{token[::-1]}?lang=id")  # not a token (unless a palindrome)
    assert guessed.status == 404 and "Halaman tidak ditemukan" in page.inner_text("h1")

    # the check by number needs the holder's name; a wrong one reads like an unknown number
    page.goto("/sertifikat")
    page.fill("#number", number)
    page.fill("#name", "Andi")
    page.get_by_role("button", name="Cek").click()
    assert "Sertifikat tidak ditemukan" in page.inner_text(".error")
    page.fill("#name", "budi  santoso")
    page.get_by_role("button", name="Cek").click()
    assert page.inner_text("#certificate-number") == number and page.inner_text("#certificate-status") == "Berlaku"
    page.screenshot(path=shots / "13-cek-sertifikat.png", full_page=True)


def test_api_documentation_works_without_internet(embedded, browser, tmp_path):
    """The test browser cannot reach the internet: Swagger UI must come from the platform."""
    page = new_page(browser, embedded.url)
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "LSP e-Asesmen Platform" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock-tag").count() >= 5  # the operations, grouped by tag
    page.screenshot(path=shots_dir(tmp_path) / "api-docs.png")


def test_every_role_does_its_step_on_its_own_page(embedded, browser, tmp_path):
    """After the feasibility review: the admin assigns the asesor (/penjadwalan), the asesor records
    K per unit (/asesor), the ketua LSP decides (/keputusan); each lands there when logging in."""
    shots = shots_dir(tmp_path)
    http = httpx.Client(base_url=embedded.url, timeout=10)
    branch = open_branch(http, login(http, *ADMIN), "JMB01")
    asesi = signup_asesi(http, "JMB01", "dewi.jmb@contoh.co.id")
    case_id = pay_case(http, branch, asesi)["case_id"]

    admin = office_login(browser, embedded.url, "admin_lsp.jmb01@lsp-katiga.co.id")
    admin.get_by_role("link", name="Semua kasus cabang").click()  # any case, by the asesi's name
    admin.fill("#q", "budi")
    admin.get_by_role("button", name="Cari").click()
    assert "Budi Santoso" in admin.inner_text("#found") and case_id in admin.inner_html("#found")
    admin.fill("#q", "tidak ada yang bernama ini")
    admin.get_by_role("button", name="Cari").click()
    assert "Budi Santoso" not in admin.inner_text("#found")
    session_for(branch, branch.admin.ok(branch.admin.get("/api/schemes"))[0]["number"])  # a session with seats
    admin.goto("/admin")
    admin.get_by_role("link", name="Penugasan asesor").click()
    reload_until(admin, "#unplaced", "Budi Santoso")  # the case reaches scheduling in moments
    admin.locator(f"#place-{case_id}").get_by_role("button", name="Tempatkan").click()
    assert "Asesi ditempatkan" in admin.inner_text(".notice")
    assert "Asesor JMB01" in admin.inner_text("#waiting")
    admin.locator(f"#case-{case_id}").get_by_role("button", name="Tugaskan").click()
    assert "Asesor ditunjuk" in admin.inner_text(".notice") and "Asesor JMB01" in admin.inner_text("#appointed")
    admin.screenshot(path=shots / "20-penugasan-asesor.png", full_page=True)

    assessor = office_login(browser, embedded.url, "asesor.jmb01@lsp-katiga.co.id")
    assessor.wait_for_url("**/asesor")
    assessor.click("#to-assignments")
    assessor.locator(f"#assignment-{case_id}").get_by_role("link", name="Jawab penugasan").click()
    assessor.click("#confirm-assignment")  # nothing answered: each question says so beside it
    assert assessor.locator("#melatih-error").count() and "Menunggu konfirmasi" in assessor.inner_text("#status")
    for question in ("melatih", "institusi_sama", "hubungan_keluarga"):
        assessor.select_option(f"#{question}", "tidak")
    assessor.select_option("#kepentingan_lain", "ya")  # a declared conflict cannot be confirmed
    assessor.click("#confirm-assignment")
    assert "konflik kepentingan" in assessor.inner_text("#kepentingan_lain-error")
    assert assessor.input_value("#melatih") == "tidak"  # what was chosen is kept
    assessor.select_option("#kepentingan_lain", "tidak")
    assessor.screenshot(path=shots / "20b-pernyataan-ketidakberpihakan.png", full_page=True)
    assessor.click("#confirm-assignment")
    assert "pernyataan ketidakberpihakan ditandatangani" in assessor.inner_text(".notice")
    assessor.goto("/asesor")
    reload_until(assessor, "#assessments", "Budi Santoso")
    assessor.get_by_role("link", name="Buka").click()
    assessor.click("#give-recommendation")  # nothing chosen: the browser asks for every unit first
    assert "/asesor/asesmen/" in assessor.url and not assessor.locator(".notice").count()
    for radio in assessor.locator("input[type=radio][value=K]").all():
        radio.check()
    assessor.screenshot(path=shots / "21-rekomendasi-asesor.png", full_page=True)
    assessor.click("#give-recommendation")
    assert "Rekomendasi terkirim" in assessor.inner_text(".notice")
    assert "Kompeten (K)" in assessor.inner_text("main") and not assessor.locator("#give-recommendation").count()

    ketua = office_login(browser, embedded.url, "ketua_lsp.jmb01@lsp-katiga.co.id")
    ketua.wait_for_url("**/keputusan")
    reload_until(ketua, "#waiting", "Budi Santoso")
    form = ketua.locator(f"#case-{case_id}")
    form.get_by_label("Kompeten (K)").check()
    form.get_by_label("Catatan keputusan (rapat pleno)").fill("Rapat pleno 28 November")
    ketua.screenshot(path=shots / "22-keputusan.png", full_page=True)
    form.get_by_role("button", name="Tandatangani keputusan").click()
    assert "Keputusan tersimpan" in ketua.inner_text(".notice")
    assert "LSP-JMB01-" in ketua.inner_text("#decided")

    holder = log_in(new_page(browser, embedded.url), "dewi.jmb@contoh.co.id")
    holder.goto(f"/asesi/permohonan/{case_id}")
    assert reload_until(holder, "#status", "Kompeten — sertifikat terbit")


def test_role_pages_refuse_other_roles_and_other_assessors(embedded):
    http = httpx.Client(base_url=embedded.url, timeout=10, follow_redirects=False)
    branch = open_branch(http, login(http, *ADMIN), "PKU01")
    asesi = signup_asesi(http, "PKU01", "eka.pku@contoh.co.id")
    for page in ("/penjadwalan", "/asesor", "/keputusan"):
        assert http.get(page).headers["location"] == "/masuk"  # not logged in
        http.cookies.set("lsp_session", asesi.token)
        assert http.get(page, headers={"Accept": "text/html"}).status_code == 403
        http.cookies.clear()
    http.cookies.set("lsp_session", branch.asesor.token)
    assert http.get("/asesor/asesmen/00000000-0000-0000-0000-000000000000",
                    headers={"Accept": "text/html"}).status_code == 404


def test_platform_admin_opens_a_branch_and_adds_its_staff_on_pages(embedded, browser, tmp_path):
    """A refused form comes back with what was typed and the reason beside its field."""
    page = log_in(new_page(browser, embedded.url), ADMIN[0], ADMIN[1])
    page.wait_for_url("**/platform")
    page.fill("#code", "btm01")
    page.fill("#name", "LSP K3 Cabang Batam")
    page.get_by_role("button", name="Buka cabang baru").click()
    page.wait_for_url("**/platform/cabang/BTM01?pesan=branch_opened")
    page.goto("/platform")
    assert "LSP K3 Cabang Batam" in page.inner_text("#branches")
    page.fill("#code", "BTM01")
    page.fill("#name", "Cabang kembar")
    page.get_by_role("button", name="Buka cabang baru").click()
    assert "sudah ada" in page.inner_text("#code-error") and page.input_value("#name") == "Cabang kembar"

    page.goto("/platform/cabang/BTM01")
    page.fill("#name", "Rahmat Hidayat")
    page.fill("#email", "rahmat@lsp-batam.co.id")
    page.select_option("#role", "asesor")
    page.fill("#password", "password123")  # a common password
    page.get_by_role("button", name="Tambah staf").click()
    assert page.locator("#password-error").count() == 1
    assert page.input_value("#email") == "rahmat@lsp-batam.co.id" and page.input_value("#role") == "asesor"
    page.fill("#password", "Batam-Asesor-2026!")
    page.get_by_role("button", name="Tambah staf").click()
    assert "Staf ditambahkan" in page.inner_text(".notice")
    assert "Rahmat Hidayat" in page.inner_text("#staff") and "asesor" in page.inner_text("#staff")
    page.screenshot(path=shots_dir(tmp_path) / "30-platform-cabang.png", full_page=True)
    assert log_in(new_page(browser, embedded.url), "rahmat@lsp-batam.co.id", "Batam-Asesor-2026!")
