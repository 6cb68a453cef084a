"""One way to produce every official PDF (fpdf2: pure Python, embedded Unicode TTF fonts).

A document starts with the branch's letterhead (`Letterhead`: name, address, licence number, logo) and the
form's code and title as on the official form; then its sections as label/value tables, tables (the
unit / element / KUK grid among them) that break across pages under a repeated header, and signature
blocks (signer, role, time in WIB, SHA-256). `form_pdf` prints any form definition (shared/forms.py)
whole; a service composes richer documents from the same `Document` methods.

Every input the API accepts renders: text prints in an embedded Unicode font (composed first, so letters
typed as base and marks print as the font's one glyph), a character the font lacks prints as U+FFFD,
invisible controls are dropped, and a table cell too long for its row is cut short there and printed
whole as a numbered note after the table."""
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdf import FPDF, FontFace

import shared
from shared.display import wib
from shared.forms import Form, Grid, GridRow, Section, say

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
LABEL_WIDTH = 45  # mm: the label column of a section's table
HEADINGS = FontFace(emphasis="BOLD", fill_color=(235, 240, 238))
FOOTNOTE = ("Dokumen ini dibuat secara elektronik oleh aplikasi sertifikasi LSP. Tanda tangan elektronik: "
            "SHA-256 atas isi yang ditandatangani.")


@dataclass(frozen=True)
class Letterhead:
    """The branch as its documents head it (filled from the branch's settings)."""
    name: str
    address: str = ""
    licence: str = ""  # the BNSP licence number
    phone: str = ""
    email: str = ""
    logo: bytes | None = None  # PNG or JPEG


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


def _blank(value: Any) -> bool:
    return value is None or value == ""


