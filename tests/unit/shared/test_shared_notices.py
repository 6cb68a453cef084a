"""The notices every service uses (shared/notices.py): queued once per event, sealed, sent with
retries from a tracked position, failed unsent after erasure, visible in the service's outbox.

The services here are fakes declared with shared/notices.py alone (their own aggregate, events,
kinds and texts), as scheduling, assessment or certification will declare theirs; envelopes are
built from the stored events exactly as the relay builds them.
"""
import email
import socketserver
import threading
from email import policy
from typing import Any, ClassVar
from uuid import uuid4

import pytest
from eventsourcing.domain import event

from shared.aggregate import Actor, TenantAggregate
from shared.contracts import Envelope
from shared.eventstore import ServiceApplication, event_store_env
from shared.mail import MailError, MailMessage, Outbox, SmtpTransport, open_mail_transport
from shared.messaging.inbox import Inbox
from shared.notices import OUTBOX_PROJECTIONS, Mailer, Notice, Notices, Occasion, Text, list_outbox
from shared.privacy import ERASED, Vault, parse
from shared.projector import Projector
from shared.settings import Settings
from tests.support.api import TENANT, published
from tests.support.mail import Flaky
from tests.support.samples import ADMIN, ASESI

EMAIL = "budi.akun@contoh.id"
ACCOUNTS = {ASESI["id"]: EMAIL}


class Visit(TenantAggregate):
    """A fake service's case aggregate: an on-site visit booked for an asesi, then moved."""

    @event("VisitBooked")
    def __init__(self, tenant: str, actor: Actor, asesi: dict, place: str, day: str):
        self.tenant, self.asesi, self.place, self.day = tenant, asesi, place, day

    @event("VisitMoved")
    def move(self, actor: Actor, day: str, reason: str) -> None:
        self.day = day


def compose(kind: str, o: Occasion) -> tuple[str, str]:
    values = {"place": getattr(o.case, "place", ""), "day": getattr(o.case, "day", ""), "where": o.where,
              "where_en": o.where_en, **o.data}
    name = dict(getattr(o.case, "asesi", None) or o.data.get("asesi") or {}).get("name", "Asesi")
    return TEXTS[kind].render(o, name, values)


TEXTS = {
    "booked": Text("Kunjungan TUK {day}", ("Kunjungan ke {place} dijadwalkan pada {day}.", "Lihat {where}."),
                   ("A visit to {place} is booked for {day}.", "See {where_en}.")),
    "moved": Text("Kunjungan TUK dipindah ke {day}", ("Kunjungan dipindah ke {day}: {reason}",),
                  ("The visit moved to {day}: {reason}",)),
    "reminder": Text("Pengingat kunjungan", ("Jangan lupa kunjungan ke {place}.",)),
    "welcome": Text("Selamat datang", ("Pendaftaran Anda tercatat.", ""), ("Your registration is recorded.",)),
}


def person(case: Any, data: dict[str, Any]) -> str:
    return str(dict(getattr(case, "asesi", None) or data.get("asesi") or {}).get("id", ""))


# a moved visit queues two notices; a PaymentVerified of another service queues one (no aggregate here)
VISITS = Notices("visits", {"VisitBooked": ("booked",), "VisitMoved": ("moved", "reminder"),
                            "registration:PaymentVerified": ("welcome",)}, compose, person=person)


class VisitsApp(ServiceApplication):
    name = "visits"
    commands: ClassVar[tuple[str, ...]] = ()
    notices = VISITS

    def policies(self) -> dict:
        return self.notices.policies(self, recipient_of=ACCOUNTS.get)


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


def open_app(settings: Settings, cls: type[ServiceApplication] = VisitsApp) -> ServiceApplication:
    application = cls(env=event_store_env(settings, cls.name))
    application.vault = Vault.for_application(application, settings)
    return application


@pytest.fixture
def app(settings):
    application = open_app(settings)
    yield application
    application.close()


