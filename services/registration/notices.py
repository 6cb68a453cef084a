"""Notices to the asesi by e-mail (SOP 1.2): returned, accepted, invoice, payment rejected,
payment verified, and "continue to the self-assessment (FR.APL.02)".

- A policy on registration's own integration events queues a `Notice` (an aggregate of this
  service) per triggering event and kind; the inbox saves it with the event's tracking row, so a
  redelivered event queues nothing. The id is stable_id(tenant, case, kind, the case's version at
  the event), so every return or rejection of a case notifies once (they can happen more than once),
  and the others once per case.
- The recipient: the e-mail the asesi declared on FR.APL.01 (Bagian 1, required to submit, so every
  triggering event has it), else `recipient_of(asesi_id)`, a lookup the composition root injects
  (the gateway's identity store: the account e-mail). Neither: the notice is recorded as failed,
  "no e-mail address", without trying to send.
- Texts are built when queued, from the case as it stood at that event (repository at that
  version), so a late or replayed delivery tells what happened then.
- Personal data: the recipient address and the body (name, notes) are sealed with the asesi's key
  in registration's vault (shared.privacy) before NoticeQueued is written; the subject line holds
  only the scheme and invoice number. The outbox read model keeps the tokens; the API opens them
  for those allowed. Once the asesi is forgotten, pending notices fail ("data erased") unsent and
  the outbox shows the erasure note. Transport errors are stored with addresses blanked.
- `Mailer` (a loop like the relay: one sender per service, the relay's PostgreSQL advisory lock
  pattern) sends queued notices through shared.mail and records NoticeSent, or NoticeFailed with
  the attempt count and error, then retries with back-off until LSP_MAIL_MAX_ATTEMPTS.
  Sending is at least once: a crash between the send and NoticeSent sends again, with the same
  Message-ID. Its position is tracked ("registration.mailer", just before the oldest notice still
  pending), so a restart reads the log from there, not from the start.
- `OUTBOX_PROJECTIONS` keep the read model `outbox` (every notice with its status and text);
  `queries.list_outbox` reads it.
"""
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event
from eventsourcing.persistence import IntegrityError, Tracking

from shared.aggregate import Actor, TenantAggregate, stable_id, system_actor
from shared.contracts import Envelope
from shared.display import rupiah
from shared.errors import Conflict, Forgotten
from shared.eventstore import ServiceApplication
from shared.mail import MailMessage, Transport, open_mail_transport
from shared.messaging.envelopes import event_type
from shared.messaging.inbox import Policy
from shared.messaging.relay import RelayLock
from shared.privacy import Vault
from shared.readstore import ReadStore
from shared.settings import Settings

log = logging.getLogger(__name__)

SERVICE = "registration"
RecipientLookup = Callable[[str], str | None]

# triggering event (source "registration") -> the notices it queues, in this order
TRIGGERS: dict[str, tuple[str, ...]] = {
    "TukEquipmentRequested": ("tuk_equipment",),
    "ApplicationReturned": ("returned",),
    "ApplicationAccepted": ("accepted",),
    "InvoiceIssued": ("invoice_issued",),
    "PaymentRejected": ("payment_rejected",),
    "PaymentVerified": ("payment_verified", "apl02"),
}
KINDS = tuple(kind for kinds in TRIGGERS.values() for kind in kinds)
PENDING = ("queued", "retrying")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
SEALED_FIELDS = ("recipient", "body")


