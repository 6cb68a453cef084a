"""Registration's notices to the asesi (SOP 1.2): which events queue which kinds, whom they go to,
and their texts. The mechanism (sealing, erasure, retries, the mailer, the outbox) is
shared/notices.py, tested in test_shared_notices.py; here it runs on registration's declaration.

A small stand-in registration App (its own case aggregate with registration's event names) keeps
these tests independent of registration's domain while it changes; the envelopes are built from
the stored events exactly as the relay builds them, so contracts are checked too.
"""
from typing import Any, ClassVar

import pytest
from eventsourcing.domain import event
from eventsourcing.persistence import StoredEvent

from services.registration import definition
from services.registration.notices import KINDS, NOTICES, notice_policies
from services.registration.projections import PROJECTIONS
from services.registration.queries import list_outbox
from shared.aggregate import Actor, TenantAggregate
from shared.eventstore import ServiceApplication, event_store_env
from shared.mail import MailMessage, Outbox
from shared.messaging.inbox import Inbox
from shared.notices import Mailer, Notice
from shared.privacy import Vault, is_sealed, parse
from shared.projector import Projector
from tests.support.api import TENANT, published
from tests.support.mail import Flaky
from tests.support.samples import ADMIN, ASESI

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


def test_each_text_is_indonesian_first_then_english(app):
    case = whole_journey(app)
    deliver_all(app, quiet_inbox(app))
    by_kind = {n.kind: n.message(app.vault) for n in notices(app)}
    for message in by_kind.values():
        indonesian, english = message.body.split("\n\n-- English --\n\n")
        assert indonesian.startswith("Yth. Bapak/Ibu Budi Santoso,") and "Dear" not in indonesian
        assert english.startswith("Dear Budi Santoso,") and f"Application number: {case.id}" in english
        assert english.endswith("please do not reply to it.\n") and "{" not in message.body
    english = {kind: m.body.split("-- English --")[1] for kind, m in by_kind.items()}
    assert ("- Fotokopi KTP (ADM-01): the document is attached but does not meet the requirement yet. "
            "Note: foto KTP buram") in english["returned"]
    assert "- The LSP admin's note: Mohon unggah ulang dengan jelas." in english["returned"]
    assert "Reason: Nominal transfer kurang Rp 50.000" in english["payment_rejected"]
    assert "(scheme Ahli K3 Umum (SKM/K3/AHLI-K3-UMUM/2025)) with reference TRX-991." in english["payment_rejected"]
    assert "Invoice number : INV/JKT01/2025/00007\nAmount         : Rp 1.500.000" in english["invoice_issued"]
    assert "your payment of Rp 1.500.000 for invoice" in english["payment_verified"]
    assert "The scheme's units of competency:\n- M.71KKK01.001.1 Menerapkan peraturan K3" in english["apl02"]


def test_a_case_without_units_or_notes_leaves_those_lines_out(app):
    case = Case(tenant=TENANT, actor=ASESI, asesi={"id": ASESI["id"], "name": ASESI["name"]},
                scheme={**SCHEME, "units": []}, purpose="sertifikasi_baru")
    case.update(actor=ASESI, personal_data={"email": EMAIL})  # no nama_lengkap: the account's name
    case.returned(actor=ADMIN, notes="", signature={}, deficiencies=[])
    case.payment_verified(actor=ADMIN, asesi=case.asesi, scheme=case.scheme, invoice_number="INV/1", amount=10)
    app.save(case)
    deliver_all(app, quiet_inbox(app))
    by_kind = {n.kind: n.message(app.vault).body for n in notices(app)}
    assert by_kind["apl02"].startswith("Yth. Bapak/Ibu Budi Santoso,")
    assert "Unit kompetensi" not in by_kind["apl02"] and "units of competency" not in by_kind["apl02"]
    assert "- (lihat catatan pada permohonan Anda)" in by_kind["returned"]
    assert "- (see the notes on your application)" in by_kind["returned"]


def test_a_second_rejection_of_the_same_case_is_a_second_notice(app):
    case = new_case(app)
    for reason in ("Bukti tidak terbaca", "Nominal kurang"):
        case.payment_rejected(actor=ADMIN, reason=reason, reference="TRX-1", file_id="f")
    app.save(case)
    deliver_all(app, quiet_inbox(app))
    assert sorted(n.body.split("Alasan: ")[1].split("\n")[0] for n in mails(app)) == [
        "Bukti tidak terbaca", "Nominal kurang"]


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


def test_with_registrations_own_app_a_paid_case_gets_its_notices(settings):
    """The same policies on registration's real App and domain (as the lead wires them)."""
    support = pytest.importorskip("tests.support.api")
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




def test_registration_declares_its_kinds_and_runs_its_own_mailer(app, settings):
    assert KINDS == ("tuk_equipment", "returned", "accepted", "invoice_issued", "payment_rejected",
                     "payment_verified", "apl02")
    assert set(notice_policies(app)) == {f"registration:{t}" for t in NOTICES.triggers}
    (mailer,) = definition.workers(app, settings)  # declare(workers="notices.background_workers")
    assert isinstance(mailer, Mailer) and isinstance(mailer.transport, Outbox)
    assert mailer.tracking_name == "registration.mailer" and mailer.who == "asesi"
    whole_journey(app)
    deliver_all(app, quiet_inbox(app))
    for notice in notices(app):  # sealed in registration's vault, for the asesi
        assert {parse(notice.recipient)[:2], parse(notice.body)[:2]} == {("registration", ASESI["id"])}
    mailer.scan()
    assert mailer.send_due() == 6 and {m["To"] for m in mailer.transport.messages} == {EMAIL}
    mailer.scan()
    mailer.checkpoint()
    assert app.recorder.max_tracking_id("registration.mailer") == app.recorder.max_notification_id()


async def test_registrations_outbox_lists_its_notices(app, store):
    whole_journey(app)
    deliver_all(app, quiet_inbox(app))
    await Projector(app, store, PROJECTIONS).catch_up()
    listed = await list_outbox(store, TENANT, asesi_id=ASESI["id"])
    assert sorted(d["kind"] for d in listed) == sorted(KINDS[1:])
    assert {d["status"] for d in listed} == {"queued"}
    assert all(is_sealed(d["body"]) and is_sealed(d["recipient"]) for d in listed)


def test_a_notice_stored_before_the_move_to_shared_still_loads_and_sends(app):
    """Notices queued by the old registration module carry its topic; they must still be read and sent."""
    new_case(app)
    notice = Notice(id=Notice.create_id(TENANT, "case-old", "accepted", 3), tenant=TENANT, actor=ADMIN,
                    caused_by="registration:1", case_id="case-old", kind="accepted", asesi_id=ASESI["id"],
                    recipient=app.vault.seal(ASESI["id"], EMAIL), subject="Permohonan diterima",
                    body=app.vault.seal(ASESI["id"], "Yth. Bapak/Ibu Budi,\n"))
    (stored,) = [app.mapper.to_stored_event(e) for e in notice.collect_events()]
    old_topic = stored.topic.replace("shared.notices:", "services.registration.notices:")
    assert old_topic.startswith("services.registration.notices:Notice.")
    app.recorder.insert_events([StoredEvent(stored.originator_id, stored.originator_version, old_topic,
                                            stored.state)])
    transport = Outbox()
    mailer = Mailer(app, transport)
    assert mailer.scan() == 1
    assert mailer.send_due() == 1 and transport.messages[0]["Subject"] == "Permohonan diterima"
    loaded = app.repository.get(notice.id)
    assert (loaded.status, loaded.case_id) == ("sent", "case-old")