def book(app: ServiceApplication, moves: int = 0) -> Visit:
    visit = Visit(tenant=TENANT, actor=ADMIN, asesi={"id": ASESI["id"], "name": "Budi Santoso"},
                  place="PT Baja Pesisir, Cilegon", day="2026-12-03")
    for n in range(moves):
        visit.move(actor=ADMIN, day=f"2026-12-1{n}", reason="asesor berhalangan")
    app.save(visit)
    return visit


def deliver_all(app: ServiceApplication, inbox: Inbox, start: int = 0) -> list[str]:
    """Deliver the app's own events (as the relay publishes them) to its inbox; returns results."""
    return [inbox.handle(envelope.model_dump(mode="json")) for envelope in published(app)
            if envelope.position > start and f"{envelope.source}:{envelope.type}" in inbox.policies]


def quiet_inbox(app: ServiceApplication) -> Inbox:
    return Inbox(app, app.policies(), attempts=2, sleep=lambda _: None)


def notices(app: ServiceApplication) -> list[Notice]:
    return [app.repository.get(app.mapper.to_domain_event(n).originator_id)
            for n in app.recorder.select_notifications(start=None, limit=1000) if n.topic.endswith("NoticeQueued")]


def test_each_event_queues_its_kinds_once_with_the_services_own_texts(app):
    visit = book(app, moves=1)
    assert deliver_all(app, quiet_inbox(app)) == ["processed"] * 2
    queued = {n.kind: n for n in notices(app)}
    assert sorted(queued) == ["booked", "moved", "reminder"]
    assert {(n.status, n.case_id, n.asesi_id) for n in queued.values()} == {("queued", str(visit.id), ASESI["id"])}
    booked = queued["booked"].message(app.vault)
    assert booked.recipient == EMAIL and booked.subject == "Kunjungan TUK 2026-12-03"
    body = booked.body
    assert body.startswith("Yth. Bapak/Ibu Budi Santoso,\n\nKunjungan ke PT Baja Pesisir, Cilegon dijadwalkan")
    assert body.index("Hormat kami,\nAdmin LSP JKT01") < body.index("Dear Budi Santoso,")  # Indonesian first
    assert "A visit to PT Baja Pesisir, Cilegon is booked for 2026-12-03." in body and f"number: {visit.id}" in body
    assert "Lihat aplikasi e-Asesmen." in body and "See the e-Asesmen application." in body
    moved = queued["moved"].message(app.vault)
    assert moved.subject == "Kunjungan TUK dipindah ke 2026-12-10"  # the visit as it stood at that event
    assert "Kunjungan dipindah ke 2026-12-10: asesor berhalangan" in moved.body
    reminder = queued["reminder"].message(app.vault).body
    assert "Jangan lupa" in reminder and "Dear" not in reminder  # a kind without English text


def test_another_services_event_can_trigger_a_notice(app):
    assert set(quiet_inbox(app).policies) == {"visits:VisitBooked", "visits:VisitMoved",
                                              "registration:PaymentVerified"}
    case_id = str(uuid4())
    envelope = Envelope(id="registration:7", type="PaymentVerified", schema_version=1, source="registration",
                        position=7, tenant=TENANT, aggregate_id=case_id, aggregate_version=9,
                        occurred_at="2026-11-27T10:00:00+00:00", correlation_id=case_id, actor=ADMIN,
                        data={"asesi": {"id": ASESI["id"], "name": "Budi"}})
    queued = VISITS.queue(app, envelope, envelope.data, ACCOUNTS.get)
    (notice,) = queued
    assert (notice.kind, notice.case_id, notice.asesi_id) == ("welcome", case_id, ASESI["id"])
    assert notice.message(app.vault).body.startswith("Yth. Bapak/Ibu Budi,\n\nPendaftaran Anda tercatat.\n\nNomor")
    # the trigger names its source: the same event type from elsewhere queues nothing
    elsewhere = envelope.model_copy(update={"source": "certification", "id": "certification:7"})
    assert VISITS.queue(app, elsewhere, elsewhere.data, ACCOUNTS.get) == []