class Notice(TenantAggregate):
    """One e-mail to one asesi: queued -> (retrying)* -> sent | failed (-> queued again by requeue)."""

    @staticmethod
    def create_id(tenant: str, case_id: str, kind: str, case_version: int) -> UUID:
        return stable_id("notice", tenant, case_id, kind, str(case_version))

    @event("NoticeQueued")
    def __init__(self, id: UUID, tenant: str, actor: Actor, caused_by: str, case_id: str,  # noqa: A002
                 kind: str, asesi_id: str, recipient: str, subject: str, body: str):
        self.tenant = tenant
        self.case_id = case_id
        self.kind = kind
        self.asesi_id = asesi_id
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.status = "queued"
        self.attempts = 0
        self.error: str | None = None
        self.retry_at: str | None = None

    @property
    def message_id(self) -> str:
        return f"notice-{self.id}"

    def message(self, vault: Vault) -> MailMessage:
        """The e-mail, opened from the sealed recipient and body (Forgotten once the asesi is erased)."""
        return MailMessage(message_id=self.message_id, recipient=vault.open(self.recipient) if self.recipient else "",
                           subject=self.subject, body=vault.open(self.body))

    def record_sent(self, actor: Actor, transport: str) -> None:
        if self.status not in PENDING:
            raise Conflict("notice is '{status}', not waiting to be sent", status=self.status)
        self._sent(actor=actor, attempts=self.attempts + 1, transport=transport, message_id=self.message_id)

    @event("NoticeSent")
    def _sent(self, actor: Actor, attempts: int, transport: str, message_id: str) -> None:
        self.attempts = attempts
        self.status = "sent"
        self.error = self.retry_at = None

    def record_failed(self, actor: Actor, error: str, final: bool, retry_at: str | None) -> None:
        if self.status not in PENDING:
            raise Conflict("notice is '{status}', not waiting to be sent", status=self.status)
        self._failed(actor=actor, attempts=self.attempts + 1, error=error[:500], final=final,
                     retry_at=None if final else retry_at)

    @event("NoticeFailed")
    def _failed(self, actor: Actor, attempts: int, error: str, final: bool, retry_at: str | None) -> None:
        self.attempts = attempts
        self.error = error
        self.retry_at = retry_at
        self.status = "failed" if final else "retrying"

    def requeue(self, actor: Actor, recipient: str | None = None) -> None:
        """An operator sends a failed notice again (optionally to a corrected address, sealed)."""
        if self.status != "failed":
            raise Conflict("only a failed notice can be sent again (this one is '{status}')", status=self.status)
        self._requeued(actor=actor, recipient=recipient or self.recipient)

    @event("NoticeRequeued")
    def _requeued(self, actor: Actor, recipient: str) -> None:
        self.recipient = recipient
        self.status = "queued"
        self.attempts = 0
        self.error = self.retry_at = None


# -- the policy ----------------------------------------------------------------------------------------

def notice_policies(app: ServiceApplication, recipient_of: RecipientLookup | None = None,
                    base_url: str = "") -> dict[str, Policy]:
    """The "registration:<Type>" policies that queue notices. Safe on an uninitialised app
    (nameko reads policy keys at import): nothing is looked up until an event arrives.
    Without `recipient_of`, `app.recipient_of` is used if the composition root set it."""
    def policy(envelope: Envelope, data: Any) -> list[Notice]:
        lookup = recipient_of or getattr(app, "recipient_of", None)
        return queue_notices(app, envelope, data, lookup, base_url or getattr(app, "public_url", ""))
    return {f"{SERVICE}:{kind}": policy for kind in TRIGGERS}


def queue_notices(app: ServiceApplication, envelope: Envelope, data: Any,
                  recipient_of: RecipientLookup | None = None, base_url: str = "") -> list[Notice]:
    """The notices an event queues, not yet saved; [] when they are already queued."""
    kinds = TRIGGERS.get(envelope.type, ())
    todo = [(kind, Notice.create_id(envelope.tenant, envelope.aggregate_id, kind, envelope.aggregate_version))
            for kind in kinds]
    todo = [(kind, notice_id) for kind, notice_id in todo if not app.exists(notice_id)]
    if not todo:
        return []
    values = data.model_dump() if hasattr(data, "model_dump") else dict(data or {})
    case = app.repository.get(UUID(envelope.aggregate_id), version=envelope.aggregate_version)
    personal_data = getattr(case, "personal_data", None)
    if envelope.correlation_id != envelope.aggregate_id:  # an event of a part of the case (its payment):
        personal_data = getattr(app.repository.get(UUID(envelope.correlation_id)), "personal_data", None)
    asesi_id = str(dict(getattr(case, "asesi", None) or {}).get("id", ""))
    vault: Vault = app.vault
    if vault.erasure(asesi_id):  # nobody to write to any more, and nothing may be sealed for them
        log.info("no notices for case %s: the asesi's data was erased", envelope.correlation_id)
        return []
    personal = vault.open_fields(personal_data or {}, ("email",), erased=None)
    recipient = recipient_for(personal, asesi_id, recipient_of)
    sealed_recipient = vault.seal(asesi_id, recipient) if recipient else ""
    notices = []
    for kind, notice_id in todo:
        subject, body = compose(kind, case, values, envelope, base_url, personal)
        notices.append(Notice(id=notice_id, tenant=envelope.tenant, actor=system_actor(SERVICE),
                              caused_by=envelope.id, case_id=envelope.correlation_id, kind=kind, asesi_id=asesi_id,
                              recipient=sealed_recipient, subject=subject, body=vault.seal(asesi_id, body)))
    return notices


