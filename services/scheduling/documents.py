"""Scheduling's documents. The official letters as PDF (SOP 1.4, 1.6.5-1.6.6): the SK appointing a TUK, the SPT
assigning an assessor, the SPT to verify a TUK, printed from the letter's content as issued (its form's fields,
forms.py: what the ketua LSP signs) on the branch's letterhead as it stood then; a letter not yet signed prints
DRAF. For a remote session (SOP 3.2): the invitation as a calendar file (RFC 5545 .ics, in Asia/Jakarta time) and
the participant card (kartu peserta) as a PDF, both from the read models."""
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

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
        _assignment(pdf, data, branch, "spt_asesor")
    else:
        _assignment(pdf, data, branch, "spt_verifikasi")
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


def _assignment(pdf: Document, data: dict[str, Any], branch: str, kind: str) -> None:
    """An SPT: whom the ketua LSP assigns, to what (the session), and what it asks of them."""
    assessor = kind == "spt_asesor"
    pdf.paragraph(f"{ketua_of(branch)} dengan ini menugaskan kepada:")
    pdf.ln(1)
    pdf.pairs([("Nama", data.get("nama")),
               ("No. Reg. MET", data.get("nomor_met")) if assessor else ("Jabatan", data.get("jabatan")),
               ("Sebagai", data.get("sebagai") or ("Asesor Kompetensi" if assessor else "Verifikator TUK"))])
    pdf.ln(2)
    pdf.paragraph("untuk melaksanakan uji kompetensi pada:" if assessor else
                  "untuk melakukan verifikasi Tempat Uji Kompetensi (TUK) sebelum uji kompetensi berikut:")
    pdf.ln(1)
    _session(pdf, LETTER_FORMS[kind], data)
    pdf.ln(2)
    pdf.paragraph("Demikian surat perintah tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab sesuai "
                  "ketentuan skema sertifikasi dan pedoman BNSP." if assessor else
                  "Hasil verifikasi TUK dilaporkan kepada Ketua LSP sebelum uji kompetensi dilaksanakan.")


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


# ---- the remote session: invitation (.ics) and participant card ---------------------------------------------

WIB = ZoneInfo("Asia/Jakarta")
PRODID = "-//LSP e-Asesmen//Jadwal uji kompetensi//ID"
PHOTO_W, PHOTO_H = 30, 40  # a 3x4 pas foto, in mm


def session_bounds(schedule: dict[str, Any]) -> tuple[datetime, datetime]:
    """The session's start and end, as WIB times (the schedule's tanggal, mulai, selesai)."""
    day = str(schedule["tanggal"])[:10]
    return (datetime.fromisoformat(f"{day}T{schedule['mulai']}").replace(tzinfo=WIB),
            datetime.fromisoformat(f"{day}T{schedule['selesai']}").replace(tzinfo=WIB))


def invitation_ics(schedule: dict[str, Any], case: dict[str, Any], room: str) -> bytes:
    """The invitation of one asesi (`case`: id, asesi, scheme) to a schedule (read model: id, tanggal, mulai,
    selesai, tuk, tautan, skema), in their breakout `room`; its UID is stable, so a re-sent invitation
    updates the same calendar entry."""
    start, end = session_bounds(schedule)
    scheme = case.get("scheme") or {}
    title = scheme.get("title") or schedule.get("skema") or ""
    link = schedule.get("tautan") or ""
    event = icalendar.Event()
    event.add("uid", f"{case['id']}.{schedule['id']}@e-asesmen")
    event.add("dtstamp", datetime.now(WIB))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"Uji kompetensi: {title}".strip())
    event.add("location", link or (schedule.get("tuk") or {}).get("nama", ""))
    if link:
        event.add("url", link)
    event.add("description", "\n".join(line for line in (
        f"Skema: {title} ({scheme.get('number') or schedule.get('skema', '')})",
        f"TUK: {(schedule.get('tuk') or {}).get('nama', '')}",
        f"Tautan konferensi video: {link}" if link else "",
        f"Ruang (breakout room): {room}",
        f"Nomor permohonan: {case['id']}",
    ) if line))
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()  # the VTIMEZONE of Asia/Jakarta, so any client reads WIB right
    return calendar.to_ical()


def kartu_peserta_pdf(schedule: dict[str, Any], case: dict[str, Any], room: str | None, branch: Letterhead | str,
                      photo: bytes | None = None) -> bytes:
    """The participant card: name, photo (a box to paste one in when none is given), scheme, session (date,
    time WIB), TUK, room and case number."""
    pdf = Document("", "KARTU PESERTA UJI KOMPETENSI", branch)
    top = pdf.get_y()
    x = pdf.w - pdf.r_margin - PHOTO_W
    placed = False
    if photo:
        try:
            pdf.image(io.BytesIO(photo), x=x, y=top, w=PHOTO_W, h=PHOTO_H)
            placed = True
        except Exception:  # noqa: BLE001 - an unreadable photo leaves the box to paste one in
            placed = False
    if not placed:
        pdf.rect(x, top, PHOTO_W, PHOTO_H)
        pdf.set_xy(x, top + PHOTO_H / 2 - 3)
        pdf.set_font(SANS, "", 8)
        pdf.multi_cell(PHOTO_W, 4, "Pas foto\n3 x 4", align="C")
    pdf.set_xy(pdf.l_margin, top)
    scheme = case.get("scheme") or {}
    pdf.set_right_margin(pdf.r_margin + PHOTO_W + 4)
    for label, value in (("Nama peserta", (case.get("asesi") or {}).get("name")),
                         ("Skema", f"{scheme.get('title', '')} ({scheme.get('number') or schedule.get('skema', '')})"),
                         ("Tanggal", tanggal(str(schedule["tanggal"])[:10])),
                         ("Waktu", f"{schedule['mulai']}-{schedule['selesai']} WIB"),
                         ("TUK", (schedule.get("tuk") or {}).get("nama")),
                         ("Ruang", room or "-"),
                         ("Nomor permohonan", case["id"])):
        pdf.row(label, value)
    pdf.set_right_margin(pdf.l_margin)
    pdf.set_y(max(pdf.get_y(), top + PHOTO_H) + 4)
    if schedule.get("tautan"):
        pdf.paragraph(f"Tautan konferensi video: {schedule['tautan']}", size=9, height=5)
    pdf.paragraph("Tunjukkan kartu ini dan kartu identitas (KTP) kepada asesor dan verifikator TUK pada awal sesi.",
                  size=9, height=5)
    pdf.footnote("Dokumen ini dibuat secara elektronik oleh aplikasi sertifikasi LSP.")
    return pdf.bytes()