def test_redelivery_queues_and_sends_nothing_twice(app):
    book(app, moves=1)
    inbox = quiet_inbox(app)
    deliver_all(app, inbox)
    transport = Flaky(failures=0)
    mailer = Mailer(app, transport)
    mailer.scan()
    assert mailer.send_due() == 3
    assert deliver_all(app, inbox) == ["duplicate"] * 2  # the inbox's tracking rows
    assert deliver_all(app, quiet_inbox(app)) == ["duplicate"] * 2
    # the policy itself is idempotent too (an event replayed from a dead letter, say)
    env = next(e for e in published(app) if e.type == "VisitMoved")
    assert inbox.policies["visits:VisitMoved"](env, env.data) == []
    mailer.scan()
    assert mailer.send_due() == 0 and len(transport.sent) == 3
    assert len({m.message_id for m in transport.sent}) == 3


def test_the_same_event_again_on_a_case_is_another_notice(app):
    book(app, moves=2)
    deliver_all(app, quiet_inbox(app))
    assert sorted(n.kind for n in notices(app)) == ["booked", "moved", "moved", "reminder", "reminder"]


def test_transport_failures_are_retried_with_back_off_then_sent_once(app):
    book(app)
    deliver_all(app, quiet_inbox(app))
    clock, transport = Clock(), Flaky(failures=2)
    mailer = Mailer(app, transport, max_attempts=5, base_delay=10.0, clock=clock)
    mailer.scan()
    (first,) = mailer.pending
    assert mailer.send_due() == 0
    notice = app.repository.get(first)
    assert (notice.status, notice.attempts) == ("retrying", 1) and "Connection refused" in notice.error
    assert mailer.send_due() == 0 and transport.calls == 1  # not due yet: 10 s back-off
    clock.now += 10
    assert mailer.send_due() == 0 and app.repository.get(first).attempts == 2
    clock.now += 19
    assert mailer.send_due() == 0 and transport.calls == 2  # second back-off is 20 s
    clock.now += 1
    assert mailer.send_due() == 1
    notice = app.repository.get(first)
    assert (notice.status, notice.attempts, notice.error) == ("sent", 3, None)
    clock.now += 3600
    mailer.scan()
    assert mailer.send_due() == 0 and len(transport.sent) == 1
    types = [e.__class__.__name__ for e in app.stored_events(first)]
    assert types == ["NoticeQueued", "NoticeFailed", "NoticeFailed", "NoticeSent"]


def test_a_notice_that_keeps_failing_is_recorded_as_failed_and_can_be_sent_again(app):
    book(app)
    deliver_all(app, quiet_inbox(app))
    clock, transport = Clock(), Flaky(failures=3)
    mailer = Mailer(app, transport, max_attempts=3, base_delay=1.0, clock=clock)
    mailer.scan()
    for _ in range(5):
        mailer.send_due()
        clock.now += 100
    (notice,) = notices(app)
    assert (notice.status, notice.attempts, transport.calls) == ("failed", 3, 3)
    assert mailer.pending == {}
    notice.requeue(ADMIN)
    app.save(notice)
    mailer.scan()
    assert mailer.send_due() == 1
    assert app.repository.get(notice.id).status == "sent" and len(transport.sent) == 1


def test_without_an_address_the_notice_fails_unsent_naming_whom_it_was_for(settings):
    class Unknown(VisitsApp):
        name = "visits"

        def policies(self) -> dict:
            return self.notices.policies(self, recipient_of={}.get)
    app = open_app(settings, Unknown)
    try:
        book(app)
        assert deliver_all(app, quiet_inbox(app)) == ["processed"]
        (notice,) = notices(app)
        assert notice.recipient == ""
        transport = Flaky(failures=0)
        mailer = Mailer(app, transport, who="asesor")
        mailer.scan()
        assert mailer.send_due() == 0 and transport.calls == 0
        failed = app.repository.get(notice.id)
        assert (failed.status, failed.error) == ("failed", "no e-mail address for the asesor")
    finally:
        app.close()


