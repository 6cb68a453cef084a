"""Registration's e-mail notices to the asesi (SOP 1.2): returned, accepted, invoice, payment rejected,
payment verified, "continue to the self-assessment (FR.APL.02)", and the remote TUK's equipment.

Only what is registration's own is here: which of its events queue which kinds, whom they are
written to (the case's asesi, at the e-mail declared on FR.APL.01 Bagian 1, else their account's),
and the texts. Queuing, sealing, erasure, the outbox and the mailer are shared/notices.py.
"""
from typing import Any
from uuid import UUID

from eventsourcing.utils import register_topic

from shared.contracts import Envelope
from shared.display import rupiah
from shared.eventstore import ServiceApplication
from shared.notices import SEALED_FIELDS, Notice, Notices, Occasion, Text, own_aggregate
from shared.privacy import Vault

__all__ = ["KINDS", "NOTICES", "SEALED_FIELDS", "TRIGGERS", "background_workers", "notice_policies"]

# notices queued before they moved to shared/ are stored under this module's topic
register_topic("services.registration.notices:Notice", Notice)

# triggering event (source "registration") -> the notices it queues, in this order
TRIGGERS: dict[str, tuple[str, ...]] = {
    "TukEquipmentRequested": ("tuk_equipment",),
    "ApplicationReturned": ("returned",),
    "ApplicationAccepted": ("accepted",),
    "InvoiceIssued": ("invoice_issued",),
    "PaymentRejected": ("payment_rejected",),
    "PaymentVerified": ("payment_verified", "apl02"),
}

