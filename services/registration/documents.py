"""Documents registration issues as PDF. Built from the read model, so they match what users see."""
from typing import Any

from fpdf import FPDF

from shared.display import rupiah, tanggal

MARGIN = 18


def _text(value: Any) -> str:
    # the built-in PDF fonts are Latin-1; keep the document portable without bundling a font
    return str(value).replace("—", "-").replace("–", "-").encode("latin-1", "replace").decode("latin-1")


def _document(title: str, branch: str) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, MARGIN)
    pdf.add_page()
    pdf.set_title(_text(title))
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _text(branch), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 12, _text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    return pdf


def _row(pdf: FPDF, label: str, value: Any) -> None:
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(45, 7, _text(label))
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(0, 7, _text(value), new_x="LMARGIN", new_y="NEXT")


def invoice_pdf(application: dict[str, Any], branch_name: str) -> bytes:
    """The invoice of SOP 1.2.3 for one accepted application."""
    invoice, scheme = application["invoice"], application["scheme"]
    pdf = _document("TAGIHAN / INVOICE", branch_name)
    _row(pdf, "Nomor tagihan", invoice["number"])
    _row(pdf, "Tanggal", tanggal(invoice["issued_at"]))
    _row(pdf, "Kepada (asesi)", application["asesi"]["name"])
    _row(pdf, "Nomor permohonan", application["id"])
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 10)
    pdf.set_fill_color(235, 240, 238)
    pdf.cell(130, 8, "Uraian", border=1, fill=True)
    pdf.cell(0, 8, "Jumlah", border=1, fill=True, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(130, 8, _text(f"Biaya sertifikasi kompetensi: {scheme['title']} ({scheme['number']})"), border=1)
    pdf.cell(0, 8, _text(rupiah(invoice["amount"])), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(130, 8, "Total", border=1)
    pdf.cell(0, 8, _text(rupiah(invoice["amount"])), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, _text(
        "Pembayaran dilakukan melalui transfer bank ke rekening LSP. Setelah membayar, unggah bukti "
        "pembayaran melalui aplikasi sertifikasi; admin LSP akan memverifikasinya. Cantumkan nomor "
        "tagihan pada berita transfer."), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 5, "Dokumen ini dibuat secara elektronik oleh aplikasi sertifikasi LSP.")
    return bytes(pdf.output())