async def test_the_outbox_read_model_shows_what_was_sent(app, store):
    book(app, moves=1)
    deliver_all(app, quiet_inbox(app))
    outbox = Outbox()
    mailer = Mailer(app, outbox)
    mailer.scan()
    assert mailer.send_due() == 3 and len(outbox.messages) == 3
    assert outbox.messages[0]["To"] == EMAIL and outbox.messages[0]["Message-ID"].startswith("<notice-")
    await Projector(app, store, OUTBOX_PROJECTIONS).catch_up()
    listed = await list_outbox(store, "visits", TENANT, asesi_id=ASESI["id"])
    assert len(listed) == 3 and {d["status"] for d in listed} == {"sent"}
    assert {d["transport"] for d in listed} == {"outbox"}
    booked = next(d for d in listed if d["kind"] == "booked")
    assert booked["subject"] == "Kunjungan TUK 2026-12-03" and "Cilegon" not in booked["body"]  # sealed
    opened = app.vault.open_fields(booked, ("recipient", "body"))
    assert opened["recipient"] == EMAIL and "Cilegon" in opened["body"]
    assert await list_outbox(store, "visits", "OTHER") == []
    assert await list_outbox(store, "visits", TENANT, asesi_id="someone-else") == []
    assert await list_outbox(store, "registration", TENANT) == []  # the service's own read model
    await store.drop("visits")  # rebuilt from the log, the same
    await Projector(app, store, OUTBOX_PROJECTIONS).catch_up()
    assert len(await list_outbox(store, "visits", TENANT, status="sent")) == 3


def test_the_mailer_loop_sends_what_the_policy_queued(app):
    stop = threading.Event()
    transport = Flaky(failures=0)
    mailer = Mailer(app, transport)
    app.listeners.append(mailer.wake.set)
    thread = threading.Thread(target=mailer.run, args=(stop.is_set, 5.0), daemon=True)
    thread.start()
    try:
        book(app)
        deliver_all(app, quiet_inbox(app))
        for _ in range(200):
            if transport.sent:
                break
            threading.Event().wait(0.01)
        assert [m.subject for m in transport.sent] == ["Kunjungan TUK 2026-12-03"]
    finally:
        stop.set()
        mailer.wake.set()
        thread.join(5)
    assert not thread.is_alive()


def test_notices_hold_no_plain_address_or_text_and_die_with_the_persons_key(app):
    visit = book(app, moves=1)
    inbox = quiet_inbox(app)
    deliver_all(app, inbox)
    states = [n.state for n in app.recorder.select_notifications(start=None, limit=1000) if "Notice" in n.topic]
    assert len(states) == 3
    for state in states:
        assert EMAIL.encode() not in state and b"Budi Santoso" not in state and b"Yth." not in state
    app.vault.forget(ASESI["id"], ADMIN)
    transport = Flaky(failures=0)
    mailer = Mailer(app, transport)
    mailer.scan()
    assert mailer.send_due() == 0 and transport.sent == []
    assert {(app.repository.get(n.id).status, app.repository.get(n.id).error) for n in notices(app)} == {
        ("failed", "the asesi's data was erased; not sent")}
    assert app.vault.open_fields({"body": notices(app)[0].body}, ("body",)) == {"body": ERASED}
    # a later event of the erased person's case is processed, queues nothing, and parks nothing
    head = max(e.position for e in published(app))
    visit.move(actor=ADMIN, day="2026-12-20", reason="-")
    app.save(visit)
    assert deliver_all(app, inbox, start=head) == ["processed"]
    assert len(notices(app)) == 3


def test_smtp_errors_are_recorded_without_the_address(app):
    book(app)
    deliver_all(app, quiet_inbox(app))

    class Refusing:
        name = "smtp"

        def send(self, message: MailMessage) -> None:
            raise MailError(f"(550, b'5.1.1 <{message.recipient}>: Recipient address rejected')")

    mailer = Mailer(app, Refusing())
    mailer.scan()
    mailer.send_due()
    (notice,) = notices(app)
    error = app.repository.get(notice.id).error
    assert "Recipient address rejected" in error and EMAIL not in error and "<alamat>" in error


