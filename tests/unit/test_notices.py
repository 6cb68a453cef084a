"""Notices to the asesi (SOP 1.2): queued once per event, sent with retries, visible in the outbox.

A small stand-in registration App (its own case aggregate with registration's event names) keeps
these tests independent of registration's domain while it changes; the envelopes are built from
the stored events exactly as the relay builds them, so contracts are checked too.
"""
import email
import socketserver
import threading
from email import policy
from typing import Any, ClassVar

import pytest
from eventsourcing.domain import event

from services.registration.notices import notice_policies
from services.registration.queries import list_outbox
from shared.aggregate import Actor, TenantAggregate
from shared.eventstore import ServiceApplication, event_store_env
from shared.mail import MailError, MailMessage, Outbox, SmtpTransport, open_mail_transport
from shared.messaging.inbox import Inbox
from shared.notices import OUTBOX_PROJECTIONS, Mailer, Notice
from shared.privacy import ERASED, Vault
from shared.projector import Projector
from shared.settings import Settings
from tests.unit.conftest import ADMIN, ASESI
from tests.unit.support import TENANT, published

SCHEME = {"id": "scheme-1", "number": "SKM/K3/AHLI-K3-UMUM/2025", "title": "Ahli K3 Umum", "version": 1,
          "fee": 1_500_000, "validity_years": 3,
          "units": [{"code": "M.71KKK01.001.1", "title": "Menerapkan peraturan K3"},
                    {"code": "M.71KKK01.002.1", "title": "Mengelola risiko K3"}],
          "requirements": [{"code": "ADM-01", "title": "Fotokopi KTP"},
                           {"code": "ADM-02", "title": "Pas foto terbaru 3x4 berlatar merah"}]}
EMAIL = "budi@contoh.id"


class Case(TenantAggregate):
    """Stand-in for registration's CertificationApplication: the same event names and data."""

    @event("ApplicationDrafted")
    def __init__(self, tenant: str, actor: Actor, asesi: dict, scheme: dict, purpose: str):
        self.tenant, self.asesi, self.scheme, self.purpose = tenant, asesi, scheme, purpose
        self.personal_data: dict[str, Any] = {}
        self.invoice: dict[str, Any] | None = None

    @event("DraftUpdated")
    def update(self, actor: Actor, personal_data: dict) -> None:
        self.personal_data.update(personal_data)

    @event("ApplicationReturned")
    def returned(self, actor: Actor, deficiencies: list, notes: str, signature: dict) -> None:
        pass

    @event("ApplicationAccepted")
    def accepted(self, actor: Actor, notes: str) -> None:
        pass

    @event("InvoiceIssued")
    def invoice_issued(self, actor: Actor, invoice_number: str, amount: int) -> None:
        self.invoice = {"number": invoice_number, "amount": amount}

    @event("PaymentRejected")
    def payment_rejected(self, actor: Actor, reason: str, reference: str, file_id: str) -> None:
        pass

    @event("PaymentVerified")
    def payment_verified(self, actor: Actor, asesi: dict, scheme: dict, invoice_number: str, amount: int) -> None:
        pass


class App(ServiceApplication):
    name = "registration"
    commands: ClassVar[tuple[str, ...]] = ()
    accounts: ClassVar[dict[str, str]] = {}

    def policies(self) -> dict:
        return notice_policies(self, recipient_of=self.accounts.get)


class Flaky:
    """A transport that fails `failures` times, then accepts."""
    name = "flaky"

    def __init__(self, failures: int):
        self.failures = failures
        self.calls = 0
        self.sent: list[MailMessage] = []

    def send(self, message: MailMessage) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise MailError("ConnectionRefusedError: [Errno 111] Connection refused")
        self.sent.append(message)


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app(settings):
    application = App(env=event_store_env(settings, App.name))
    application.vault = Vault.for_application(application, settings)
    yield application
    application.close()


