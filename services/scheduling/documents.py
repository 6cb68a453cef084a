"""Scheduling's official letters as PDF (SOP 1.4, 1.6.5-1.6.6): the SK appointing a TUK, the SPT assigning an
assessor, the SPT to verify a TUK. Printed from the letter's content as issued (its form's fields, forms.py:
what the ketua LSP signs), on the branch's letterhead as it stood then; a letter not yet signed prints DRAF."""
from typing import Any

from services.scheduling.forms import LETTER_FORMS, SK_TUK, SPT_ASESOR
from shared.display import tanggal, wib
from shared.documents import MONO, SANS, Document, Letterhead
from shared.forms import say

SHORT_HASH = 16  # hex digits of the signature's SHA-256 printed in its block (the whole hash in the footnote)


def letterhead_of(letter: dict[str, Any], logo: bytes | None = None) -> Letterhead:
    head = letter.get("letterhead") or {}
    return Letterhead(name=head.get("name") or "", address=head.get("address", ""), licence=head.get("licence", ""),
                      phone=head.get("phone", ""), email=head.get("email", ""), logo=logo)


def ketua_of(branch: str) -> str:
    """"Ketua LSP Cabang Jakarta" from the branch's name as its letterhead prints it."""
    return f"Ketua {branch}" if branch.upper().startswith("LSP") else f"Ketua LSP {branch}"


def letter_pdf(letter: dict[str, Any], logo: bytes | None = None) -> bytes:
    """`letter`: its read model (or Letter.document()): kind, number, data, letterhead, signature."""
    form = LETTER_FORMS[letter["kind"]]
    data, signature = letter.get("data") or {}, letter.get("signature")
    pdf = Document("", say(form.title), letterhead_of(letter, logo))
    pdf.set_font(SANS, "", 11)
    pdf.multi_cell(0, 6, pdf.printable(f"Nomor: {letter['number']}"), align="C", new_x="LMARGIN", new_y="NEXT")
    if not signature:
        pdf.ln(2)
        pdf.set_text_color(180, 0, 0)
        pdf.multi_cell(0, 8, "DRAF - belum ditandatangani Ketua LSP", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    branch = data.get("cabang") or letter["letterhead"].get("name", "")
    if form is SK_TUK:
        _decree(pdf, data, branch)
    elif form is SPT_ASESOR:
        _assessor_assignment(pdf, data, branch)
    else:
        _verification_assignment(pdf, data, branch)
    pdf.ln(2)
    pdf.paragraph(f"Ditetapkan pada tanggal {tanggal(data.get('tanggal_surat'))}.")
    _signature_block(pdf, signature, branch)
    pdf.footnote("Dokumen ini dibuat secara elektronik oleh aplikasi sertifikasi LSP. Tanda tangan elektronik: "
                 "SHA-256 atas isi surat yang ditandatangani" + (f": {signature['sha256']}." if signature else "."))
    return pdf.bytes()


def _label(form: Any, name: str, data: dict[str, Any]) -> tuple[str, Any]:
    field = form.field(name)
    value = data.get(name)
    return say(field.label), field.choice_label(value) if field.choices else value


def _session(pdf: Document, form: Any, data: dict[str, Any]) -> None:
    rows = [_label(form, "skema", data), ("Tanggal", tanggal(data.get("tanggal"))), _label(form, "waktu", data),
            _label(form, "tuk", data), _label(form, "pelaksanaan", data)]
    if data.get("alamat"):
        rows.append(_label(form, "alamat", data))
    if "jumlah_asesi" in form.names:
        rows.append(("Jumlah asesi", f"{data.get('jumlah_asesi', 0)} orang"))
    pdf.pairs(rows)


def _decree(pdf: Document, data: dict[str, Any], branch: str) -> None:
    pdf.paragraph(f"{ketua_of(branch)}, berdasarkan hasil verifikasi Tempat Uji Kompetensi (TUK), dengan ini "
                  "menetapkan:")
    pdf.ln(2)
    rows = [_label(SK_TUK, name, data) for name in ("nama_tuk", "jenis", "pelaksanaan")]
    if data.get("alamat"):
        rows.append(_label(SK_TUK, "alamat", data))
    rows += [("Kapasitas", f"{data.get('kapasitas')} asesi per sesi"),
             ("Berlaku sampai", tanggal(data.get("berlaku_sampai")))]
    pdf.pairs(rows)
    pdf.ln(2)
    pdf.paragraph("sebagai Tempat Uji Kompetensi (TUK) tempat LSP menyelenggarakan uji kompetensi, dengan ketentuan "
                  "TUK memenuhi persyaratan teknis TUK selama masa berlaku keputusan ini.")


def _assessor_assignment(pdf: Document, data: dict[str, Any], branch: str) -> None:
    pdf.paragraph(f"{ketua_of(branch)} dengan ini menugaskan kepada:")
    pdf.ln(1)
    pdf.pairs([("Nama", data.get("nama")), ("No. Reg. MET", data.get("nomor_met")),
               ("Sebagai", data.get("sebagai") or "Asesor Kompetensi")])
    pdf.ln(2)
    pdf.paragraph("untuk melaksanakan uji kompetensi pada:")
    pdf.ln(1)
    _session(pdf, SPT_ASESOR, data)
    pdf.ln(2)
    pdf.paragraph("Demikian surat perintah tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab sesuai "
                  "ketentuan skema sertifikasi dan pedoman BNSP.")


def _verification_assignment(pdf: Document, data: dict[str, Any], branch: str) -> None:
    form = LETTER_FORMS["spt_verifikasi"]
    pdf.paragraph(f"{ketua_of(branch)} dengan ini menugaskan kepada:")
    pdf.ln(1)
    pdf.pairs([("Nama", data.get("nama")), ("Jabatan", data.get("jabatan")),
               ("Sebagai", data.get("sebagai") or "Verifikator TUK")])
    pdf.ln(2)
    pdf.paragraph("untuk melakukan verifikasi Tempat Uji Kompetensi (TUK) sebelum uji kompetensi berikut:")
    pdf.ln(1)
    _session(pdf, form, data)
    pdf.ln(2)
    pdf.paragraph("Hasil verifikasi TUK dilaporkan kepada Ketua LSP sebelum uji kompetensi dilaksanakan.")


def _signature_block(pdf: Document, signature: dict[str, Any] | None, branch: str) -> None:
    pdf.heading(ketua_of(branch))
    if not signature:
        pdf.row("Status", "DRAF - belum ditandatangani")
        return
    pdf.row("Nama", (signature.get("signer") or {}).get("name", ""))
    pdf.row("Ditandatangani", wib(signature.get("signed_at")))
    pdf.set_font(SANS, "", 10)
    pdf.cell(45, 7, "Tanda tangan (SHA-256)")
    pdf.set_font(MONO, "", 10)
    pdf.multi_cell(0, 7, f"{signature.get('sha256', '')[:SHORT_HASH]}…", new_x="LMARGIN", new_y="NEXT")


def letter_filename(letter: dict[str, Any]) -> str:
    """A file name from the letter's kind and number (007/SPT/LSP-K3/XI/2026: spt_asesor-007-SPT-LSP-K3-XI-2026.pdf)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in str(letter.get("number", "")))
    return f"{letter['kind']}-{safe.strip('-') or letter.get('id', 'surat')}.pdf"