def test_a_restarted_mailer_reads_from_its_checkpoint_and_keeps_what_is_pending(app):
    book(app, moves=1)
    deliver_all(app, quiet_inbox(app))
    clock = Clock()
    first = Mailer(app, Flaky(failures=0), clock=clock)
    first.scan()
    assert first.send_due() == 3
    first.scan()  # reads its own NoticeSent events
    first.checkpoint()
    head = app.recorder.max_notification_id()
    assert first.checkpointed == head  # nothing pending: the whole log so far is settled

    book(app)
    deliver_all(app, quiet_inbox(app), start=head)
    (waiting,) = [n for n in notices(app) if app.repository.get(n.id).status == "queued"]
    failing = Mailer(app, Flaky(failures=1), base_delay=10.0, clock=clock)
    assert failing.scan() == 1  # the one new notice event, not those before the checkpoint
    assert failing.send_due() == 0
    failing.checkpoint()
    assert failing.checkpointed < app.recorder.max_notification_id()  # held back: a notice is retrying

    restarted = Mailer(app, Flaky(failures=0), base_delay=10.0, clock=clock)
    assert restarted.scan() == 2  # its NoticeQueued and NoticeFailed
    assert list(restarted.pending) == [waiting.id]
    assert restarted.send_due() == 0  # not due yet
    clock.now += 10
    assert restarted.send_due() == 1 and restarted.transport.sent[0].recipient == EMAIL
    restarted.scan()
    restarted.checkpoint()
    assert restarted.pending == {} and restarted.checkpointed == app.recorder.max_notification_id()


def test_two_services_each_declare_their_notices_and_send_them_from_their_own_position(settings):
    """A second service's kinds and texts, declared with shared/notices.py only, next to the first: each
    seals with its own vault and is sent by its own mailer (background_workers) from its own tracked
    position, and neither mailer reads or sends the other's notices."""
    def compose_letters(kind: str, o: Occasion) -> tuple[str, str]:
        return Text("Surat {number}", ("Surat {number} untuk Anda.",), ("Letter {number} for you.",)).render(
            o, "Budi", {"number": o.envelope.aggregate_version})

    class LettersApp(ServiceApplication):
        name = "letters"
        commands: ClassVar[tuple[str, ...]] = ()
        notices = Notices("letters", {"VisitBooked": ("letter",)}, compose_letters, person=person, who="asesi")

        def policies(self) -> dict:
            return self.notices.policies(self, recipient_of=ACCOUNTS.get)

    visits, letters = open_app(settings), open_app(settings, LettersApp)
    try:
        assert (VISITS.kinds, LettersApp.notices.kinds) == (("booked", "moved", "reminder", "welcome"), ("letter",))
        book(visits)
        book(letters)
        book(letters)
        for app in (visits, letters):
            deliver_all(app, quiet_inbox(app))
        assert [n.kind for n in notices(letters)] == ["letter", "letter"]
        for app in (visits, letters):  # sealed in the service's own vault, for the asesi
            for notice in notices(app):
                assert {parse(notice.recipient)[:2], parse(notice.body)[:2]} == {(app.name, ASESI["id"])}
        mailers = {}
        for app in (visits, letters):
            (mailer,) = app.notices.background_workers(app, Settings(data_dir=settings.data_dir))
            mailer.transport = Outbox()
            mailer.scan()
            mailer.send_due()
            mailer.scan()
            mailer.checkpoint()
            mailers[app.name] = mailer
        assert [m["Subject"] for m in mailers["letters"].transport.messages] == ["Surat 1", "Surat 1"]
        assert "Letter 1 for you." in mailers["letters"].transport.messages[0].get_content()
        assert [m["Subject"] for m in mailers["visits"].transport.messages] == ["Kunjungan TUK 2026-12-03"]
        for app in (visits, letters):
            mailer = mailers[app.name]
            assert mailer.tracking_name == f"{app.name}.mailer" and mailer.actor["id"] == f"service:{app.name}.mailer"
            assert app.recorder.max_tracking_id(f"{app.name}.mailer") == app.recorder.max_notification_id()
            other = "visits" if app.name == "letters" else "letters"
            assert app.recorder.max_tracking_id(f"{other}.mailer") is None
            assert {app.repository.get(n.id).status for n in notices(app)} == {"sent"}
        assert mailers["visits"].lock.key != mailers["letters"].lock.key
    finally:
        visits.close()
        letters.close()