def recipient_for(personal: dict[str, Any], asesi_id: str, recipient_of: RecipientLookup | None) -> str:
    declared = personal.get("email")
    if isinstance(declared, str) and _EMAIL.fullmatch(declared.strip()):
        return declared.strip()
    if recipient_of is not None and asesi_id:
        found = recipient_of(asesi_id)
        if found and _EMAIL.fullmatch(found.strip()):
            return found.strip()
    return ""


# -- the texts (Bahasa Indonesia) ---------------------------------------------------------------------

VERDICT_TEXT = {
    "tidak_ada": "dokumen belum dilampirkan",
    "tidak_memenuhi": "dokumen sudah dilampirkan tetapi belum memenuhi persyaratan",
}


def compose(kind: str, case: Any, data: dict[str, Any], envelope: Envelope, base_url: str = "",
            personal: dict[str, Any] | None = None) -> tuple[str, str]:
    """(subject, body) of a notice of this kind about this case; `personal`: Bagian 1, opened."""
    scheme = dict(getattr(case, "scheme", None) or data.get("scheme") or {})
    asesi = dict(getattr(case, "asesi", None) or data.get("asesi") or {})
    personal = personal or {}
    name = personal.get("nama_lengkap") or asesi.get("name") or "Asesi"
    title = scheme.get("title", "")
    skema = f"{title} ({scheme['number']})" if scheme.get("number") else title
    invoice = dict(getattr(case, "invoice", None) or {})
    number = data.get("invoice_number") or invoice.get("number", "")
    amount = data.get("amount", invoice.get("amount"))
    nominal = rupiah(int(amount)) if isinstance(amount, int | float) else ""
    where = f"aplikasi e-Asesmen ({base_url.rstrip('/')})" if base_url else "aplikasi e-Asesmen"

    if kind == "returned":
        titles = {r.get("code"): r.get("title", "") for r in scheme.get("requirements", [])}
        lines = []
        for item in data.get("deficiencies", []):
            code = item.get("code", "")
            label = f"{titles[code]} ({code})" if titles.get(code) else code
            line = f"- {label}: {VERDICT_TEXT.get(item.get('verdict', ''), 'perlu diperbaiki')}"
            if (item.get("notes") or "").strip():
                line += f". Catatan: {item['notes'].strip()}"
            lines.append(line)
        if (data.get("notes") or "").strip():
            lines.append(f"- Catatan admin LSP: {data['notes'].strip()}")
        subject = f"Permohonan sertifikasi {title} dikembalikan untuk dilengkapi"
        paragraphs = [
            f"Terima kasih atas permohonan sertifikasi kompetensi Anda untuk skema {skema}. Setelah kami "
            "periksa, permohonan tersebut belum dapat kami terima dan kami kembalikan kepada Anda untuk "
            "dilengkapi. Hal yang perlu dilengkapi atau diperbaiki:",
            "\n".join(lines) or "- (lihat catatan pada permohonan Anda)",
            f"Langkah berikutnya: silakan masuk ke {where}, buka permohonan Anda, lengkapi atau ganti "
            "dokumen di atas, lalu tanda tangani dan kirim kembali permohonan (FR.APL.01).",
        ]
    elif kind == "tuk_equipment":
        items = "\n".join(f"- {item}" for item in data.get("items", []))
        subject = f"Siapkan perlengkapan asesmen jarak jauh untuk skema {title}"
        paragraphs = [
            f"Permohonan sertifikasi Anda untuk skema {skema} telah kami terima dan sedang diperiksa. Asesmen "
            "dilaksanakan jarak jauh dari tempat Anda sendiri (TUK), sehingga mohon siapkan perlengkapan berikut "
            "sesuai persyaratan TUK:",
            items or "- (lihat halaman permohonan Anda)",
            f"Langkah berikutnya: setelah siap, tandai setiap perlengkapan di halaman permohonan Anda di {where}.",
        ]
    elif kind == "accepted":
        subject = f"Permohonan sertifikasi {title} diterima"
        paragraphs = [
            f"Dengan senang hati kami sampaikan bahwa permohonan sertifikasi kompetensi Anda untuk skema "
            f"{skema} telah kami periksa dan dinyatakan memenuhi persyaratan (diterima).",
            "Langkah berikutnya: tagihan biaya sertifikasi kami kirimkan dalam e-mail terpisah. Silakan "
            f"lakukan pembayaran sesuai tagihan tersebut, lalu unggah bukti pembayaran di {where}.",
        ]
    elif kind == "invoice_issued":
        subject = f"Tagihan {number} untuk sertifikasi {title}"
        paragraphs = [
            f"Bersama e-mail ini kami sampaikan tagihan biaya sertifikasi kompetensi skema {skema}:",
            f"Nomor tagihan : {number}\nJumlah        : {nominal}",
            f"Langkah berikutnya: lakukan pembayaran sebesar {nominal} dan cantumkan nomor tagihan {number} "
            f"pada keterangan pembayaran. Setelah itu, unggah bukti pembayaran beserta nomor referensinya di "
            f"{where}. Tagihan dapat diunduh dari halaman permohonan Anda.",
        ]
    elif kind == "payment_rejected":
        reference = data.get("reference", "")
        subject = f"Bukti pembayaran tagihan {number} belum dapat diverifikasi"
        paragraphs = [
            f"Bukti pembayaran yang Anda kirimkan untuk tagihan {number} (skema {skema})"
            + (f", dengan nomor referensi {reference}," if reference else "")
            + " belum dapat kami verifikasi.",
            f"Alasan: {(data.get('reason') or '').strip() or '-'}",
            f"Langkah berikutnya: mohon periksa kembali pembayaran Anda, lalu unggah bukti pembayaran yang "
            f"benar di {where}. Tagihan {number}" + (f" sebesar {nominal}" if nominal else "")
            + " tetap berlaku.",
        ]
    elif kind == "payment_verified":
        subject = f"Pembayaran tagihan {number} telah diverifikasi"
        paragraphs = [
            "Pembayaran Anda" + (f" sebesar {nominal}" if nominal else "") + f" untuk tagihan {number} "
            f"telah kami terima dan verifikasi. Pendaftaran sertifikasi kompetensi Anda untuk skema {skema} "
            "telah lengkap.",
            "Langkah berikutnya: petunjuk asesmen mandiri (FR.APL.02) kami kirimkan dalam e-mail terpisah.",
        ]
    elif kind == "apl02":
        units = [f"- {u.get('code', '')} {u.get('title', '')}".rstrip() for u in scheme.get("units", [])]
        subject = f"Langkah berikutnya: asesmen mandiri (FR.APL.02) skema {title}"
        paragraphs = [
            f"Pendaftaran Anda untuk skema {skema} telah lengkap. Langkah berikutnya adalah asesmen mandiri "
            "(FR.APL.02).",
            f"Silakan masuk ke {where} dan isi asesmen mandiri: untuk setiap unit kompetensi, nilai "
            "kemampuan Anda sendiri (kompeten atau belum kompeten) dan lampirkan bukti yang relevan.",
        ]
        if units:
            paragraphs.append("Unit kompetensi skema ini:\n" + "\n".join(units))
        paragraphs.append("Setelah itu, LSP akan menugaskan asesor kompetensi dan memberitahukan jadwal "
                          "asesmen kepada Anda.")
    else:
        raise ValueError(f"unknown notice kind {kind!r}")
    body = "\n\n".join([
        f"Yth. Bapak/Ibu {name},",
        *paragraphs,
        f"Nomor permohonan: {envelope.correlation_id}",
        f"Hormat kami,\nAdmin LSP {envelope.tenant}",
        "E-mail ini dikirim otomatis oleh sistem e-Asesmen; mohon tidak membalas e-mail ini.",
    ]) + "\n"
    return subject, body