def new_case(app: App, email_on_form: str | None = EMAIL) -> Case:
    case = Case(tenant=TENANT, actor=ASESI, asesi={"id": ASESI["id"], "name": ASESI["name"]}, scheme=SCHEME,
                purpose="sertifikasi_baru")
    personal = {"nama_lengkap": "Budi Santoso"}
    if email_on_form:
        personal["email"] = email_on_form
    case.update(actor=ASESI, personal_data=personal)
    app.save(case)
    return case


def deliver_all(app: App, inbox: Inbox, start: int = 0) -> list[str]:
    """Deliver the app's own events (as the relay publishes them) to its inbox; returns results."""
    results = []
    for envelope in published(app):
        if envelope.position > start and f"{envelope.source}:{envelope.type}" in inbox.policies:
            results.append(inbox.handle(envelope.model_dump(mode="json")))
    return results


def notices(app: App) -> list[Notice]:
    found = []
    for n in app.recorder.select_notifications(start=None, limit=1000):
        if n.topic.endswith("NoticeQueued"):
            found.append(app.repository.get(app.mapper.to_domain_event(n).originator_id))
    return found


def mails(app: App) -> list[MailMessage]:
    """The queued notices as e-mails (recipient and body opened from the vault)."""
    return [n.message(app.vault) for n in notices(app)]


def whole_journey(app: App) -> Case:
    case = new_case(app)
    case.returned(actor=ADMIN, notes="Mohon unggah ulang dengan jelas.", signature={},
                  deficiencies=[{"code": "ADM-01", "verdict": "tidak_memenuhi", "notes": "foto KTP buram"},
                                {"code": "ADM-02", "verdict": "tidak_ada", "notes": ""}])
    case.accepted(actor=ADMIN, notes="")
    case.invoice_issued(actor=ADMIN, invoice_number=f"INV/{TENANT}/2025/00007", amount=1_500_000)
    case.payment_rejected(actor=ADMIN, reason="Nominal transfer kurang Rp 50.000", reference="TRX-991",
                          file_id="f-1")
    case.payment_verified(actor=ADMIN, asesi=case.asesi, scheme=SCHEME,
                          invoice_number=f"INV/{TENANT}/2025/00007", amount=1_500_000)
    app.save(case)
    return case


def quiet_inbox(app: App) -> Inbox:
    return Inbox(app, app.policies(), attempts=2, sleep=lambda _: None)


def test_each_event_queues_exactly_one_notice_with_the_right_indonesian_text(app):
    case = whole_journey(app)
    assert deliver_all(app, quiet_inbox(app)) == ["processed"] * 5
    queued = {n.kind: n for n in notices(app)}
    assert sorted(queued) == sorted(["returned", "accepted", "invoice_issued", "payment_rejected",
                                     "payment_verified", "apl02"])
    assert len(notices(app)) == 6
    by_kind = {n.kind: n.message(app.vault) for n in queued.values()}
    for notice in queued.values():
        assert notice.status == "queued" and notice.case_id == str(case.id)
    for notice in by_kind.values():
        assert notice.recipient == EMAIL
        assert notice.body.startswith("Yth. Bapak/Ibu Budi Santoso,")
        assert str(case.id) in notice.body and "Ahli K3 Umum" in notice.body

    returned = by_kind["returned"]
    assert returned.subject == "Permohonan sertifikasi Ahli K3 Umum dikembalikan untuk dilengkapi"
    assert ("- Fotokopi KTP (ADM-01): dokumen sudah dilampirkan tetapi belum memenuhi persyaratan. "
            "Catatan: foto KTP buram") in returned.body
    assert "- Pas foto terbaru 3x4 berlatar merah (ADM-02): dokumen belum dilampirkan" in returned.body
    assert "Catatan admin LSP: Mohon unggah ulang dengan jelas." in returned.body
    assert "kirim kembali permohonan (FR.APL.01)" in returned.body

    assert by_kind["accepted"].subject == "Permohonan sertifikasi Ahli K3 Umum diterima"
    assert "memenuhi persyaratan (diterima)" in by_kind["accepted"].body

    invoice = by_kind["invoice_issued"]
    assert invoice.subject == f"Tagihan INV/{TENANT}/2025/00007 untuk sertifikasi Ahli K3 Umum"
    assert "Rp 1.500.000" in invoice.body and "unggah bukti pembayaran" in invoice.body

    rejected = by_kind["payment_rejected"]
    assert rejected.subject == f"Bukti pembayaran tagihan INV/{TENANT}/2025/00007 belum dapat diverifikasi"
    assert "Alasan: Nominal transfer kurang Rp 50.000" in rejected.body and "TRX-991" in rejected.body

    verified = by_kind["payment_verified"]
    assert verified.subject == f"Pembayaran tagihan INV/{TENANT}/2025/00007 telah diverifikasi"
    assert "Rp 1.500.000" in verified.body

    apl02 = by_kind["apl02"]
    assert apl02.subject == "Langkah berikutnya: asesmen mandiri (FR.APL.02) skema Ahli K3 Umum"
    assert "M.71KKK01.002.1 Mengelola risiko K3" in apl02.body


