"""Documents registration issues as PDF. Built from the read model, so they match what users see."""
from typing import Any

from fpdf import FPDF

from shared.display import rupiah, tanggal, wib

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


# -- FR.APL.01 and FR.APL.02 ----------------------------------------------------------------------------

PERSONAL_LABELS = (
    ("nama_lengkap", "Nama lengkap"), ("nik", "No. KTP/NIK/Paspor"), ("tempat_lahir", "Tempat lahir"),
    ("tanggal_lahir", "Tanggal lahir"), ("jenis_kelamin", "Jenis kelamin"), ("kebangsaan", "Kebangsaan"),
    ("alamat_rumah", "Alamat rumah"), ("kode_pos", "Kode pos"), ("telp_rumah", "Telp. rumah"), ("hp", "HP"),
    ("email", "E-mail"), ("kualifikasi_pendidikan", "Kualifikasi pendidikan"))
JOB_LABELS = (
    ("institusi", "Nama institusi/perusahaan"), ("jabatan", "Jabatan"), ("alamat_kantor", "Alamat kantor"),
    ("kode_pos_kantor", "Kode pos"), ("telp_kantor", "Telp. kantor"), ("fax_kantor", "Fax kantor"),
    ("email_kantor", "E-mail kantor"))
VERDICT_LABELS = {"memenuhi": "Ada - Memenuhi Syarat", "tidak_memenuhi": "Ada - Tidak Memenuhi Syarat",
                  "tidak_ada": "Tidak Ada", None: "Belum diperiksa"}
CATEGORY_LABELS = {"persyaratan_dasar": "3.1 Bukti Persyaratan Dasar", "administratif": "3.2 Bukti Administratif"}
RECOMMENDATION_LABELS = {"diterima": "Diterima", "tidak_diterima": "Tidak diterima"}


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 7, _text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)


