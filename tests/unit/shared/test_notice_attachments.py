"""Files sent with a notice (shared/mail.py Attachment, shared/notices.py Notices.attachments): rendered by the
mailer when it sends, from what the service stores (the aggregate the notice is `about`), never held by an
event; a notice queued before `about` existed still loads; a notice written to nobody is not queued."""
import json
from dataclasses import replace
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from shared.mail import Attachment, MailMessage, Outbox, build_email
from shared.notices import Mailer, Notice, Notices
from tests.support.mail import Flaky
from tests.support.samples import ADMIN, ASESI
from tests.unit.shared.test_shared_notices import (
    TENANT,
    VisitsApp,
    book,
    compose,
    deliver_all,
    notices,
    open_app,
    person,
    quiet_inbox,
)

PDF = b"%PDF-1.4\n% a visit's letter\n%%EOF\n"


def test_an_e_mail_carries_its_attachments_after_the_text():
    message = MailMessage("notice-1", "budi@contoh.id", "Surat", "Yth. Bapak Budi,\n",
                          attachments=(Attachment("surat-001.pdf", "application/pdf", PDF),))
    email = build_email(message, "LSP <no-reply@lsp.local>")
    assert email.get_content_type() == "multipart/mixed"
    assert email.get_body(("plain",)).get_content() == "Yth. Bapak Budi,\n"
    (attached,) = list(email.iter_attachments())
    assert (attached.get_content_type(), attached.get_filename(), attached.get_content()) == (
        "application/pdf", "surat-001.pdf", PDF)
    plain = build_email(replace(message, attachments=()), "LSP <no-reply@lsp.local>")
    assert plain.get_content_type() == "text/plain" and list(plain.iter_attachments()) == []


class LettersApp(VisitsApp):
    """Visits whose notices carry the visit's letter, rendered at send time from the stored visit."""
    name = "visits"
    notices = Notices("visits", {"VisitBooked": ("booked",)}, compose, person=person, attachments=lambda app, n: [
        Attachment(f"kunjungan-{n.about}.pdf", "application/pdf",
                   PDF + app.repository.get(UUID(n.about)).place.encode())])


def test_the_mailer_attaches_what_the_service_renders_from_the_notices_aggregate(settings):
    app = open_app(settings, LettersApp)
    try:
        visit = book(app)
        deliver_all(app, quiet_inbox(app))
        (notice,) = notices(app)
        assert notice.about == str(visit.id)
        stored = [n for n in app.recorder.select_notifications(start=None, limit=100) if n.topic.endswith("Queued")]
        assert b"%PDF" not in stored[0].state  # the event holds no file
        outbox = Outbox()
        (mailer,) = LettersApp.notices.background_workers(app, settings)
        mailer.transport = outbox
        mailer.scan()
        assert mailer.send_due() == 1
        (attached,) = list(outbox.messages[0].iter_attachments())
        assert attached.get_filename() == f"kunjungan-{visit.id}.pdf"
        assert attached.get_content() == PDF + b"PT Baja Pesisir, Cilegon"
    finally:
        app.close()


def test_an_attachment_that_cannot_be_rendered_is_a_failed_attempt_retried_later(settings):
    def broken(app, notice):
        raise RuntimeError("letter not found")
    app = open_app(settings, LettersApp)
    try:
        book(app)
        deliver_all(app, quiet_inbox(app))
        transport = Flaky(failures=0)
        mailer = Mailer(app, transport, attachments=broken)
        mailer.scan()
        assert mailer.send_due() == 0 and transport.calls == 0
        (notice,) = notices(app)
        notice = app.repository.get(notice.id)
        assert (notice.status, notice.attempts) == ("retrying", 1) and "letter not found" in notice.error
    finally:
        app.close()


def test_a_notice_queued_before_about_existed_still_loads_and_sends(settings):
    app = open_app(settings)
    try:
        notice = Notice(id=Notice.create_id(TENANT, "case-old", "booked", 1), tenant=TENANT, actor=ADMIN,
                        caused_by="visits:1", case_id="case-old", kind="booked", asesi_id=ASESI["id"],
                        recipient=app.vault.seal(ASESI["id"], "budi@contoh.id"), subject="Kunjungan",
                        body=app.vault.seal(ASESI["id"], "Yth. Bapak/Ibu Budi,\n"))
        (stored,) = [app.mapper.to_stored_event(e) for e in notice.collect_events()]
        state = json.loads(stored.state)
        del state["about"]  # as recorded before the field was added
        app.recorder.insert_events([StoredEvent(stored.originator_id, stored.originator_version, stored.topic,
                                                json.dumps(state).encode())])
        loaded = app.repository.get(notice.id)
        assert loaded.about == ""
        outbox = Outbox()
        mailer = Mailer(app, outbox, attachments=lambda app, n: [])
        mailer.scan()
        assert mailer.send_due() == 1 and outbox.messages[0]["Subject"] == "Kunjungan"
    finally:
        app.close()


def test_a_notice_written_to_nobody_is_not_queued(settings):
    class Nobody(VisitsApp):
        name = "visits"
        notices = Notices("visits", {"VisitBooked": ("booked",)}, compose, person=lambda case, data: "")
    app = open_app(settings, Nobody)
    try:
        book(app)
        assert deliver_all(app, quiet_inbox(app)) == ["processed"]
        assert notices(app) == []
    finally:
        app.close()
