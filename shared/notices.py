"""E-mail notices, for every service: a service declares which of its events queue which kinds of
notice and the texts of each kind (`Notices`, in its own `notices.py`); everything else is here.

- A policy on the triggering events queues a `Notice` per event and kind; the inbox saves it with
  the event's tracking row, so a redelivered event queues nothing. The id is stable_id(tenant, the
  event's aggregate, kind, the aggregate's version at the event), so an event that can happen more
  than once to a case (a return, a rejection) notifies each time, and a replayed one never twice.
- The recipient: the e-mail address in the person's own personal data, if the service holds one
  (`Notices.personal`), else `recipient_of(person id)`, a lookup the composition root may inject
  (the account e-mail). Neither: the notice is recorded as failed, "no e-mail address", unsent.
- Texts are composed when queued (`Notices.compose`), from the aggregate as it stood at that event
  (repository at that version), so a late or replayed delivery tells what happened then. `letter`
  gives every service the same frame: Indonesian first, then the English version.
- Personal data: the recipient address and the body are sealed with the person's key in the
  service's vault (shared.privacy, `app.vault`) before NoticeQueued is written; the subject must hold
  no personal data. Once the person is forgotten, nothing more is queued for them and pending
  notices fail ("data erased") unsent. Transport errors are stored with addresses blanked.
- `Mailer` (a loop like the relay: one sender per service, the relay's PostgreSQL advisory lock
  pattern) sends queued notices through shared.mail and records NoticeSent, or NoticeFailed with
  the attempt count and error, then retries with back-off until LSP_MAIL_MAX_ATTEMPTS.
  Sending is at least once: a crash between the send and NoticeSent sends again, with the same
  Message-ID. Its position is tracked ("<service>.mailer", just before the oldest notice still
  pending), so a restart reads the log from there, not from the start.
- `OUTBOX_PROJECTIONS` keep the service's read model `outbox` (every notice with its status and
  sealed text); `list_outbox` reads it.

A service declares, in `services/<name>/notices.py`:

    TEXTS = {"assessor_assigned": Text("Asesor untuk skema {title}",
                                       ("Asesor Anda: {assessor}.",), ("Your assessor: {assessor}.",))}

    def compose(kind: str, o: Occasion) -> tuple[str, str]:
        values = {"title": o.case.scheme["title"], "assessor": o.data["assessor"]["name"]}
        return TEXTS[kind].render(o, o.case.asesi["name"], values)

    NOTICES = Notices("scheduling", triggers={"AssessorAssigned": ("assessor_assigned",)},
                      compose=compose, person=lambda case, data: case.asesi["id"])
    background_workers = NOTICES.background_workers   # __init__.py: workers="notices.background_workers"

its Application's `policies()` include `NOTICES.policies(self)`, build_application sets `app.vault`
(and `app.public_url`), and its PROJECTIONS include OUTBOX_PROJECTIONS. A notice that carries files (a
letter's PDF) declares `attachments=fn(app, notice)`: the mailer calls it when it sends, so the files are
rendered from the stored state (`notice.about`: the aggregate whose event queued it) and no event holds them.
"""
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event
from eventsourcing.persistence import IntegrityError, Tracking

from shared.aggregate import Actor, TenantAggregate, stable_id, system_actor
from shared.contracts import Envelope
from shared.errors import Conflict, Forgotten
from shared.eventstore import ServiceApplication
from shared.mail import Attachment, MailMessage, Transport, open_mail_transport
from shared.messaging.envelopes import event_type
from shared.messaging.inbox import Policy
from shared.messaging.relay import RelayLock
from shared.privacy import Vault
from shared.readstore import ReadStore
from shared.settings import Settings

log = logging.getLogger(__name__)