TEXTS = {
    "returned": Text(
        "Permohonan sertifikasi {title} dikembalikan untuk dilengkapi",
        ("Terima kasih atas permohonan sertifikasi kompetensi Anda untuk skema {skema}. Setelah kami periksa, "
         "permohonan tersebut belum dapat kami terima dan kami kembalikan kepada Anda untuk dilengkapi. Hal yang "
         "perlu dilengkapi atau diperbaiki:",
         "{deficiencies}",
         "Langkah berikutnya: silakan masuk ke {where}, buka permohonan Anda, lengkapi atau ganti dokumen di atas, "
         "lalu tanda tangani dan kirim kembali permohonan (FR.APL.01)."),
        ("Thank you for your application for competency certification in the scheme {skema}. Having checked it, "
         "we cannot accept it yet and return it to you to complete. What needs completing or correcting:",
         "{deficiencies_en}",
         "Next step: sign in to {where_en}, open your application, complete or replace the documents above, then "
         "sign and submit the application (FR.APL.01) again.")),
    "tuk_equipment": Text(
        "Siapkan perlengkapan asesmen jarak jauh untuk skema {title}",
        ("Permohonan sertifikasi Anda untuk skema {skema} telah kami terima dan sedang diperiksa. Asesmen "
         "dilaksanakan jarak jauh dari tempat Anda sendiri (TUK), sehingga mohon siapkan perlengkapan berikut "
         "sesuai persyaratan TUK:",
         "{items}",
         "Langkah berikutnya: setelah siap, tandai setiap perlengkapan di halaman permohonan Anda di {where}."),
        ("We have received your certification application for the scheme {skema} and are checking it. The "
         "assessment takes place remotely from your own place (TUK), so please prepare the following equipment as "
         "the TUK requirements ask:",
         "{items_en}",
         "Next step: once ready, tick each item on your application's page in {where_en}.")),
    "accepted": Text(
        "Permohonan sertifikasi {title} diterima",
        ("Dengan senang hati kami sampaikan bahwa permohonan sertifikasi kompetensi Anda untuk skema {skema} "
         "telah kami periksa dan dinyatakan memenuhi persyaratan (diterima).",
         "Langkah berikutnya: tagihan biaya sertifikasi kami kirimkan dalam e-mail terpisah. Silakan lakukan "
         "pembayaran sesuai tagihan tersebut, lalu unggah bukti pembayaran di {where}."),
        ("We are pleased to tell you that your application for competency certification in the scheme {skema} "
         "has been checked and meets the requirements (accepted).",
         "Next step: the invoice for the certification fee follows in a separate e-mail. Please pay it, then "
         "upload the proof of payment in {where_en}.")),
    "invoice_issued": Text(
        "Tagihan {number} untuk sertifikasi {title}",
        ("Bersama e-mail ini kami sampaikan tagihan biaya sertifikasi kompetensi skema {skema}:",
         "Nomor tagihan : {number}\nJumlah        : {nominal}",
         "Langkah berikutnya: lakukan pembayaran sebesar {nominal} dan cantumkan nomor tagihan {number} pada "
         "keterangan pembayaran. Setelah itu, unggah bukti pembayaran beserta nomor referensinya di {where}. "
         "Tagihan dapat diunduh dari halaman permohonan Anda."),
        ("With this e-mail we send you the invoice for the competency certification fee of the scheme {skema}:",
         "Invoice number : {number}\nAmount         : {nominal}",
         "Next step: pay {nominal}, quoting the invoice number {number} in the payment's description. Then "
         "upload the proof of payment with its reference number in {where_en}. The invoice can be downloaded "
         "from your application's page.")),
    "payment_rejected": Text(
        "Bukti pembayaran tagihan {number} belum dapat diverifikasi",
        ("Bukti pembayaran yang Anda kirimkan untuk tagihan {number} (skema {skema}){with_reference} belum dapat "
         "kami verifikasi.",
         "Alasan: {reason}",
         "Langkah berikutnya: mohon periksa kembali pembayaran Anda, lalu unggah bukti pembayaran yang benar di "
         "{where}. Tagihan {number}{of_amount} tetap berlaku."),
        ("We could not yet verify the proof of payment you sent for invoice {number} (scheme "
         "{skema}){with_reference_en}.",
         "Reason: {reason}",
         "Next step: please check your payment, then upload the right proof of payment in {where_en}. Invoice "
         "{number}{of_amount_en} still stands.")),
    "payment_verified": Text(
        "Pembayaran tagihan {number} telah diverifikasi",
        ("Pembayaran Anda{of_amount} untuk tagihan {number} telah kami terima dan verifikasi. Pendaftaran "
         "sertifikasi kompetensi Anda untuk skema {skema} telah lengkap.",
         "Langkah berikutnya: petunjuk asesmen mandiri (FR.APL.02) kami kirimkan dalam e-mail terpisah."),
        ("We have received and verified your payment{of_amount_en} for invoice {number}. Your registration for "
         "competency certification in the scheme {skema} is complete.",
         "Next step: instructions for the self-assessment (FR.APL.02) follow in a separate e-mail.")),
    "apl02": Text(
        "Langkah berikutnya: asesmen mandiri (FR.APL.02) skema {title}",
        ("Pendaftaran Anda untuk skema {skema} telah lengkap. Langkah berikutnya adalah asesmen mandiri "
         "(FR.APL.02).",
         "Silakan masuk ke {where} dan isi asesmen mandiri: untuk setiap unit kompetensi, nilai kemampuan Anda "
         "sendiri (kompeten atau belum kompeten) dan lampirkan bukti yang relevan.",
         "{units}",
         "Setelah itu, LSP akan menugaskan asesor kompetensi dan memberitahukan jadwal asesmen kepada Anda."),
        ("Your registration for the scheme {skema} is complete. The next step is the self-assessment (FR.APL.02).",
         "Please sign in to {where_en} and fill in the self-assessment: for each unit of competency, rate your "
         "own ability (competent or not yet competent) and attach the relevant evidence.",
         "{units_en}",
         "After that, the LSP will assign a competency assessor and let you know the assessment's schedule.")),
}
VERDICT_TEXT = {  # a requirement document's verdict, as the asesi reads it
    "tidak_ada": ("dokumen belum dilampirkan", "the document is not attached yet"),
    "tidak_memenuhi": ("dokumen sudah dilampirkan tetapi belum memenuhi persyaratan",
                       "the document is attached but does not meet the requirement yet"),
}
FIX = ("perlu diperbaiki", "needs correcting")