# -- the transports (shared/mail.py) -------------------------------------------------------------------

def test_open_mail_transport_follows_the_mode(tmp_path):
    assert isinstance(open_mail_transport(Settings(data_dir=tmp_path)), Outbox)
    smtp = open_mail_transport(Settings(data_dir=tmp_path, mode="distributed", smtp_host="mail.lsp.id",
                                        smtp_port=587, smtp_starttls=True))
    assert isinstance(smtp, SmtpTransport) and (smtp.host, smtp.port, smtp.starttls) == ("mail.lsp.id", 587, True)
    assert isinstance(open_mail_transport(Settings(data_dir=tmp_path, mode="distributed", mail_transport="outbox")),
                      Outbox)


class FakeSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        self.reply("220 fake.smtp ESMTP")
        envelope: dict[str, Any] = {"rcpt": []}
        while line := self.rfile.readline():
            command = line.decode("ascii").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-fake.smtp\r\n250 8BITMIME")
            elif verb == "MAIL":
                envelope["from"] = command.split(":", 1)[1].strip()
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(command.split(":", 1)[1].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) != b".\r\n":
                    lines.append(data[1:] if data.startswith(b"..") else data)
                envelope["data"] = b"".join(lines)
                self.server.received.append(envelope)  # type: ignore[attr-defined]
                envelope = {"rcpt": []}
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSmtp)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_smtp_transport_delivers_to_a_local_server(smtp_server):
    port = smtp_server.server_address[1]
    transport = SmtpTransport("127.0.0.1", port, "LSP Jakarta <no-reply@lsp-jkt.id>", timeout=5)
    body = "Yth. Bapak/Ibu Budi,\n\nPembayaran sebesar Rp 1.500.000 telah diverifikasi.\n.\nSalam.\n"
    transport.send(MailMessage("notice-123", EMAIL, "Pembayaran tagihan INV/JKT01/2025/00001 diverifikasi",
                               body))
    (received,) = smtp_server.received
    assert received["from"] == "<no-reply@lsp-jkt.id>"
    assert received["rcpt"] == [f"<{EMAIL}>"]
    message = email.message_from_bytes(received["data"], policy=policy.default)
    assert message["Subject"] == "Pembayaran tagihan INV/JKT01/2025/00001 diverifikasi"
    assert message["Message-ID"] == "<notice-123@lsp-jkt.id>"
    assert message.get_content().replace("\r\n", "\n") == body  # CRLF on the wire; dot-stuffing undone


def test_smtp_transport_reports_an_unreachable_server_as_mail_error(smtp_server):
    port = smtp_server.server_address[1]
    smtp_server.shutdown()
    smtp_server.server_close()
    with pytest.raises(MailError):
        SmtpTransport("127.0.0.1", port, "no-reply@lsp.local", timeout=2).send(
            MailMessage("notice-1", EMAIL, "Subjek", "Isi"))


def test_the_mailer_sends_through_smtp_end_to_end(app, smtp_server):
    book(app)
    deliver_all(app, quiet_inbox(app))
    mailer = Mailer(app, SmtpTransport("127.0.0.1", smtp_server.server_address[1], "no-reply@lsp.local", timeout=5))
    mailer.scan()
    assert mailer.send_due() == 1
    (received,) = smtp_server.received
    message = email.message_from_bytes(received["data"], policy=policy.default)
    assert message["Subject"] == "Kunjungan TUK 2026-12-03"
    assert "dijadwalkan pada 2026-12-03" in message.get_content()
    assert app.repository.get(notices(app)[0].id).status == "sent"