RecipientLookup = Callable[[str], str | None]
PENDING = ("queued", "retrying")
SEALED_FIELDS = ("recipient", "body")
NOTICE_EVENTS = frozenset({"NoticeQueued", "NoticeRequeued", "NoticeSent", "NoticeFailed"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class Notice(TenantAggregate):
    """One e-mail to one person: queued -> (retrying)* -> sent | failed (-> queued again by requeue).
    `asesi_id` is the person written to (whose key seals it), `case_id` the case it is about, `about` the
    aggregate whose event queued it ("" for notices queued before it was recorded), from which an
    attachment is rendered when the notice is sent."""

    @staticmethod
    def create_id(tenant: str, aggregate_id: str, kind: str, version: int) -> UUID:
        return stable_id("notice", tenant, aggregate_id, kind, str(version))

    @event("NoticeQueued")
    def __init__(self, id: UUID, tenant: str, actor: Actor, caused_by: str, case_id: str,  # noqa: A002
                 kind: str, asesi_id: str, recipient: str, subject: str, body: str, about: str = ""):
        self.tenant = tenant
        self.case_id = case_id
        self.kind = kind
        self.asesi_id = asesi_id
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.about = about
        self.status = "queued"
        self.attempts = 0
        self.error: str | None = None
        self.retry_at: str | None = None

    @property
    def message_id(self) -> str:
        return f"notice-{self.id}"

    def message(self, vault: Vault, attachments: Sequence[Attachment] = ()) -> MailMessage:
        """The e-mail, opened from the sealed recipient and body (Forgotten once the person is erased)."""
        return MailMessage(message_id=self.message_id, recipient=vault.open(self.recipient) if self.recipient else "",
                           subject=self.subject, body=vault.open(self.body), attachments=tuple(attachments))

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


# -- what a service declares -------------------------------------------------------------------------

@dataclass(frozen=True)
class Occasion:
    """What a notice is composed from: the triggering event and the aggregate as it stood then."""
    envelope: Envelope
    data: dict[str, Any]  # the event's data
    case: Any  # the event's aggregate at the event's version (None for another service's event)
    person: str  # whom it is written to (their id: their vault key, `recipient_of`)
    personal: dict[str, Any]  # their personal data the service holds, opened ({} when it holds none)
    base_url: str  # the public address of the platform, or ""

    @property
    def where(self) -> str:
        """How a text points at the platform: "aplikasi e-Asesmen (https://...)"."""
        url = self.base_url.rstrip("/")
        return f"aplikasi e-Asesmen ({url})" if url else "aplikasi e-Asesmen"

    @property
    def where_en(self) -> str:
        url = self.base_url.rstrip("/")
        return f"the e-Asesmen application ({url})" if url else "the e-Asesmen application"


Compose = Callable[[str, Occasion], tuple[str, str]]  # (kind, occasion) -> (subject, body)
# (the service's app, the notice being sent) -> the files it carries, rendered from the stored state
Attachments = Callable[[ServiceApplication, "Notice"], list[Attachment]]


def no_personal_data(vault: Vault, case: Any) -> dict[str, Any]:
    return {}


def own_aggregate(app: ServiceApplication, envelope: Envelope) -> Any:
    """The triggering event's aggregate at that event's version, when it is this service's own."""
    if envelope.source != app.name:
        return None
    return app.repository.get(UUID(envelope.aggregate_id), version=envelope.aggregate_version)


@dataclass(frozen=True)
class Notices:
    """A service's notices. `triggers`: event type (of this service; "source:Type" for another's) ->
    the kinds it queues, in order. `compose(kind, occasion)` -> (subject, body). `person(case, data)`
    -> the id of whom it is written to ("" for nobody). `personal(vault, case)` -> their personal data
    the service holds, opened (its "email", if valid, is the address). `who` names them in errors.
    `attachments(app, notice)` -> the files a notice carries, rendered by the mailer when it sends (from
    the service's stored state, e.g. the aggregate `notice.about`), so no event holds them."""
    service: str
    triggers: Mapping[str, Sequence[str]]
    compose: Compose
    person: Callable[[Any, dict[str, Any]], str]
    personal: Callable[[Vault, Any], dict[str, Any]] = no_personal_data
    load: Callable[[ServiceApplication, Envelope], Any] = own_aggregate
    who: str = "asesi"
    attachments: Attachments | None = None
    kinds: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", tuple(k for kinds in self.triggers.values() for k in kinds))

    def key(self, trigger: str) -> str:
        return trigger if ":" in trigger else f"{self.service}:{trigger}"

    def policies(self, app: ServiceApplication, recipient_of: RecipientLookup | None = None,
                 base_url: str = "") -> dict[str, Policy]:
        """The "<source>:<Type>" policies that queue notices. Safe on an uninitialised app (nameko
        reads policy keys at import): nothing is looked up until an event arrives. Without
        `recipient_of`, `app.recipient_of` is used if the composition root set it."""
        def policy(envelope: Envelope, data: Any) -> list[Notice]:
            lookup = recipient_of or getattr(app, "recipient_of", None)
            return self.queue(app, envelope, data, lookup, base_url or getattr(app, "public_url", ""))
        return {self.key(trigger): policy for trigger in self.triggers}

    def queue(self, app: ServiceApplication, envelope: Envelope, data: Any,
              recipient_of: RecipientLookup | None = None, base_url: str = "") -> list[Notice]:
        """The notices an event queues, not yet saved; [] when they are already queued."""
        kinds = {self.key(trigger): k for trigger, k in self.triggers.items()}.get(
            f"{envelope.source}:{envelope.type}", ())
        todo = [(kind, Notice.create_id(envelope.tenant, envelope.aggregate_id, kind, envelope.aggregate_version))
                for kind in kinds]
        todo = [(kind, notice_id) for kind, notice_id in todo if not app.exists(notice_id)]
        if not todo:
            return []
        values = data.model_dump() if hasattr(data, "model_dump") else dict(data or {})
        case = self.load(app, envelope)
        person = str(self.person(case, values) or "")
        if not person:  # written to nobody (e.g. a letter without an addressee)
            return []
        vault: Vault = app.vault
        if vault.erasure(person):  # nobody to write to any more, and nothing may be sealed for them
            log.info("no %s notices for case %s: the %s's data was erased", self.service, envelope.aggregate_id,
                     self.who)
            return []
        personal = self.personal(vault, case) if case is not None else {}
        recipient = recipient_for(personal, person, recipient_of)
        sealed_recipient = vault.seal(person, recipient) if recipient else ""
        occasion = Occasion(envelope=envelope, data=values, case=case, person=person, personal=personal,
                            base_url=base_url)
        case_id = envelope.correlation_id or envelope.aggregate_id
        notices = []
        for kind, notice_id in todo:
            subject, body = self.compose(kind, occasion)
            notices.append(Notice(id=notice_id, tenant=envelope.tenant, actor=system_actor(self.service),
                                  caused_by=envelope.id, case_id=case_id, kind=kind, asesi_id=person,
                                  recipient=sealed_recipient, subject=subject, body=vault.seal(person, body),
                                  about=envelope.aggregate_id))
        return notices

    def background_workers(self, app: ServiceApplication, settings: Settings) -> list["Mailer"]:
        """What the runtimes start next to the relay for this service: its mailer."""
        return [Mailer.from_settings(app, settings, who=self.who, attachments=self.attachments)]


def recipient_for(personal: dict[str, Any], person: str, recipient_of: RecipientLookup | None) -> str:
    declared = personal.get("email")
    if isinstance(declared, str) and _EMAIL.fullmatch(declared.strip()):
        return declared.strip()
    if recipient_of is not None and person:
        found = recipient_of(person)
        if found and _EMAIL.fullmatch(found.strip()):
            return found.strip()
    return ""


@dataclass(frozen=True)
class Text:
    """The texts of one kind of notice, as str.format templates filled from one dict of values: the
    subject (Indonesian; it must hold no personal data: it is not sealed), the body's paragraphs in
    Indonesian and in English. A paragraph that comes out empty is left out."""
    subject: str
    body: tuple[str, ...]
    body_en: tuple[str, ...] = ()

    def render(self, occasion: Occasion, name: str, values: Mapping[str, Any],
               reference: tuple[str, str] | None = None) -> tuple[str, str]:
        def fill(paragraphs: tuple[str, ...]) -> list[str]:
            return [text for text in (p.format_map(values) for p in paragraphs) if text.strip()]
        return self.subject.format_map(values), letter(occasion, name, fill(self.body), fill(self.body_en),
                                                       reference=reference)


def letter(occasion: Occasion, name: str, paragraphs: Sequence[str], paragraphs_en: Sequence[str] = (),
           signed_by: str = "Admin LSP", reference: tuple[str, str] | None = None) -> str:
    """The body every notice shares: the Indonesian letter, then its English version (when given).
    `reference`: the line naming what it is about, (Indonesian, English); the application number unless given."""
    envelope = occasion.envelope
    case = envelope.correlation_id or envelope.aggregate_id
    said, said_en = reference or (f"Nomor permohonan: {case}", f"Application number: {case}")
    parts = [f"Yth. Bapak/Ibu {name},", *paragraphs, said,
             f"Hormat kami,\n{signed_by} {envelope.tenant}",
             "E-mail ini dikirim otomatis oleh sistem e-Asesmen; mohon tidak membalas e-mail ini."]
    if paragraphs_en:
        parts += ["-- English --", f"Dear {name},", *paragraphs_en, said_en,
                  f"Kind regards,\n{signed_by} {envelope.tenant}",
                  "This e-mail was sent automatically by the e-Asesmen system; please do not reply to it."]
    return "\n\n".join(parts) + "\n"


# -- the mailer loop --------------------------------------------------------------------------------

class Mailer:
    """Sends a service's queued notices and records the outcome; one per service process, like the relay.

    It follows the service's notification log for Notice events and keeps the pending notices with
    the time each is due. At start it reads from its checkpoint: just before the event that queued
    the oldest notice still pending, so nothing pending is missed and settled history is not re-read.
    Every send re-reads the notice, so a notice already recorded as sent is never sent again by a
    mailer that saw an older state; on PostgreSQL only the process holding the advisory lock sends.
    """

    batch = 500

    def __init__(self, app: ServiceApplication, transport: Transport, max_attempts: int = 5,
                 base_delay: float = 30.0, clock: Callable[[], float] = time.time, who: str = "asesi",
                 attachments: Attachments | None = None):
        self.app = app
        self.attachments = attachments
        self.transport = transport
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.clock = clock
        self.who = who
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
    def from_settings(cls, app: ServiceApplication, settings: Settings, who: str = "asesi",
                      attachments: Attachments | None = None) -> "Mailer":
        return cls(app, open_mail_transport(settings), settings.mail_max_attempts, settings.mail_retry_base_delay,
                   who=who, attachments=attachments)

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
                if kind not in NOTICE_EVENTS:
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
            return self._record_failure(notice, f"no e-mail address for the {self.who}", final=True)
        try:
            message = notice.message(self.app.vault)
        except Forgotten:
            return self._record_failure(notice, f"the {self.who}'s data was erased; not sent", final=True)
        try:
            if self.attachments is not None:  # rendered now, from the stored state: no event holds them
                message = replace(message, attachments=tuple(self.attachments(self.app, notice)))
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


# -- read model: the outbox (in the service's own read-model database) ----------------------------------

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
    await store.upsert_versioned(env.source, "outbox", env.aggregate_id, env.aggregate_version, fields)


OUTBOX_PROJECTIONS = {kind: project_notice for kind in sorted(NOTICE_EVENTS)}


async def list_outbox(store: ReadStore, service: str, tenant: str, asesi_id: str | None = None,
                      status: str | None = None, case_id: str | None = None) -> list[dict[str, Any]]:
    """A service's notices in a branch, newest first: queued, retrying, sent or failed (recipient and
    body still sealed: open them with the service's vault, SEALED_FIELDS, for those allowed)."""
    query: dict[str, Any] = {"tenant": tenant}
    for name, value in (("asesi_id", asesi_id), ("status", status), ("case_id", case_id)):
        if value:
            query[name] = value
    docs = await store.find(service, "outbox", query, sort=[("queued_at", -1)])
    return [{**{k: v for k, v in doc.items() if k != "_id"}, "id": doc["_id"]} for doc in docs]
