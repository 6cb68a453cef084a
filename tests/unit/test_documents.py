import io

from pypdf import PdfReader

from services.registration.documents import invoice_pdf

APPLICATION = {
    "id": "5c1f6a0e-0000-4000-8000-000000000001", "asesi": {"id": "a1", "name": "Siti Rahayu"},
    "scheme": {"title": "Ahli K3 Umum", "number": "SKM/K3/AHLI-K3-UMUM/2025"},
    "invoice": {"number": "INV/BDG01/2026/00001", "amount": 3_500_000, "issued_at": "2026-11-24T02:00:00+00:00"},
}


def test_invoice_pdf_carries_number_amount_asesi_and_date_in_wib():
    pdf = invoice_pdf(APPLICATION, "LSP KATIGA PASS - Cabang Bandung")
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("INV/BDG01/2026/00001", "Rp 3.500.000", "Siti Rahayu", "Ahli K3 Umum",
                     "24 November 2026", "Cabang Bandung"):
        assert expected in text, expected


def test_names_outside_latin1_do_not_break_the_document():
    application = {**APPLICATION, "asesi": {"id": "a1", "name": "Nguyễn — Ṡiti"}}
    assert invoice_pdf(application, "LSP").startswith(b"%PDF")
