"""Scheduling's e-mail notices:
- a signed SPT goes to its addressee (the assessor, or the TUK's verifier) with the letter's PDF attached;
- the asesi is told of their session when placed, of the new one (with why) when moved, and of their assessor
  once the assessor confirms;
- the invitation to a remote assessment session (SOP 3.2) goes to each seated asesi, with the date, the time
  (WIB), the video-conference link, their breakout room, the rundown and the equipment reminder of SOP 1.2.1,
  and the session as a calendar file (.ics) attached.
Attachments are rendered by the mailer when it sends, from the record as stored: no event holds them.

The recipient is the account e-mail the gateway looked up and sealed for the person in this service's vault
(`Letter.contact`, `Invitation.contact`); an account e-mail the composition root offers through `recipient_of` is
the fallback. An SK TUK has no addressee and queues nothing. Queuing, sealing, erasure, the outbox and the mailer
are shared/notices.py.
"""
from typing import Any
from uuid import UUID

from services.scheduling.documents import invitation_ics, letter_filename, letter_pdf
from shared.display import tanggal
from shared.eventstore import ServiceApplication
from shared.mail import Attachment
from shared.notices import Notice, Notices, Occasion, Text
from shared.privacy import Vault

__all__ = ["EQUIPMENT", "KINDS", "NOTICES", "TRIGGERS", "background_workers"]

TRIGGERS: dict[str, tuple[str, ...]] = {"LetterSigned": ("letter_signed",), "InvitationIssued": ("invitation",),
                                         "CaseScheduled": ("session_set",), "AssessorAssigned": ("assessor_assigned",)}

# SOP 1.2.1: what the asesi prepares at their own place (the same reminder registration sends first,
# services/registration/seed.py REMOTE_REQUIREMENTS; scheduling cannot read registration's scheme)
EQUIPMENT = (
    "Laptop atau komputer dengan kamera dan mikrofon sebagai kamera utama",
    "Telepon genggam (HP) dengan kamera sebagai kamera kedua",
    "Jaringan internet yang stabil selama asesmen",
    "Ruangan yang tenang dan tidak dimasuki orang lain selama asesmen",
    "Baterai laptop dan HP terisi penuh, atau pengisi daya tersedia",
    "Aplikasi video conference (Zoom atau Google Meet) yang sudah terpasang",
)

TEXTS = {
    "letter_signed": Text(
        "{title} nomor {number}",
        ("Bersama e-mail ini kami sampaikan {title} nomor {number} yang telah ditandatangani Ketua LSP. Anda "
         "ditugaskan {duty} pada uji kompetensi skema {skema}, tanggal {tanggal}, pukul {waktu}, di {tuk}.",
         "Surat terlampir dalam format PDF.",
         "Langkah berikutnya: masuk ke {where}, buka halaman Surat Tugas, lalu konfirmasi bahwa Anda telah "
         "menerima surat ini."),
        ("With this e-mail we send you the {title_en} number {number}, signed by the head of the LSP. You are "
         "assigned {duty_en} at the competency assessment of the scheme {skema} on {tanggal}, {waktu}, at {tuk}.",
         "The letter is attached as a PDF.",
         "Next step: sign in to {where_en}, open the letters page, and confirm that you received this letter.")),
    "invitation": Text(
        "Undangan asesmen jarak jauh skema {title}",
        ("Dengan hormat, kami mengundang Anda mengikuti uji kompetensi skema {skema} yang dilaksanakan jarak "
         "jauh (daring):",
         "Tanggal       : {tanggal}\nWaktu         : {mulai}-{selesai} WIB\nTUK           : {tuk}\n"
         "Tautan        : {tautan}\nRuang (breakout room): {room}",
         "{rundown}",
         "Mohon siapkan perlengkapan berikut sebelum sesi dimulai (SOP 1.2.1):",
         "{items}",
         "Langkah berikutnya: masuk ke tautan di atas 15 menit sebelum sesi dimulai, lalu bergabung ke ruang "
         "{room}. Jadwal terlampir sebagai berkas kalender (.ics); kartu peserta dapat diunduh dari halaman "
         "permohonan Anda di {where}."),
        ("We invite you to the competency assessment of the scheme {skema}, held remotely (online):",
         "Date          : {tanggal}\nTime          : {mulai}-{selesai} WIB (UTC+7)\nTUK           : {tuk}\n"
         "Link          : {tautan}\nBreakout room : {room}",
         "{rundown_en}",
         "Please prepare the following equipment before the session starts (SOP 1.2.1):",
         "{items}",
         "Next step: open the link above 15 minutes before the session starts, then join the room {room}. The "
         "session is attached as a calendar file (.ics); the participant card can be downloaded from your "
         "application's page in {where_en}.")),
}
TEXTS["session_set"] = Text(  # placed in a session, or moved to another (then with why and from when)
    "Jadwal uji kompetensi skema {title}",
    ("{moved}Jadwal uji kompetensi Anda untuk skema {title}:",
     "Tanggal : {tanggal}\nWaktu   : {mulai}-{selesai} WIB\nTUK     : {tuk} ({mode})",
     "Langkah berikutnya: pantau halaman permohonan Anda di {where}; undangan dengan tautan dan ruang sesi "
     "menyusul sebelum hari pelaksanaan."),
    ("{moved_en}Your competency assessment for the scheme {title}:",
     "Date : {tanggal}\nTime : {mulai}-{selesai} WIB (UTC+7)\nTUK  : {tuk} ({mode_en})",
     "Next step: follow your application's page in {where_en}; the invitation with the link and your room comes "
     "before the day."))
