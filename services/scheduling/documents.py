"""Scheduling's documents for a remote session (SOP 3.2): the invitation as a calendar file (RFC 5545 .ics,
in Asia/Jakarta time) and the participant card (kartu peserta) as a PDF, both from the read models."""
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from shared.display import tanggal
from shared.documents import SANS, Document, Letterhead

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
