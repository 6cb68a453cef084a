"""Documents registration issues as PDF. Built from the read model, so they match what users see.

Every input the API accepts renders: text prints in an embedded Unicode font, and a table cell too long
for its row is cut short there and printed whole as a numbered note after the table."""
import unicodedata
from pathlib import Path
from typing import Any

from fpdf import FPDF, FontFace

import shared
from shared.display import rupiah, tanggal, wib

MARGIN = 18
# DejaVu Sans (and Sans Mono for the hashes): free (Bitstream Vera licence), with one of the widest Latin
# coverages of the free fonts (Vietnamese, Polish, Nordic letters) plus Greek, Cyrillic, Hebrew and Arabic
# letters. Vendored in shared/fonts so every machine and container prints the same without system fonts.
# No CJK or emoji font: each would be larger than all four files together; what DejaVu lacks prints as
# MISSING, so no second (fallback) font is needed.
FONT_DIR = Path(shared.__file__).parent / "fonts"
SANS, MONO = "DejaVuSans", "DejaVuSansMono"
FONT_FILES = {(SANS, ""): "DejaVuSans.ttf", (SANS, "B"): "DejaVuSans-Bold.ttf",
              (SANS, "I"): "DejaVuSans-Oblique.ttf", (MONO, ""): "DejaVuSansMono.ttf"}
MISSING = "\N{REPLACEMENT CHARACTER}"
CELL_SIZE, CELL_LINE = 9, 5  # table text: points, mm per line
# fpdf2 cannot split a table row over two pages, so a cell stops at about half of the 261 mm between the
# margins, and the rest of it goes to a note: its row always fits below the repeated header of a fresh
# page, and moving it there leaves at most half a page blank
CELL_HEIGHT = 120
EVIDENCE_BY_NAME = 6  # more files are cited by their number in the Daftar bukti, which names each once


class _Glyphs(dict):
    """A str.translate table: each character as the font can draw it, worked out on first sight."""

    def __init__(self, covered: frozenset[int]):
        super().__init__()
        self.covered = covered

    def __missing__(self, code: int) -> str:
        self[code] = drawn = self.drawn(chr(code))
        return drawn

    def drawn(self, char: str) -> str:
        category = unicodedata.category(char)
        if char == "\n" or (ord(char) in self.covered and category != "Cc"):
            return char
        if char.isspace():  # tab, vertical tab, carriage return, next line...
            return " "
        return "" if category in ("Cc", "Cf", "Cs") else MISSING  # invisible controls, broken surrogates