TEXTS["assessor_assigned"] = Text(  # the assessor confirmed, or another took over
    "Asesor untuk uji kompetensi skema {title}",
    ("Asesor kompetensi yang akan mengases Anda pada uji kompetensi skema {title} tanggal {tanggal}: {assessor} "
     "(No. Reg. MET {met}).",
     "Langkah berikutnya: tidak ada yang perlu Anda lakukan sekarang; pantau halaman permohonan Anda di {where}."),
    ("The competency assessor who will assess you in the scheme {title} on {tanggal}: {assessor} (MET registration "
     "{met}).",
     "Next step: nothing to do now; follow your application's page in {where_en}."))
# a letter's kind -> (its title, the duty it assigns; in English)
DUTIES = {"spt_asesor": ("Surat Perintah Tugas", "sebagai asesor kompetensi", "letter of assignment",
                         "as the competency assessor"),
          "spt_verifikasi": ("Surat Perintah Tugas Verifikasi TUK", "untuk memverifikasi TUK",
                             "letter of assignment to verify the TUK", "to verify the test centre (TUK)")}


def letter_values(o: Occasion) -> dict[str, Any]:
    letter, data = o.case, o.case.data
    title, duty, title_en, duty_en = DUTIES.get(letter.kind, ("Surat", "", "letter", ""))
    return {"title": title, "title_en": title_en, "number": letter.number, "duty": duty, "duty_en": duty_en,
            "skema": data.get("skema", ""), "tanggal": tanggal(data.get("tanggal")), "waktu": data.get("waktu", ""),
            "tuk": data.get("tuk", ""), "where": o.where, "where_en": o.where_en}


def invitation_values(o: Occasion) -> dict[str, Any]:
    """What the invitation's template fills in, from the invitation as the event issued it."""
    data = o.data
    session, scheme = dict(data.get("session") or {}), dict(data.get("scheme") or {})
    title = scheme.get("title") or scheme.get("number") or ""
    lines = "\n".join(f"- {line['waktu']}  {line['kegiatan']}" for line in data.get("rundown") or [])
    return {
        "title": title, "skema": f"{title} ({scheme['number']})" if scheme.get("number") else title,
        "tanggal": tanggal(session["tanggal"]) if session.get("tanggal") else "-",
        "mulai": session.get("mulai", ""), "selesai": session.get("selesai", ""),
        "tuk": dict(session.get("tuk") or {}).get("nama", "-"), "tautan": session.get("tautan") or "-",
        "room": data.get("room", "-"),
        "rundown": f"Susunan acara (rundown):\n{lines}" if lines else "",
        "rundown_en": f"Rundown:\n{lines}" if lines else "",
        "items": "\n".join(f"- {item}" for item in EQUIPMENT),
        "where": o.where, "where_en": o.where_en,
    }