def test_redelivery_queues_and_sends_nothing_twice(app):
    whole_journey(app)
    inbox = quiet_inbox(app)
    deliver_all(app, inbox)
    transport = Flaky(failures=0)
    mailer = Mailer(app, transport)
    mailer.scan()
    assert mailer.send_due() == 6
    assert deliver_all(app, inbox) == ["duplicate"] * 5  # the inbox's tracking rows
    assert deliver_all(app, quiet_inbox(app)) == ["duplicate"] * 5
    # the policy itself is idempotent too (an event replayed from a dead letter, say)
    env = next(e for e in published(app) if e.type == "PaymentVerified")
    assert inbox.policies["registration:PaymentVerified"](env, env.data) == []
    mailer.scan()
    assert mailer.send_due() == 0 and len(transport.sent) == 6
    assert len({m.message_id for m in transport.sent}) == 6


def test_a_second_rejection_of_the_same_case_is_a_second_notice(app):
    case = new_case(app)
    for reason in ("Bukti tidak terbaca", "Nominal kurang"):
        case.payment_rejected(actor=ADMIN, reason=reason, reference="TRX-1", file_id="f")
    app.save(case)
    deliver_all(app, quiet_inbox(app))
    assert sorted(n.body.split("Alasan: ")[1].split("\n")[0] for n in mails(app)) == [
        "Bukti tidak terbaca", "Nominal kurang"]


def test_transport_failures_are_retried_with_back_off_then_sent_once(app):
    whole_journey(app)
    deliver_all(app, quiet_inbox(app))
    clock, transport = Clock(), Flaky(failures=2)
    mailer = Mailer(app, transport, max_attempts=5, base_delay=10.0, clock=clock)
    mailer.scan()
    first = sorted(mailer.pending)[0]
    mailer.pending = {first: 0.0}  # one notice, to follow its attempts
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
    case = new_case(app)
    case.accepted(actor=ADMIN, notes="")
    app.save(case)
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


def test_the_recipient_falls_back_to_the_account_e_mail_and_else_fails_without_sending(app):
    App.accounts = {ASESI["id"]: "budi.akun@contoh.id"}
    try:
        for _ in range(2):
            case = new_case(app, email_on_form=None)
            case.accepted(actor=ADMIN, notes="")
            app.save(case)
            deliver_all(app, quiet_inbox(app), start=max(e.position for e in published(app)) - 1)
            App.accounts = {}
    finally:
        App.accounts = {}
    with_account, without = sorted(notices(app), key=lambda n: n.recipient, reverse=True)
    assert with_account.message(app.vault).recipient == "budi.akun@contoh.id" and without.recipient == ""
    transport = Flaky(failures=0)
    mailer = Mailer(app, transport)
    mailer.scan()
    mailer.send_due()
    assert [m.recipient for m in transport.sent] == ["budi.akun@contoh.id"]
    failed = app.repository.get(without.id)
    assert (failed.status, failed.error) == ("failed", "no e-mail address for the asesi")


