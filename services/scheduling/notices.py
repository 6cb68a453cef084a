"""Scheduling's e-mail notices to the asesi: the invitation to a remote assessment session (SOP 3.2), with
the date, the time (WIB), the video-conference link, their breakout room, the rundown and the equipment
reminder of SOP 1.2.1.

Only what is scheduling's own is here: which event queues which kind, whom it is written to (the
invitation's asesi, at the account e-mail the admin's page looked up when planning the rooms, sealed in
the event) and the texts. Queuing, sealing, erasure, the outbox and the mailer are shared/notices.py.
The invitation's .ics (documents.invitation_ics) is to be attached once shared/mail.py carries attachments.
"""
from typing import Any

from shared.display import tanggal
from shared.notices import Notices, Occasion, Text
from shared.privacy import Vault

__all__ = ["EQUIPMENT", "KINDS", "NOTICES", "TRIGGERS", "background_workers"]

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

TRIGGERS: dict[str, tuple[str, ...]] = {"InvitationIssued": ("invitation",)}

TEXTS = {
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
         "{room}. Kartu peserta dan berkas kalender (.ics) dapat diunduh dari halaman permohonan Anda di {where}."),
        ("We invite you to the competency assessment of the scheme {skema}, held remotely (online):",
         "Date          : {tanggal}\nTime          : {mulai}-{selesai} WIB (UTC+7)\nTUK           : {tuk}\n"
         "Link          : {tautan}\nBreakout room : {room}",
         "{rundown_en}",
         "Please prepare the following equipment before the session starts (SOP 1.2.1):",
         "{items}",
         "Next step: open the link above 15 minutes before the session starts, then join the room {room}. The "
         "participant card and the calendar file (.ics) can be downloaded from your application's page in "
         "{where_en}.")),
}


def values(o: Occasion) -> dict[str, Any]:
    """What the template fills in, from the invitation as the event issued it."""
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


def compose(kind: str, o: Occasion) -> tuple[str, str]:
    asesi = dict(getattr(o.case, "asesi", None) or o.data.get("asesi") or {})
    return TEXTS[kind].render(o, asesi.get("name") or "Asesi", values(o))


def asesi_of(invitation: Any, data: dict[str, Any]) -> str:
    return str(dict(getattr(invitation, "asesi", None) or data.get("asesi") or {}).get("id", ""))


def contact(vault: Vault, invitation: Any) -> dict[str, Any]:
    """The account e-mail the invitation was issued to, opened (nothing once the asesi is forgotten)."""
    return vault.open_fields({"email": getattr(invitation, "contact", "") or ""}, ("email",), erased=None)


NOTICES = Notices("scheduling", TRIGGERS, compose, person=asesi_of, personal=contact)
KINDS = NOTICES.kinds
background_workers = NOTICES.background_workers