def values(o: Occasion) -> dict[str, Any]:
    """What the templates fill in, from the case as it stood at the event and the event's data."""
    case, data = o.case, o.data
    scheme = dict(getattr(case, "scheme", None) or data.get("scheme") or {})
    title = scheme.get("title", "")
    invoice = dict(getattr(case, "invoice", None) or {})
    amount = data.get("amount", invoice.get("amount"))
    nominal = rupiah(int(amount)) if isinstance(amount, int | float) else ""
    reference = data.get("reference", "")
    titles = {r.get("code"): r.get("title", "") for r in scheme.get("requirements", [])}
    lines: tuple[list[str], list[str]] = ([], [])
    for item in data.get("deficiencies", []):
        code = item.get("code", "")
        label = f"{titles[code]} ({code})" if titles.get(code) else code
        said, said_en = VERDICT_TEXT.get(item.get("verdict", ""), FIX)
        notes = (item.get("notes") or "").strip()
        lines[0].append(f"- {label}: {said}" + (f". Catatan: {notes}" if notes else ""))
        lines[1].append(f"- {label}: {said_en}" + (f". Note: {notes}" if notes else ""))
    if (data.get("notes") or "").strip():
        lines[0].append(f"- Catatan admin LSP: {data['notes'].strip()}")
        lines[1].append(f"- The LSP admin's note: {data['notes'].strip()}")
    items = "\n".join(f"- {item}" for item in data.get("items", []))
    units = "\n".join(f"- {u.get('code', '')} {u.get('title', '')}".rstrip() for u in scheme.get("units", []))
    return {
        "name": o.personal.get("nama_lengkap") or dict(getattr(case, "asesi", None) or data.get("asesi") or {}
                                                       ).get("name") or "Asesi",
        "title": title, "skema": f"{title} ({scheme['number']})" if scheme.get("number") else title,
        "number": data.get("invoice_number") or invoice.get("number", ""), "nominal": nominal,
        "of_amount": f" sebesar {nominal}" if nominal else "", "of_amount_en": f" of {nominal}" if nominal else "",
        "with_reference": f", dengan nomor referensi {reference}," if reference else "",
        "with_reference_en": f" with reference {reference}" if reference else "",
        "reason": (data.get("reason") or "").strip() or "-",
        "deficiencies": "\n".join(lines[0]) or "- (lihat catatan pada permohonan Anda)",
        "deficiencies_en": "\n".join(lines[1]) or "- (see the notes on your application)",
        "items": items or "- (lihat halaman permohonan Anda)", "items_en": items or "- (see your application's page)",
        "units": f"Unit kompetensi skema ini:\n{units}" if units else "",
        "units_en": f"The scheme's units of competency:\n{units}" if units else "",
        "where": o.where, "where_en": o.where_en,
    }


def compose(kind: str, o: Occasion) -> tuple[str, str]:
    filled = values(o)
    return TEXTS[kind].render(o, filled["name"], filled)


def asesi_of(case: Any, data: dict[str, Any]) -> str:
    return str(dict(getattr(case, "asesi", None) or {}).get("id", ""))


def declared(vault: Vault, case: Any) -> dict[str, Any]:
    """FR.APL.01 Bagian 1 as the asesi declared it, its e-mail opened."""
    return vault.open_fields(getattr(case, "personal_data", None) or {}, ("email",), erased=None)


class CaseAt:
    """An event's aggregate as it stood then; for an event of another part of the case (the payment, the TUK
    equipment list: aggregates of their own), what the part lacks is read from the case's application
    (the asesi's declared e-mail, the scheme)."""

    def __init__(self, part: Any, application: Any):
        self._part, self._application = part, application

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._part, name, None)
        return value if value is not None else getattr(self._application, name, None)


def load(app: ServiceApplication, envelope: Envelope) -> Any:
    part = own_aggregate(app, envelope)
    if part is None or not envelope.correlation_id or envelope.correlation_id == envelope.aggregate_id:
        return part
    return CaseAt(part, app.repository.get(UUID(envelope.correlation_id)))


NOTICES = Notices("registration", TRIGGERS, compose, person=asesi_of, personal=declared, load=load)
KINDS = NOTICES.kinds
notice_policies = NOTICES.policies
background_workers = NOTICES.background_workers