async def test_the_outbox_read_model_shows_what_was_sent(app, store):
    whole_journey(app)
    deliver_all(app, quiet_inbox(app))
    outbox = Outbox()
    mailer = Mailer(app, Flaky(failures=0))
    mailer.transport = outbox
    mailer.scan()
    assert mailer.send_due() == 6 and len(outbox.messages) == 6
    assert outbox.messages[0]["To"] == EMAIL and outbox.messages[0]["Message-ID"].startswith("<notice-")
    projector = Projector(app, store, OUTBOX_PROJECTIONS)
    await projector.catch_up()
    listed = await list_outbox(store, TENANT, asesi_id=ASESI["id"])
    assert len(listed) == 6 and {d["status"] for d in listed} == {"sent"}
    assert {d["transport"] for d in listed} == {"outbox"}
    apl02 = next(d for d in listed if d["kind"] == "apl02")
    assert "FR.APL.02" in apl02["subject"] and "Mengelola risiko K3" not in apl02["body"]  # sealed
    opened = app.vault.open_fields(apl02, ("recipient", "body"))
    assert opened["recipient"] == EMAIL and "Mengelola risiko K3" in opened["body"]
    assert await list_outbox(store, "OTHER") == []
    assert await list_outbox(store, TENANT, asesi_id="someone-else") == []
    await store.drop("registration")  # rebuilt from the log, the same
    await Projector(app, store, OUTBOX_PROJECTIONS).catch_up()
    assert len(await list_outbox(store, TENANT, status="sent")) == 6


def test_the_mailer_loop_sends_what_the_policy_queued(app):
    stop = threading.Event()
    transport = Flaky(failures=0)
    mailer = Mailer(app, transport)
    app.listeners.append(mailer.wake.set)
    thread = threading.Thread(target=mailer.run, args=(stop.is_set, 5.0), daemon=True)
    thread.start()
    try:
        case = new_case(app)
        case.accepted(actor=ADMIN, notes="")
        app.save(case)
        deliver_all(app, quiet_inbox(app))
        for _ in range(200):
            if transport.sent:
                break
            threading.Event().wait(0.01)
        assert [m.subject for m in transport.sent] == ["Permohonan sertifikasi Ahli K3 Umum diterima"]
    finally:
        stop.set()
        mailer.wake.set()
        thread.join(5)
    assert not thread.is_alive()


def test_open_mail_transport_follows_the_mode(tmp_path):
    assert isinstance(open_mail_transport(Settings(data_dir=tmp_path)), Outbox)
    smtp = open_mail_transport(Settings(data_dir=tmp_path, mode="distributed", smtp_host="mail.lsp.id",
                                        smtp_port=587, smtp_starttls=True))
    assert isinstance(smtp, SmtpTransport) and (smtp.host, smtp.port, smtp.starttls) == ("mail.lsp.id", 587, True)
    assert isinstance(open_mail_transport(Settings(data_dir=tmp_path, mode="distributed", mail_transport="outbox")),
                      Outbox)


# -- SMTP against a real socket -------------------------------------------------------------------------

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
    case = new_case(app)
    case.invoice_issued(actor=ADMIN, invoice_number="INV/JKT01/2025/00002", amount=1_500_000)
    app.save(case)
    deliver_all(app, quiet_inbox(app))
    mailer = Mailer(app, SmtpTransport("127.0.0.1", smtp_server.server_address[1], "no-reply@lsp.local", timeout=5))
    mailer.scan()
    assert mailer.send_due() == 1
    (received,) = smtp_server.received
    message = email.message_from_bytes(received["data"], policy=policy.default)
    assert message["Subject"] == "Tagihan INV/JKT01/2025/00002 untuk sertifikasi Ahli K3 Umum"
    assert "Rp 1.500.000" in message.get_content()
    assert app.repository.get(notices(app)[0].id).status == "sent"