# -- the mailer loop --------------------------------------------------------------------------------

_NOTICE_EVENTS = {"NoticeQueued", "NoticeRequeued", "NoticeSent", "NoticeFailed"}


class Mailer:
    """Sends queued notices and records the outcome; one per service process, like the relay.

    It follows the service's notification log for Notice events and keeps the pending notices with
    the time each is due. At start it reads from its checkpoint: just before the event that queued
    the oldest notice still pending, so nothing pending is missed and settled history is not re-read.
    Every send re-reads the notice, so a notice already recorded as sent is never sent again by a
    mailer that saw an older state; on PostgreSQL only the process holding the advisory lock sends.
    """

    batch = 500

    def __init__(self, app: ServiceApplication, transport: Transport, max_attempts: int = 5,
                 base_delay: float = 30.0, clock: Callable[[], float] = time.time):
        self.app = app
        self.transport = transport
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.clock = clock
        self.actor = system_actor(f"{app.name}.mailer")
        self.wake = threading.Event()
        self.tracking_name = f"{app.name}.mailer"
        self.position: int | None = None  # read from the checkpoint on the first scan
        self.checkpointed = 0
        self.pending: dict[UUID, float] = {}  # notice id -> when it is due (epoch seconds)
        self.since: dict[UUID, int] = {}  # notice id -> position of the event that made it pending
        self.lock = RelayLock(app)
        self.lock.key = _lock_key(app, "mailer")

    @classmethod
    def from_settings(cls, app: ServiceApplication, settings: Settings) -> "Mailer":
        return cls(app, open_mail_transport(settings), settings.mail_max_attempts, settings.mail_retry_base_delay)

    def scan(self) -> int:
        """Read new Notice events from the log into the pending set; returns how many were read."""
        done = 0
        if self.position is None:
            self.position = self.checkpointed = self.app.recorder.max_tracking_id(self.tracking_name) or 0
        while True:
            notifications = self.app.recorder.select_notifications(
                start=self.position, limit=self.batch, inclusive_of_start=False)
            if not notifications:
                return done
            for notification in notifications:
                kind = event_type(notification.topic)
                if kind not in _NOTICE_EVENTS:
                    continue
                domain_event = self.app.mapper.to_domain_event(notification)
                notice_id = domain_event.originator_id
                if kind in ("NoticeQueued", "NoticeRequeued"):
                    self.pending[notice_id] = 0.0
                    self.since[notice_id] = notification.id
                elif kind == "NoticeFailed" and not domain_event.final:
                    self.pending[notice_id] = _epoch(domain_event.retry_at)
                else:
                    self._settled(notice_id)
                done += 1
            self.position = notifications[-1].id

    def send_due(self) -> int:
        """Try every pending notice that is due; returns how many were sent."""
        now = self.clock()
        sent = 0
        for notice_id, due in sorted(self.pending.items(), key=lambda item: item[1]):
            if due <= now:
                sent += self.deliver(notice_id)
        return sent

    def deliver(self, notice_id: UUID) -> int:
        notice: Notice = self.app.repository.get(notice_id)
        if notice.status not in PENDING:
            self._settled(notice_id)
            return 0
        if not notice.recipient:
            return self._record_failure(notice, "no e-mail address for the asesi", final=True)
        try:
            message = notice.message(self.app.vault)
        except Forgotten:
            return self._record_failure(notice, "the asesi's data was erased; not sent", final=True)
        try:
            self.transport.send(message)
        except Exception as exc:  # any failure of the transport: record it, retry later
            error = _EMAIL.sub("<alamat>", f"{type(exc).__name__}: {exc}")  # SMTP errors quote the address
            log.warning("notice %s failed (attempt %d): %s", notice_id, notice.attempts + 1, error)
            return self._record_failure(notice, error, final=notice.attempts + 1 >= self.max_attempts)
        notice.record_sent(self.actor, self.transport.name)
        self._save(notice)
        return 1

    def _record_failure(self, notice: Notice, error: str, final: bool) -> int:
        delay = self.base_delay * 2 ** notice.attempts
        retry_at = datetime.fromtimestamp(self.clock() + delay, UTC).isoformat()
        notice.record_failed(self.actor, error, final, retry_at)
        self._save(notice)
        return 0

    def _save(self, notice: Notice) -> None:
        try:
            self.app.save(notice)
        except IntegrityError:  # another writer got there first: re-read it on the next pass
            log.warning("notice %s changed concurrently; re-reading", notice.id)
            return
        if notice.status in PENDING and notice.retry_at:
            self.pending[notice.id] = _epoch(notice.retry_at)
        elif notice.status not in PENDING:
            self._settled(notice.id)

    def _settled(self, notice_id: UUID) -> None:
        self.pending.pop(notice_id, None)
        self.since.pop(notice_id, None)

    def checkpoint(self) -> None:
        """Record where a restart must read from: before the oldest pending notice, else here."""
        if self.position is None:
            return
        mark = min((self.since[n] - 1 for n in self.pending if n in self.since), default=self.position)
        if mark <= self.checkpointed:
            return
        try:
            self.app.recorder.insert_tracking(Tracking(self.tracking_name, mark))
        except IntegrityError:  # another mailer of this service recorded the same mark
            pass
        self.checkpointed = mark

    def next_due_in(self, default: float) -> float:
        if not self.pending:
            return default
        return max(0.0, min(default, min(self.pending.values()) - self.clock()))

    def run(self, stopping: Callable[[], bool], poll_interval: float) -> None:
        """Loop until stopping(); wakes early when this process saved events (app.listeners)."""
        while not stopping():
            try:
                self.scan()
                if self.lock.hold():
                    self.send_due()
                    self.checkpoint()
            except Exception:  # store away: keep what we know, try again
                log.exception("mailer %s failed; retrying", self.app.name)
                self.lock.release()
                self.wake.wait(1.0)
                continue
            self.wake.wait(self.next_due_in(poll_interval))
            self.wake.clear()

    def close(self) -> None:
        self.lock.release()