class Document(FPDF):
    """An A4 official document in the embedded fonts: letterhead, form code and title, then its parts."""

    def __init__(self, code: str, title: str, letterhead: Letterhead | str):
        super().__init__(format="A4")
        for (family, style), filename in FONT_FILES.items():
            self.add_font(family, style, FONT_DIR / filename)
        self.glyphs = _Glyphs(self._covered())
        self.notes = 0
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, MARGIN)
        self.letterhead = letterhead if isinstance(letterhead, Letterhead) else Letterhead(str(letterhead))
        self.add_page()
        self.set_title(self.printable(f"{code} {title}".strip()))
        self._letterhead()
        self.set_font(SANS, "B", 15)
        if code:
            self.multi_cell(0, 8, self.printable(code), align="C", new_x="LMARGIN", new_y="NEXT")
        self.multi_cell(0, 8, self.printable(title), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def _covered(self) -> frozenset[int]:
        """The characters both faces that print user text (regular and bold) have glyphs for."""
        faces = []
        for style in ("", "B"):
            self.set_font(SANS, style)
            faces.append(frozenset(self.current_font.cmap))
        return faces[0] & faces[1]

    def _letterhead(self) -> None:
        head = self.letterhead
        top, indent = self.get_y(), 0.0
        if head.logo:
            try:
                self.image(io.BytesIO(head.logo), x=MARGIN, y=top, h=18)
                indent = 24
            except Exception:  # noqa: BLE001 - an unreadable logo leaves the letterhead without it
                indent = 0
        self.set_x(MARGIN + indent)
        self.set_font(SANS, "B", 14)
        self.multi_cell(0, 7, self.printable(head.name), new_x="LMARGIN", new_y="NEXT")
        contact = " · ".join(x for x in (head.phone, head.email) if x)
        self.set_font(SANS, "", 9)
        for line in (head.address, contact, f"No. Lisensi BNSP: {head.licence}" if head.licence else ""):
            if line:
                self.set_x(MARGIN + indent)
                self.multi_cell(0, 4.5, self.printable(line), new_x="LMARGIN", new_y="NEXT")
        self.set_y(max(self.get_y(), top + (20 if indent else 0)) + 1)
        self.set_line_width(0.6)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.set_line_width(0.2)
        self.ln(3)

    def printable(self, value: Any) -> str:
        # composed first (NFC), so that "ễ" typed as e + two marks prints as the font's one glyph
        return unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").translate(self.glyphs)

    # -- the parts of a document ---------------------------------------------------------------------------

    def heading(self, text: str, size: int = 11) -> None:
        self.ln(3)
        self.paragraph(text, "B", size, 7)

    def paragraph(self, text: str, style: str = "", size: int = 10, height: float = 6) -> None:
        self.set_font(SANS, style, size)
        self.multi_cell(0, height, self.printable(text), new_x="LMARGIN", new_y="NEXT")

    def row(self, label: str, value: Any) -> None:
        """A label and its value on one line (wrapping the value)."""
        self.set_font(SANS, "", 10)
        self.cell(LABEL_WIDTH, 7, self.printable(label))
        self.set_font(SANS, "B", 10)
        self.multi_cell(0, 7, self.printable("-" if _blank(value) else value), new_x="LMARGIN", new_y="NEXT")

    def pairs(self, rows: Iterable[tuple[str, Any]]) -> None:
        """Label/value rows as a bordered table."""
        label = round(LABEL_WIDTH * 174 / (self.epw or 174))
        self.table((label + 10, 174 - label - 10), None, list(rows), size=10, line=6,
                   first_column=FontFace(emphasis=""), value_style=FontFace(emphasis="BOLD"))

    def table(self, widths: tuple[int, ...], header: tuple[str, ...] | None, rows: list[tuple[Any, ...]],
              size: int = CELL_SIZE, line: float = CELL_LINE, align: str | tuple[str, ...] = "LEFT",
              last_row_style: FontFace | None = None, first_column: FontFace | None = None,
              value_style: FontFace | None = None, **options: Any) -> None:
        """fpdf2's table (its header repeated on each page) with no row taller than half a page, then the
        notes its long cells continue in; `options` go to FPDF.table()."""
        self.set_font(SANS, "", size)
        spans = [self.epw * width / sum(widths) for width in widths]  # what table() makes of col_widths
        titles = header or tuple(f"kolom {n}" for n in range(1, len(widths) + 1))
        notes: list[tuple[str, str]] = []
        options.setdefault("headings_style", HEADINGS)
        with self.table_context(col_widths=widths, text_align=align, line_height=line,
                                first_row_as_headings=header is not None, **options) as table:
            if header is not None:
                table.row([self.printable(title) for title in header])
            for number, values in enumerate(rows, 1):
                style = last_row_style if number == len(rows) else None
                row = table.row(style=style)
                for column, (span, title, value) in enumerate(zip(spans, titles, values, strict=True)):
                    face = style or (first_column if column == 0 else value_style)
                    with self.use_font_face(face):  # measured in the face it prints in
                        text = self.printable("-" if _blank(value) else value)
                        cell, note = self._fitted(span, line, text)
                    row.cell(cell, style=face)
                    if note:
                        where = values[0] if header is None else f"{title}, baris {number}"
                        notes.append((f"Catatan {note} ({self.printable(where)[:80]}):", text))
        for where, text in notes:
            self.paragraph(where, "B", size, line)
            self.paragraph(text, "", size, line)

    def table_context(self, **options: Any) -> Any:
        return FPDF.table(self, **options)

    def _fitted(self, width: float, line: float, text: str) -> tuple[str, int | None]:
        """`text` for a cell, or as many of its lines as fit with a pointer to the next note (and its number)."""
        most = int(CELL_HEIGHT // line)
        if self._surely_fits(width, text, most):
            return text, None
        # fpdf2's line breaking is slow, so wrap no more than a cell holds: no letter is narrower than 0.5 mm
        # (zero-width marks can only make the cut come early; the note still has the whole text)
        head = text[:most * 2 * round(width)]
        lines = self.multi_cell(width, line, head, dry_run=True, output="LINES")
        if len(lines) <= most and head == text:
            return text, None
        self.notes += 1
        pointer = f"\N{HORIZONTAL ELLIPSIS} (lihat catatan {self.notes})"
        kept = most - len(self.multi_cell(width, line, pointer, dry_run=True, output="LINES"))
        return "\n".join([*lines[:kept], pointer]), self.notes

    def _surely_fits(self, width: float, text: str, most: int) -> bool:
        """The common case, without wrapping: a line and the next hold more than the cell's room (the next
        starts with what did not fit), so a paragraph as wide as W takes at most 2 W / room + 1 lines."""
        room = width - 2 * self.c_margin - self.get_string_width("W")  # "W": a space or hyphen left at a break
        return sum(2 * self.get_string_width(paragraph) / room + 1 for paragraph in text.split("\n")) <= most

    # -- from a form definition ------------------------------------------------------------------------------

    def section(self, section: Section, values: Mapping[str, Any], lang: str = "id") -> None:
        """A section of a form as a label/value table; a coded answer prints as its words."""
        self.heading(say(section.title, lang))
        self.pairs([(say(f.label, lang), f.choice_label(values.get(f.name), lang) if f.choices
                     else values.get(f.name)) for f in section.fields])

    def grid(self, grid: Grid, rows: list[GridRow], answers: Mapping[str, Mapping[str, Any]],
             evidence: Mapping[str, str] | None = None, lang: str = "id") -> None:
        """The unit / element / KUK grid, one table per unit: each element with its KUK, a column per
        answer (K, BK...) marked X, and the evidence cited (already worded, by row key)."""
        units: dict[str, list[GridRow]] = {}
        for row in rows:
            units.setdefault(row.unit_code, []).append(row)
        columns = tuple(c.value for c in grid.answers)
        width = 10 * len(columns)
        widths = (174 - width - (60 if grid.evidence else 0), *([10] * len(columns)), *([60] if grid.evidence else []))
        header = (say(grid.row_label, lang), *columns, *([say(grid.evidence_label, lang)] if grid.evidence else []))
        for code, unit_rows in units.items():
            self.heading(f"Unit Kompetensi: {code} - {unit_rows[0].unit_title}")
            table = []
            for row in unit_rows:
                element = (f"{row.element_no}. {row.element_title}" if row.element_no is not None
                           else "Unit secara keseluruhan")
                kuk = "\n".join(f"{number} {text}" for number, text in row.kuk)
                answer = (answers.get(row.key) or {}).get("answer")
                marks = tuple("X" if answer == value else "" for value in columns)
                table.append((f"{element}\n{kuk}".strip(), *marks,
                              *([(evidence or {}).get(row.key, "")] if grid.evidence else [])))
            self.table(widths, header, table, align=("LEFT", *(["CENTER"] * len(columns)),
                                                     *(["LEFT"] if grid.evidence else [])))

    def signature(self, title: str, signed: Mapping[str, Any] | None, role: str = "") -> None:
        """A signature block: signer, role, time (WIB) and the SHA-256 of what was signed."""
        self.heading(title)
        if not signed:
            self.row("Status", "Belum ditandatangani")
            return
        self.row("Nama", (signed.get("signer") or {}).get("name", ""))
        self.row("Peran", role or signed.get("role", ""))
        self.row("Waktu", wib(signed["signed_at"]) if signed.get("signed_at") else "")
        self.set_font(SANS, "", 10)
        self.cell(LABEL_WIDTH, 7, "SHA-256")
        self.set_font(MONO, "", 9)  # fixed width: the 64 hex digits always fit on one line
        self.multi_cell(0, 7, self.printable(signed.get("sha256", "")), new_x="LMARGIN", new_y="NEXT")

    def footnote(self, text: str = FOOTNOTE) -> None:
        self.ln(4)
        self.paragraph(text, "I", 8, 5)

    def bytes(self) -> bytes:
        return bytes(self.output())


def form_pdf(form: Form, letterhead: Letterhead | str, values: Mapping[str, Any], *,
             header: Iterable[tuple[str, Any]] = (), scheme: Mapping[str, Any] | None = None,
             answers: Mapping[str, Mapping[str, Any]] | None = None, evidence: Mapping[str, str] | None = None,
             signatures: Mapping[str, Mapping[str, Any] | None] | None = None, lang: str = "id") -> bytes:
    """Any form whole from its definition: `header` rows (scheme, asesi, case number...), each section with
    `values`, the grid for `scheme` with `answers` (by row key), and a signature block per signer (from
    `signatures`, by role)."""
    pdf = Document(form.code, say(form.title, lang), letterhead)
    header = list(header)
    if header:
        pdf.pairs(header)
    for section in form.sections:
        pdf.section(section, values, lang)
    if form.grid is not None and scheme is not None:
        pdf.heading(say(form.grid.title, lang))
        pdf.grid(form.grid, form.grid.rows(scheme), answers or {}, evidence, lang)
    for signer in form.signers:
        pdf.signature(f"Tanda tangan: {say(signer.label, lang)}", (signatures or {}).get(signer.role), signer.role)
    pdf.footnote()
    return pdf.bytes()