def test_with_registrations_own_app_a_paid_case_gets_its_notices(settings):
    """The same policies on registration's real App and domain (as the lead wires them)."""
    support = pytest.importorskip("tests.unit.support")
    from services.registration.application import build_application
    real = build_application(settings)
    try:
        scheme_id = real.seed_schemes(TENANT, ADMIN)[0]
        case_id, invoice = support.accepted_case(real, TENANT, ASESI, ADMIN, scheme_id)
        support.pay_proof(real, TENANT, ASESI, case_id, invoice["amount"])
        real.reject_payment(TENANT, ADMIN, case_id, "Bukti transfer tidak terbaca")
        support.pay_proof(real, TENANT, ASESI, case_id, invoice["amount"])
        real.verify_payment(TENANT, ADMIN, case_id)
        inbox = Inbox(real, notice_policies(real, recipient_of={ASESI["id"]: "akun@contoh.id"}.get),
                      attempts=2, sleep=lambda _: None)
        assert deliver_all(real, inbox) == ["processed"] * 5
        queued = notices(real)
        assert sorted(n.kind for n in queued) == ["accepted", "apl02", "invoice_issued", "payment_rejected",
                                                 "payment_verified", "tuk_equipment"]
        rejected = next(n for n in queued if n.kind == "payment_rejected").message(real.vault)
        assert "Alasan: Bukti transfer tidak terbaca" in rejected.body and invoice["number"] in rejected.subject
        assert all(n.message(real.vault).recipient for n in queued)
    finally:
        real.close()


# -- personal data and restarts ----------------------------------------------------------------

def test_notices_hold_no_plain_address_or_text_and_die_with_the_asesis_key(app):
    case = whole_journey(app)
    inbox = quiet_inbox(app)
    deliver_all(app, inbox)
    notice_events = [n.state for n in app.recorder.select_notifications(start=None, limit=1000)
                     if "Notice" in n.topic]
    assert len(notice_events) == 6
    for state in notice_events:
        assert EMAIL.encode() not in state and b"Budi Santoso" not in state and b"Yth." not in state
    app.vault.forget(ASESI["id"], ADMIN)
    transport = Flaky(failures=0)
    mailer = Mailer(app, transport)
    mailer.scan()
    assert mailer.send_due() == 0 and transport.sent == []
    assert {(app.repository.get(n.id).status, app.repository.get(n.id).error) for n in notices(app)} == {
        ("failed", "the asesi's data was erased; not sent")}
    assert app.vault.open_fields({"body": notices(app)[0].body}, ("body",)) == {"body": ERASED}
    # a later event of the erased asesi's case is processed, queues nothing, and parks nothing
    head = max(e.position for e in published(app))
    case.accepted(actor=ADMIN, notes="")
    app.save(case)
    assert deliver_all(app, inbox, start=head) == ["processed"]
    assert len(notices(app)) == 6


def test_smtp_errors_are_recorded_without_the_address(app):
    case = new_case(app)
    case.accepted(actor=ADMIN, notes="")
    app.save(case)
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
    whole_journey(app)
    deliver_all(app, quiet_inbox(app))
    clock = Clock()
    first = Mailer(app, Flaky(failures=0), clock=clock)
    first.scan()
    assert first.send_due() == 6
    first.scan()  # reads its own NoticeSent events
    first.checkpoint()
    head = app.recorder.max_notification_id()
    assert first.checkpointed == head  # nothing pending: the whole log so far is settled

    later = new_case(app)
    later.accepted(actor=ADMIN, notes="")
    app.save(later)
    deliver_all(app, quiet_inbox(app), start=head)
    (waiting,) = [n for n in notices(app) if app.repository.get(n.id).status == "queued"]
    failing = Mailer(app, Flaky(failures=1), base_delay=10.0, clock=clock)
    assert failing.scan() == 1  # the one new notice event, not the twenty-odd before the checkpoint
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
