"""Certification's documents: the certificate of competence as a PDF (the holder's download), with the
branch's letterhead, the units it covers and the QR code of its public verification page."""
import io
from typing import Any

import segno

from shared.display import tanggal, wib
from shared.documents import Document, Letterhead


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def certificate_pdf(certificate: dict[str, Any], case: dict[str, Any] | None, branch: Letterhead,
                    verify_url: str | None) -> bytes:
    """`certificate` from the register; `case` (the decision and the assessor's units), when known."""
    pdf = Document("", "SERTIFIKAT KOMPETENSI", branch)
    pdf.paragraph("Dengan ini menyatakan bahwa", size=11)
    pdf.paragraph(certificate["holder"]["name"], "B", 18, 10)
    pdf.paragraph("telah kompeten pada skema sertifikasi", size=11)
    scheme = certificate["scheme"]
    pdf.paragraph(f"{scheme['title']} ({scheme['number']})", "B", 13, 8)
    pdf.ln(2)
    pdf.pairs([("Nomor sertifikat", certificate["id"]), ("Tanggal terbit", tanggal(certificate["issued_on"])),
               ("Berlaku sampai", tanggal(certificate["valid_until"]))])
    titles = {unit["code"]: unit.get("title", "") for unit in ((case or {}).get("scheme") or {}).get("units") or []}
    units = [(unit["code"], titles.get(unit["code"], ""), unit.get("result", ""))
             for unit in (case or {}).get("units") or []]
    if units:
        pdf.heading("Unit kompetensi")
        pdf.table((40, 114, 20), ("Kode unit", "Judul unit", "Hasil"), units)
    if case and case.get("decided_by"):
        pdf.heading("Ditetapkan")
        pdf.row("Oleh", f"{case['decided_by'].get('name', '')} (Ketua LSP)")
        pdf.row("Waktu", wib(case["decided_at"]))
    if verify_url:
        pdf.heading("Verifikasi keaslian")
        top = pdf.get_y()
        pdf.image(io.BytesIO(qr_png(verify_url)), x=pdf.l_margin, y=top, w=32)
        pdf.set_xy(pdf.l_margin + 36, top)
        pdf.paragraph(f"Pindai kode QR atau buka {verify_url}", size=9, height=5)
        pdf.set_y(max(pdf.get_y(), top + 34))
    pdf.footnote()
    return pdf.bytes()
