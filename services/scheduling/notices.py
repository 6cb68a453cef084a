"""Scheduling's e-mail notices: a signed SPT goes to its addressee (the assessor, or the TUK's verifier) with the
letter's PDF attached (rendered by the mailer when it sends, from the letter as stored: no event holds it).

The recipient is the addressee's account e-mail, which the gateway looked up and sealed for them in this
service's vault when the letter was issued (`Letter.contact`; an account e-mail the composition root offers
through `recipient_of` is the fallback). An SK TUK has no addressee and queues nothing. Queuing, sealing,
erasure, the outbox and the mailer are shared/notices.py.
"""
from typing import Any
from uuid import UUID

from services.scheduling.documents import letter_filename, letter_pdf
from shared.display import tanggal
from shared.eventstore import ServiceApplication
from shared.mail import Attachment
from shared.notices import Notice, Notices, Occasion, Text
from shared.privacy import Vault

TRIGGERS: dict[str, tuple[str, ...]] = {"LetterSigned": ("letter_signed",)}

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
}
# a letter's kind -> (its title, the duty it assigns; in English)
DUTIES = {"spt_asesor": ("Surat Perintah Tugas", "sebagai asesor kompetensi", "letter of assignment",
                         "as the competency assessor"),
          "spt_verifikasi": ("Surat Perintah Tugas Verifikasi TUK", "untuk memverifikasi TUK",
                             "letter of assignment to verify the TUK", "to verify the test centre (TUK)")}


def compose(kind: str, o: Occasion) -> tuple[str, str]:
    letter = o.case
    data = letter.data
    title, duty, title_en, duty_en = DUTIES.get(letter.kind, ("Surat", "", "letter", ""))
    values = {"title": title, "title_en": title_en,
              "number": letter.number, "duty": duty, "duty_en": duty_en, "skema": data.get("skema", ""),
              "tanggal": tanggal(data.get("tanggal")), "waktu": data.get("waktu", ""), "tuk": data.get("tuk", ""),
              "where": o.where, "where_en": o.where_en}
    return TEXTS[kind].render(o, letter.addressee["name"], values,
                              reference=(f"Nomor surat: {letter.number}", f"Letter number: {letter.number}"))


def addressee_of(letter: Any, data: dict[str, Any]) -> str:
    """Whom a letter is e-mailed to: its addressee ("" for an SK TUK: nobody)."""
    return str((getattr(letter, "addressee", None) or {}).get("id", ""))


def contact_of(vault: Vault, letter: Any) -> dict[str, Any]:
    """The addressee's e-mail the letter holds, opened."""
    return vault.open_fields({"email": getattr(letter, "contact", "")}, ("email",), erased=None)


def attachments(app: ServiceApplication, notice: Notice) -> list[Attachment]:
    """The signed letter's PDF, as stored now (the letter the notice is about)."""
    if not getattr(notice, "about", ""):
        return []
    letter = app.repository.get(UUID(notice.about))
    document = letter.document()
    return [Attachment(letter_filename(document), "application/pdf", letter_pdf(document))]


NOTICES = Notices("scheduling", TRIGGERS, compose, person=addressee_of, personal=contact_of, who="addressee",
                  attachments=attachments)
KINDS = NOTICES.kinds
background_workers = NOTICES.background_workers