def session_values(o: Occasion) -> dict[str, Any]:
    """The session a case was placed in, and, when it was moved, from which one and why."""
    session = dict(o.data.get("session") or {})
    moved = getattr(o.case, "last_reschedule", None) or {}
    old = moved.get("old") or {}
    remote = session.get("jarak_jauh") == "ya"
    return {"title": o.case.scheme.get("title", ""), "tanggal": tanggal(session.get("tanggal")) or "-",
            "mulai": session.get("mulai", ""), "selesai": session.get("selesai", ""),
            "tuk": dict(session.get("tuk") or {}).get("nama", "-"),
            "mode": "jarak jauh" if remote else "tatap muka", "mode_en": "remote" if remote else "on site",
            "moved": (f"Jadwal Anda sebelumnya ({tanggal(old.get('tanggal'))} {old.get('mulai', '')} WIB) diubah. "
                      f"Alasan: {moved.get('reason')}.\n\n") if moved else "",
            "moved_en": (f"Your earlier session ({tanggal(old.get('tanggal'))} {old.get('mulai', '')} WIB) was "
                         f"changed. Reason: {moved.get('reason')}.\n\n") if moved else "",
            "where": o.where, "where_en": o.where_en}


def compose(kind: str, o: Occasion) -> tuple[str, str]:
    if kind == "session_set":
        return TEXTS[kind].render(o, o.case.asesi["name"], session_values(o))
    if kind == "assessor_assigned":
        assessor, session = o.data["assessor"], dict(o.data.get("schedule") or {})
        return TEXTS[kind].render(o, o.case.asesi["name"], {
            "title": o.case.scheme.get("title", ""), "tanggal": tanggal(session.get("tanggal")) or "-",
            "assessor": assessor["name"], "met": assessor.get("met_number", ""), "where": o.where,
            "where_en": o.where_en})
    if kind == "letter_signed":
        number = o.case.number
        return TEXTS[kind].render(o, o.case.addressee["name"], letter_values(o),
                                  reference=(f"Nomor surat: {number}", f"Letter number: {number}"))
    asesi = dict(getattr(o.case, "asesi", None) or o.data.get("asesi") or {})
    return TEXTS[kind].render(o, asesi.get("name") or "Asesi", invitation_values(o))


def person_of(record: Any, data: dict[str, Any]) -> str:
    """Whom it is written to: a letter's addressee ("" for an SK TUK: nobody), an invitation's asesi."""
    if hasattr(record, "addressee"):
        return str((record.addressee or {}).get("id", ""))
    return str(dict(getattr(record, "asesi", None) or data.get("asesi") or {}).get("id", ""))


def contact_of(vault: Vault, record: Any) -> dict[str, Any]:
    """The e-mail address the letter or invitation holds, opened (nothing once the person is forgotten)."""
    return vault.open_fields({"email": getattr(record, "contact", "") or ""}, ("email",), erased=None)


def attachments(app: ServiceApplication, notice: Notice) -> list[Attachment]:
    """The signed letter's PDF, or the session as a calendar file, from the record as stored now."""
    if not getattr(notice, "about", "") or notice.kind not in ("letter_signed", "invitation"):
        return []
    record = app.repository.get(UUID(notice.about))
    if notice.kind == "letter_signed":
        document = record.document()
        return [Attachment(letter_filename(document), "application/pdf", letter_pdf(document))]
    current = record.current or {}
    schedule = {**current.get("session", {}), "id": current.get("schedule_id", "")}
    case = {"id": record.case_id, "scheme": current.get("scheme") or {}}
    return [Attachment("undangan.ics", "text/calendar", invitation_ics(schedule, case, current.get("room", "")))]


NOTICES = Notices("scheduling", TRIGGERS, compose, person=person_of, personal=contact_of, who="addressee",
                  attachments=attachments)
KINDS = NOTICES.kinds
background_workers = NOTICES.background_workers