def _epoch(moment: str | None) -> float:
    return datetime.fromisoformat(moment).timestamp() if moment else 0.0


def _lock_key(app: ServiceApplication, role: str) -> int:
    schema = getattr(getattr(app.recorder, "datastore", None), "schema", "")
    name = f"{schema}.{app.name}.{role}".encode()
    return int.from_bytes(hashlib.sha256(name).digest()[:8], "big", signed=True)


def background_workers(app: ServiceApplication, settings: Settings) -> list[Mailer]:
    """What the runtimes start next to the relay for this service: the mailer."""
    return [Mailer.from_settings(app, settings)]


# -- read model: the outbox ------------------------------------------------------------------------------

async def project_notice(store: ReadStore, env: Envelope) -> None:
    data = env.data
    fields: dict[str, Any] = {"tenant": env.tenant, "updated_at": env.occurred_at}
    if env.type == "NoticeQueued":
        fields.update(case_id=data["case_id"], kind=data["kind"], asesi_id=data["asesi_id"],
                      recipient=data["recipient"], subject=data["subject"], body=data["body"],
                      status="queued", attempts=0, error=None, retry_at=None, queued_at=env.occurred_at,
                      sent_at=None)
    elif env.type == "NoticeRequeued":
        fields.update(recipient=data["recipient"], status="queued", attempts=0, error=None, retry_at=None)
    elif env.type == "NoticeFailed":
        fields.update(status="failed" if data["final"] else "retrying", attempts=data["attempts"],
                      error=data["error"], retry_at=data["retry_at"])
    elif env.type == "NoticeSent":
        fields.update(status="sent", attempts=data["attempts"], transport=data["transport"],
                      message_id=data["message_id"], sent_at=env.occurred_at, error=None, retry_at=None)
    await store.upsert_versioned(SERVICE, "outbox", env.aggregate_id, env.aggregate_version, fields)


OUTBOX_PROJECTIONS = {kind: project_notice for kind in sorted(_NOTICE_EVENTS)}