def _table(pdf: FPDF, widths: tuple[int, ...], header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
        head = table.row()
        for title in header:
            head.cell(_text(title))
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(_text("-" if value is None or value == "" else value))


def _signature(pdf: FPDF, title: str, signed: dict[str, Any] | None) -> None:
    _heading(pdf, title)
    if not signed:
        _row(pdf, "Status", "Belum ditandatangani")
        return
    _row(pdf, "Nama", signed["signer"]["name"])
    _row(pdf, "Peran", signed.get("role", ""))
    _row(pdf, "Waktu", wib(signed["signed_at"]))
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(45, 7, "SHA-256")
    pdf.set_font("Courier", "", 9)  # fixed width: the 64 hex digits always fit on one line
    pdf.cell(0, 7, _text(signed["sha256"]), new_x="LMARGIN", new_y="NEXT")


def _header(pdf: FPDF, application: dict[str, Any]) -> None:
    scheme = application["scheme"]
    _row(pdf, "Skema sertifikasi", f"{scheme['title']} ({scheme.get('kind', '')})")
    _row(pdf, "Nomor skema", f"{scheme['number']} (versi {scheme.get('version', 1)})")
    _row(pdf, "Nama asesi", application["asesi"]["name"])
    _row(pdf, "Nomor permohonan", application["id"])


def apl01_pdf(application: dict[str, Any], branch_name: str) -> bytes:
    """FR.APL.01 from the read model with Bagian 1 already opened (the caller may see it)."""
    pdf = _document("FR.APL.01 PERMOHONAN SERTIFIKASI KOMPETENSI", branch_name)
    _header(pdf, application)
    personal = application.get("personal_data") or {}
    _heading(pdf, "Bagian 1: Rincian Data Pemohon Sertifikasi")
    _heading(pdf, "a. Data Pribadi")
    for name, label in PERSONAL_LABELS:
        _row(pdf, label, personal.get(name) or "-")
    _heading(pdf, "b. Data Pekerjaan Sekarang")
    for name, label in JOB_LABELS:
        _row(pdf, label, personal.get(name) or "-")

    scheme = application["scheme"]
    _heading(pdf, "Bagian 2: Data Sertifikasi")
    _row(pdf, "Judul skema", scheme["title"])
    _row(pdf, "Nomor skema", scheme["number"])
    _row(pdf, "Tujuan asesmen", application.get("purpose", ""))
    _table(pdf, (10, 45, 85, 34), ("No.", "Kode Unit", "Judul Unit", "Jenis Standar"),
           [(i, u["code"], u["title"], u.get("standard_type", "SKKNI"))
            for i, u in enumerate(scheme.get("units", []), 1)])

    _heading(pdf, "Bagian 3: Bukti Kelengkapan Pemohon")
    docs = application.get("documents") or []
    for category, label in CATEGORY_LABELS.items():
        rows = [(d["code"], d["title"], d.get("filename") if d.get("file_id") else "Tidak diunggah",
                 VERDICT_LABELS.get(d.get("verdict"), d.get("verdict")), d.get("notes"))
                for d in docs if d.get("category") == category]
        if rows:
            _heading(pdf, label)
            _table(pdf, (18, 56, 36, 34, 30), ("Kode", "Bukti", "Berkas", "Status", "Catatan"), rows)

    _heading(pdf, "Rekomendasi (diisi oleh LSP)")
    recommendation = application.get("recommendation") or {}
    choice = RECOMMENDATION_LABELS.get(recommendation.get("recommendation"))
    pdf.multi_cell(0, 6, _text(
        f"Berdasarkan ketentuan persyaratan dasar, maka pemohon {choice} sebagai peserta sertifikasi."
        if choice else "Belum ada rekomendasi admin LSP."), new_x="LMARGIN", new_y="NEXT")
    if recommendation:
        _row(pdf, "Catatan", recommendation.get("notes") or "-")
    _signature(pdf, "Tanda tangan pemohon (asesi)", application.get("signature"))
    _signature(pdf, "Tanda tangan admin LSP", recommendation.get("signature"))
    _footer(pdf)
    return bytes(pdf.output())


def apl02_pdf(application: dict[str, Any], branch_name: str) -> bytes:
    """FR.APL.02 from the read model: per unit and element K/BK with the evidence cited."""
    pdf = _document("FR.APL.02 ASESMEN MANDIRI", branch_name)
    _header(pdf, application)
    assessment = application["self_assessment"]
    if assessment.get("status") != "submitted":
        _row(pdf, "Status", "DRAF - belum ditandatangani")
    names = {f["file_id"]: f"{f['filename']} ({f['source']})" for f in assessment.get("files") or []}
    for code, (kode, judul) in _units(assessment.get("items") or []).items():
        _heading(pdf, f"Unit Kompetensi: {kode} - {judul}")
        rows = []
        for item in (i for i in assessment["items"] if i["unit_code"] == code):
            element = (f"{item['element_no']}. {item['element_title']}" if item["element_no"] is not None
                       else "Unit secara keseluruhan")
            kuk = "\n".join(f"{k['number']} {k['text']}" for k in item.get("kuk") or [])
            rows.append((f"{element}\n{kuk}".strip(), "X" if item["answer"] == "K" else "",
                         "X" if item["answer"] == "BK" else "",
                         "\n".join(names.get(f, f) for f in item.get("evidence") or [])))
        _table(pdf, (94, 10, 10, 60), ("Elemen / Kriteria Unjuk Kerja", "K", "BK", "Bukti yang relevan"), rows)
    _heading(pdf, "Daftar bukti")
    cited = {f for item in assessment.get("items") or [] for f in item.get("evidence") or []}
    files = [f for f in assessment.get("files") or [] if f["file_id"] in cited]
    if files:
        _table(pdf, (30, 60, 84), ("Sumber", "Berkas", "SHA-256 / ID berkas"),
               [(f["source"], f["filename"], f["file_id"]) for f in files])
    else:
        _row(pdf, "Bukti", "-")
    _signature(pdf, "Tanda tangan asesi", assessment.get("signature"))
    _footer(pdf)
    return bytes(pdf.output())


def _units(items: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    return {i["unit_code"]: (i["unit_code"], i["unit_title"]) for i in items}


def _footer(pdf: FPDF) -> None:
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 5, "Dokumen ini dibuat secara elektronik oleh aplikasi sertifikasi LSP. Tanda tangan "
                         "elektronik: SHA-256 atas isi yang ditandatangani.", new_x="LMARGIN", new_y="NEXT")