class _Document(FPDF):
    """An A4 form in the embedded fonts, numbering the notes that continue long table cells."""

    def __init__(self, title: str, branch: str):
        super().__init__(format="A4")
        for (family, style), filename in FONT_FILES.items():
            self.add_font(family, style, FONT_DIR / filename)
        self.glyphs = _Glyphs(self._covered())
        self.notes = 0
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, MARGIN)
        self.add_page()
        self.set_title(self.printable(title))
        self.set_font(SANS, "B", 14)
        self.multi_cell(0, 8, self.printable(branch), new_x="LMARGIN", new_y="NEXT")
        self.set_font(SANS, "B", 18)
        self.multi_cell(0, 12, self.printable(title), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def _covered(self) -> frozenset[int]:
        """The characters both faces that print user text (regular and bold) have glyphs for."""
        faces = []
        for style in ("", "B"):
            self.set_font(SANS, style)
            faces.append(frozenset(self.current_font.cmap))
        return faces[0] & faces[1]

    def printable(self, value: Any) -> str:
        # composed first (NFC), so that "ễ" typed as e + two marks prints as the font's one glyph
        return unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").translate(self.glyphs)


def _row(pdf: _Document, label: str, value: Any) -> None:
    pdf.set_font(SANS, "", 10)
    pdf.cell(45, 7, label)
    pdf.set_font(SANS, "B", 10)
    pdf.multi_cell(0, 7, pdf.printable(value), new_x="LMARGIN", new_y="NEXT")


def _paragraph(pdf: _Document, text: str, style: str = "", size: int = 10, height: float = 6) -> None:
    pdf.set_font(SANS, style, size)
    pdf.multi_cell(0, height, pdf.printable(text), new_x="LMARGIN", new_y="NEXT")


def _table(pdf: _Document, widths: tuple[int, ...], header: tuple[str, ...], rows: list[tuple[Any, ...]],
           size: int = CELL_SIZE, line: float = CELL_LINE, align: str | tuple[str, ...] = "LEFT",
           last_row_style: FontFace | None = None, **options: Any) -> None:
    """fpdf2's table with no row taller than half a page, then the notes its long cells continue in;
    `options` go to FPDF.table()."""
    pdf.set_font(SANS, "", size)
    spans = [pdf.epw * width / sum(widths) for width in widths]  # what table() makes of col_widths
    notes: list[tuple[str, str]] = []
    with pdf.table(col_widths=widths, text_align=align, line_height=line, **options) as table:
        table.row(header)
        for number, values in enumerate(rows, 1):
            style = last_row_style if number == len(rows) else None
            row = table.row(style=style)
            with pdf.use_font_face(style):  # measured in the face it prints in
                for span, title, value in zip(spans, header, values, strict=True):
                    text = pdf.printable("-" if value is None or value == "" else value)
                    cell, note = _fitted(pdf, span, line, text)
                    row.cell(cell)
                    if note:
                        notes.append((f"Catatan {note} ({title}, baris {number}):", text))
    for where, text in notes:
        _paragraph(pdf, where, "B", size, line)
        _paragraph(pdf, text, "", size, line)


def _fitted(pdf: _Document, width: float, line: float, text: str) -> tuple[str, int | None]:
    """`text` for a cell, or as many of its lines as fit with a pointer to the next note (and its number)."""
    most = int(CELL_HEIGHT // line)
    if _surely_fits(pdf, width, text, most):
        return text, None
    # fpdf2's line breaking is slow, so wrap no more than a cell holds: no letter is narrower than 0.5 mm
    # (zero-width marks can only make the cut come early; the note still has the whole text)
    head = text[:most * 2 * round(width)]
    lines = pdf.multi_cell(width, line, head, dry_run=True, output="LINES")
    if len(lines) <= most and head == text:
        return text, None
    pdf.notes += 1
    pointer = f"\N{HORIZONTAL ELLIPSIS} (lihat catatan {pdf.notes})"
    kept = most - len(pdf.multi_cell(width, line, pointer, dry_run=True, output="LINES"))
    return "\n".join([*lines[:kept], pointer]), pdf.notes


def _surely_fits(pdf: _Document, width: float, text: str, most: int) -> bool:
    """The common case, without wrapping: a line and the next hold more than the cell's room (the next starts
    with what did not fit), so a paragraph as wide as W takes at most 2 W / room + 1 lines."""
    room = width - 2 * pdf.c_margin - pdf.get_string_width("W")  # "W": a space or hyphen left at a break
    return sum(2 * pdf.get_string_width(paragraph) / room + 1 for paragraph in text.split("\n")) <= most


def invoice_pdf(application: dict[str, Any], branch_name: str) -> bytes:
    """The invoice of SOP 1.2.3 for one accepted application."""
    invoice, scheme = application["invoice"], application["scheme"]
    pdf = _Document("TAGIHAN / INVOICE", branch_name)
    _row(pdf, "Nomor tagihan", invoice["number"])
    _row(pdf, "Tanggal", tanggal(invoice["issued_at"]))
    _row(pdf, "Kepada (asesi)", application["asesi"]["name"])
    _row(pdf, "Nomor permohonan", application["id"])
    pdf.ln(4)
    amount = rupiah(invoice["amount"])
    _table(pdf, (130, 44), ("Uraian", "Jumlah"),
           [(f"Biaya sertifikasi kompetensi: {scheme['title']} ({scheme['number']})", amount), ("Total", amount)],
           last_row_style=FontFace(emphasis="BOLD"), size=10, line=6, padding=(1, 0), align=("LEFT", "RIGHT"),
           headings_style=FontFace(emphasis="BOLD", fill_color=(235, 240, 238)))
    pdf.ln(6)
    _paragraph(pdf, "Pembayaran dilakukan melalui transfer bank ke rekening LSP. Setelah membayar, unggah bukti "
                    "pembayaran melalui aplikasi sertifikasi; admin LSP akan memverifikasinya. Cantumkan nomor "
                    "tagihan pada berita transfer.")
    pdf.ln(4)
    _paragraph(pdf, "Dokumen ini dibuat secara elektronik oleh aplikasi sertifikasi LSP.", "I", 8, 5)
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


def _heading(pdf: _Document, text: str) -> None:
    pdf.ln(3)
    _paragraph(pdf, text, "B", 11, 7)


def _signature(pdf: _Document, title: str, signed: dict[str, Any] | None) -> None:
    _heading(pdf, title)
    if not signed:
        _row(pdf, "Status", "Belum ditandatangani")
        return
    _row(pdf, "Nama", signed["signer"]["name"])
    _row(pdf, "Peran", signed.get("role", ""))
    _row(pdf, "Waktu", wib(signed["signed_at"]))
    pdf.set_font(SANS, "", 10)
    pdf.cell(45, 7, "SHA-256")
    pdf.set_font(MONO, "", 9)  # fixed width: the 64 hex digits always fit on one line
    pdf.cell(0, 7, pdf.printable(signed["sha256"]), new_x="LMARGIN", new_y="NEXT")


def _header(pdf: _Document, application: dict[str, Any]) -> None:
    scheme = application["scheme"]
    _row(pdf, "Skema sertifikasi", f"{scheme['title']} ({scheme.get('kind', '')})")
    _row(pdf, "Nomor skema", f"{scheme['number']} (versi {scheme.get('version', 1)})")
    _row(pdf, "Nama asesi", application["asesi"]["name"])
    _row(pdf, "Nomor permohonan", application["id"])


def apl01_pdf(application: dict[str, Any], branch_name: str) -> bytes:
    """FR.APL.01 from the read model with Bagian 1 already opened (the caller may see it)."""
    pdf = _Document("FR.APL.01 PERMOHONAN SERTIFIKASI KOMPETENSI", branch_name)
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
    _paragraph(pdf, f"Berdasarkan ketentuan persyaratan dasar, maka pemohon {choice} sebagai peserta sertifikasi."
               if choice else "Belum ada rekomendasi admin LSP.", size=9)
    if recommendation:
        _row(pdf, "Catatan", recommendation.get("notes") or "-")
    _signature(pdf, "Tanda tangan pemohon (asesi)", application.get("signature"))
    _signature(pdf, "Tanda tangan admin LSP", recommendation.get("signature"))
    _footer(pdf)
    return bytes(pdf.output())


def apl02_pdf(application: dict[str, Any], branch_name: str) -> bytes:
    """FR.APL.02 from the read model: per unit and element K/BK with the evidence cited."""
    pdf = _Document("FR.APL.02 ASESMEN MANDIRI", branch_name)
    _header(pdf, application)
    assessment = application["self_assessment"]
    if assessment.get("status") != "submitted":
        _row(pdf, "Status", "DRAF - belum ditandatangani")
    items = assessment.get("items") or []
    cited = {f for item in items for f in item.get("evidence") or []}
    files = [f for f in assessment.get("files") or [] if f["file_id"] in cited]
    labels = {f["file_id"]: (str(n), f"{f['filename']} ({f['source']})") for n, f in enumerate(files, 1)}
    for code, (kode, judul) in _units(items).items():
        _heading(pdf, f"Unit Kompetensi: {kode} - {judul}")
        _table(pdf, (94, 10, 10, 60), ("Elemen / Kriteria Unjuk Kerja", "K", "BK", "Bukti yang relevan"),
               [_answer(item, labels) for item in items if item["unit_code"] == code])
    _heading(pdf, "Daftar bukti")
    if files:
        _table(pdf, (10, 26, 58, 80), ("No.", "Sumber", "Berkas", "SHA-256 / ID berkas"),
               [(n, f["source"], f["filename"], f["file_id"]) for n, f in enumerate(files, 1)])
    else:
        _row(pdf, "Bukti", "-")
    _signature(pdf, "Tanda tangan asesi", assessment.get("signature"))
    _footer(pdf)
    return bytes(pdf.output())


def _answer(item: dict[str, Any], labels: dict[str, tuple[str, str]]) -> tuple[str, str, str, str]:
    element = (f"{item['element_no']}. {item['element_title']}" if item["element_no"] is not None
               else "Unit secara keseluruhan")
    kuk = "\n".join(f"{k['number']} {k['text']}" for k in item.get("kuk") or [])
    return (f"{element}\n{kuk}".strip(), "X" if item["answer"] == "K" else "", "X" if item["answer"] == "BK" else "",
            _evidence(item.get("evidence") or [], labels))


def _evidence(cited: list[str], labels: dict[str, tuple[str, str]]) -> str:
    """The files by name while they are few, else by their number in the Daftar bukti: at the API's limit
    (500 answers citing 50 files each) the names alone would fill more than a thousand pages."""
    if len(cited) <= EVIDENCE_BY_NAME:
        return "\n".join(labels.get(f, (f, f))[1] for f in cited)
    return f"Bukti no. {', '.join(labels.get(f, (f, f))[0] for f in cited)} (lihat Daftar bukti)"


def _units(items: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    return {i["unit_code"]: (i["unit_code"], i["unit_title"]) for i in items}


def _footer(pdf: _Document) -> None:
    pdf.ln(4)
    _paragraph(pdf, "Dokumen ini dibuat secara elektronik oleh aplikasi sertifikasi LSP. Tanda tangan "
                    "elektronik: SHA-256 atas isi yang ditandatangani.", "I", 8, 5)
