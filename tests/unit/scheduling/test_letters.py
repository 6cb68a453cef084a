"""The official letters (SOP 1.4, 1.6.5-1.6.6): numbering per branch, kind and year (format, Roman months,
padding, yearly reset), numbers gap-free under concurrent issuing, idempotent issuing, the ketua LSP's
signature over the letter's content, the addressee's receipt, the PDFs, the e-mail with the PDF attached,
and the API's tenancy and roles."""
import itertools
import threading
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.scheduling import api, definition
from services.scheduling.documents import letter_pdf
from services.scheduling.domain import Letter, LetterCounter, checked_numbering, format_number, roman_month
from services.scheduling.forms import LETTER_FORMS
from services.scheduling.projections import PROJECTIONS
from shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from shared.mail import Outbox
from shared.messaging.inbox import Inbox
from shared.notices import Mailer, Notice
from shared.privacy import is_sealed, parse
from shared.projector import Projector
from shared.signing import content_sha256, verify
from tests.support.api import MET, SCHEME_NUMBER, TENANT, api_client, as_user, auth, published
from tests.support.samples import ADMIN, pdf_text, squeezed
from tests.support.scheduling import opened_case

KETUA = {"id": "ketua-1", "role": "ketua_lsp", "name": "Dr. Hadi Prasetyo"}
RINA = {"id": "asesor-1", "role": "asesor", "name": "Rina Wulandari"}
DEWI = {"id": "asesor-2", "role": "asesor", "name": "Dewi Lestari"}
YUDI = {"id": "admin-2", "role": "admin_lsp", "name": "Yudi"}
SOON = (date.today() + timedelta(days=30)).isoformat()
ONSITE_TUK = {"nama": "TUK Tempat Kerja PT Aman", "jenis": "tempat_kerja", "jarak_jauh": "tidak",
              "alamat": "Jl. Industri No. 5, Cikarang", "kapasitas": "10"}
HEAD = {"name": "LSP K3 Nusantara (JKT01)", "address": "Jl. Gatot Subroto 1, Jakarta", "licence": "BNSP-LSP-123",
        "phone": "021-555", "email": "kantor@lsp.test"}




def at(app, day: date) -> None:
    """The app's today (WIB), for numbering across months and years."""
    app.today = lambda: day


def tuk(app, **changes: Any) -> str:
    return app.register_tuk(TENANT, ADMIN, {**ONSITE_TUK, **changes})


def schedule(app, tuk_id: str | None = None) -> str:
    return app.create_schedule(TENANT, ADMIN, {
        "skema": SCHEME_NUMBER, "tanggal": SOON, "mulai": "08:00", "selesai": "16:00",
        "tuk_id": tuk_id or tuk(app), "kuota_min": "1", "kuota_maks": "5"})


def assessor(app, person: dict = RINA, tenant: str = TENANT) -> None:
    app.register_assessor(tenant, ADMIN, person["id"], person["name"], MET, "2030-12-31", [SCHEME_NUMBER])


def sk(app, tuk_id: str | None = None, **kwargs: Any) -> dict[str, Any]:
    return app.issue_letter(TENANT, ADMIN, "sk_tuk", tuk_id=tuk_id or tuk(app), valid_until="2030-06-30",
                            letterhead=HEAD, **kwargs)


POSITIONS = itertools.count(1000)  # each case's FeasibilityReviewed is a new event


def appointed(app, schedule_id: str, person: dict = RINA) -> None:
    """The assessor (registered if need be) appointed for a case seated in the session: an SPT's premise."""
    from services.scheduling.domain import Assessor
    if not app.exists(Assessor.create_id(TENANT, person["id"])):
        assessor(app, person)
    if app.repository.get(UUID(schedule_id)).has_assessor(person["id"]):
        return
    case_id = opened_case(app, position=next(POSITIONS), asesi={"id": f"asesi-{uuid4().hex[:8]}", "name": "Budi"})
    app.place_case(TENANT, ADMIN, schedule_id, case_id)
    app.assign_assessor(TENANT, ADMIN, case_id, person["id"])


def spt(app, schedule_id: str, person: dict = RINA, **kwargs: Any) -> dict[str, Any]:
    appointed(app, schedule_id, person)
    return app.issue_letter(TENANT, ADMIN, "spt_asesor", schedule_id=schedule_id, user_id=person["id"],
                            letterhead=HEAD, contact=f"{person['id']}@contoh.id", **kwargs)


def verified_schedule(app, verifier: dict = YUDI) -> str:
    """A remote TUK Sewaktu's schedule with its TUK verifier appointed (whom an SPT Verifikasi TUK is for)."""
    tuk_id = tuk(app, jenis="sewaktu", jarak_jauh="ya", alamat="")
    schedule_id = app.create_schedule(TENANT, ADMIN, {
        "skema": SCHEME_NUMBER, "tanggal": SOON, "mulai": "08:00", "selesai": "16:00", "tuk_id": tuk_id,
        "tautan": "https://meet.example.org/uji", "kuota_min": "1", "kuota_maks": "5"})
    app.appoint_verifier(TENANT, ADMIN, schedule_id, verifier)
    return schedule_id


def letter(app, letter_id: str) -> Letter:
    return app.repository.get(UUID(letter_id))


# ---- the number's format ----------------------------------------------------------------------------------

@pytest.mark.parametrize("month, roman", list(enumerate(
    ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"), 1)))
def test_every_month_is_written_in_roman_numerals(month, roman):
    assert roman_month(month) == roman
    settings = checked_numbering({"pola": "{nomor}/SPT/{kode}/{bulan_romawi}/{tahun}", "kode": "LSP-K3",
                                  "lebar": "3", "reset_tahunan": "ya"})
    assert format_number(settings, 7, date(2026, month, 15)) == f"007/SPT/LSP-K3/{roman}/2026"


@pytest.mark.parametrize("width, sequence, shown", [(1, 7, "7"), (3, 7, "007"), (4, 42, "0042"), (2, 123, "123")])
def test_the_running_number_is_zero_padded_to_the_branchs_width(width, sequence, shown):
    settings = checked_numbering({"pola": "SK-{nomor}.{bulan}.{tahun}", "kode": "X", "lebar": str(width),
                                  "reset_tahunan": "ya"})
    assert format_number(settings, sequence, date(2026, 3, 1)) == f"SK-{shown}.03.2026"


@pytest.mark.parametrize("pattern, reset, said", [
    ("SPT/{tahun}", "ya", "pola nomor wajib memuat nomor urut {nomor}"),
    ("{nomor}/SPT/{kode}", "ya", "nomor urut yang dimulai ulang setiap tahun wajib memuat tahun {tahun} pada pola"),
    ("{nomor}/{cabang}/{tahun}", "ya", "penanda tidak dikenal"),
    ("{nomor:>5}/{tahun}", "ya", "penanda tidak dikenal"),
    ("{nomor/{tahun}", "ya", "kurung kurawal"),
])
def test_a_pattern_that_cannot_number_uniquely_is_refused_by_its_field(app, pattern, reset, said):
    from services.gateway.web.i18n import add_service_texts, error_message
    add_service_texts()
    with pytest.raises(Invalid) as refused:
        app.set_letter_numbering(TENANT, ADMIN, "spt_asesor", {"pola": pattern, "kode": "LSP-K3", "lebar": "3",
                                                                "reset_tahunan": reset})
    assert refused.value.field == "pola" and said in error_message(refused.value, "id")


def test_without_a_yearly_reset_a_pattern_needs_no_year(app):
    saved = app.set_letter_numbering(TENANT, ADMIN, "sk_tuk", {"pola": "SK/{kode}/{nomor}", "kode": "LSP-K3",
                                                               "lebar": "4", "reset_tahunan": "tidak"})
    assert saved["next_number"] == "SK/LSP-K3/0001" and saved["version"] == 1


def test_the_branchs_format_numbers_its_next_letter_and_the_preview_says_so(app):
    at(app, date(2026, 11, 3))
    assert {r["kind"]: r["next_number"] for r in app.letter_numbering(TENANT, ADMIN)} == {
        "sk_tuk": "001/SK-TUK/JKT01/XI/2026", "spt_asesor": "001/SPT/JKT01/XI/2026",
        "spt_verifikasi": "001/SPT-VT/JKT01/XI/2026"}
    assert sk(app)["number"] == "001/SK-TUK/JKT01/XI/2026"
    settings = {"pola": "{nomor}/SK/{kode}/{bulan_romawi}/{tahun}", "kode": "LSP-K3", "lebar": "2",
                "reset_tahunan": "ya"}
    assert app.preview_letter_number(TENANT, ADMIN, "sk_tuk", settings)["next_number"] == "02/SK/LSP-K3/XI/2026"
    assert app.letter_numbering(TENANT, ADMIN)[0]["next_number"] == "002/SK-TUK/JKT01/XI/2026"  # not saved
    app.set_letter_numbering(TENANT, ADMIN, "sk_tuk", settings)
    assert sk(app)["number"] == "02/SK/LSP-K3/XI/2026"
    numbering = app.letter_numbering(TENANT, ADMIN)
    assert numbering[0]["version"] == 1 and numbering[1]["version"] == 0  # SPT: still the defaults
    with pytest.raises(Conflict):  # a stale page
        app.set_letter_numbering(TENANT, ADMIN, "sk_tuk", settings, expected_version=5)
    assert app.letter_numbering("SBY01", ADMIN)[0]["next_number"] == "001/SK-TUK/SBY01/XI/2026"  # per branch


@pytest.mark.parametrize("reset, first_of_2027", [("ya", "001/SK-TUK/JKT01/I/2027"),
                                                  ("tidak", "003/SK-TUK/JKT01/I/2027")])
def test_the_count_restarts_each_year_unless_the_branch_switches_it_off(app, reset, first_of_2027):
    app.set_letter_numbering(TENANT, ADMIN, "sk_tuk", {"pola": "{nomor}/SK-TUK/{kode}/{bulan_romawi}/{tahun}",
                                                       "kode": "JKT01", "lebar": "3", "reset_tahunan": reset})
    at(app, date(2026, 12, 30))
    assert [sk(app)["number"] for _ in range(2)] == ["001/SK-TUK/JKT01/XII/2026", "002/SK-TUK/JKT01/XII/2026"]
    at(app, date(2027, 1, 2))
    assert sk(app)["number"] == first_of_2027
    assert app.repository.get(LetterCounter.create_id(TENANT, "sk_tuk", 2027)).year == 2027


# ---- issuing: one number per letter, gap-free, even at the same moment --------------------------------------

def test_letters_issued_at_the_same_moment_get_distinct_consecutive_numbers(app):
    """Eight admins issue eight SKs at once on the real store: each takes its own number, 001 to 008, and the
    counter ends at 8 (a save that lost the race for the counter takes the next number)."""
    at(app, date(2026, 11, 3))
    tuks = [tuk(app, nama=f"TUK {n}") for n in range(8)]
    start, numbers, failures = threading.Barrier(len(tuks)), [], []

    def issue(tuk_id: str) -> None:
        start.wait()
        try:
            numbers.append(sk(app, tuk_id)["number"])
        except DomainError as error:  # pragma: no cover - the assertion says what went wrong
            failures.append(error.template)
    threads = [threading.Thread(target=issue, args=(tuk_id,)) for tuk_id in tuks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(numbers) == [f"{n:03d}/SK-TUK/JKT01/XI/2026" for n in range(1, 9)]
    assert app.repository.get(LetterCounter.create_id(TENANT, "sk_tuk", 2026)).last == 8


def test_issuing_the_same_letter_again_returns_it_and_takes_no_second_number(app):
    at(app, date(2026, 11, 3))
    assessor(app)
    assessor(app, DEWI)
    schedule_id = schedule(app)
    first = spt(app, schedule_id)
    again = spt(app, schedule_id)
    assert first["created"] and not again["created"]
    assert (again["id"], again["number"]) == (first["id"], "001/SPT/JKT01/XI/2026")
    assert spt(app, schedule_id, DEWI)["number"] == "002/SPT/JKT01/XI/2026"  # no gap where the repeat was
    assert app.repository.get(LetterCounter.create_id(TENANT, "spt_asesor", 2026)).last == 2


def test_the_same_letter_issued_twice_at_once_is_one_letter_with_one_number(app):
    assessor(app)
    schedule_id = schedule(app)
    appointed(app, schedule_id)
    start, results = threading.Barrier(4), []

    def issue() -> None:
        start.wait()
        results.append(spt(app, schedule_id))
    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r["id"] for r in results}) == 1 and len({r["number"] for r in results}) == 1
    assert sorted(r["created"] for r in results) == [False, False, False, True]
    assert app.repository.get(LetterCounter.create_id(TENANT, "spt_asesor", app.today().year)).last == 1


def test_what_a_letter_may_be_issued_for(app):
    schedule_id = schedule(app)
    with pytest.raises(Invalid) as unregistered:  # not in the branch's assessor registry
        app.issue_letter(TENANT, ADMIN, "spt_asesor", schedule_id=schedule_id, user_id=RINA["id"], letterhead=HEAD)
    assert unregistered.value.field == "user_id"
    assessor(app, tenant="SBY01")
    with pytest.raises(Invalid):  # registered in another branch only
        app.issue_letter(TENANT, ADMIN, "spt_asesor", schedule_id=schedule_id, user_id=RINA["id"], letterhead=HEAD)
    with pytest.raises(NotFound):  # another branch's schedule
        app.issue_letter("SBY01", ADMIN, "spt_asesor", schedule_id=schedule_id, user_id=RINA["id"])
    with pytest.raises(Invalid) as nobody:
        app.issue_letter(TENANT, ADMIN, "spt_verifikasi", schedule_id=schedule_id, user_id=RINA["id"])
    assert nobody.value.field == "user_id"  # the gateway found no such account: no name
    with pytest.raises(Invalid) as kind:
        app.issue_letter(TENANT, ADMIN, "surat_cinta", tuk_id=tuk(app))
    assert kind.value.field == "kind"
    no_decree = tuk(app)
    with pytest.raises(Invalid) as validity:  # neither given nor in the registry
        app.issue_letter(TENANT, ADMIN, "sk_tuk", tuk_id=no_decree)
    assert validity.value.field == "valid_until"
    with pytest.raises(Invalid):
        app.issue_letter(TENANT, ADMIN, "sk_tuk", tuk_id=no_decree, valid_until=date.today().isoformat())
    decreed = tuk(app, nomor_sk="SK/TUK/2025/01", sk_berlaku_sampai="2029-12-31")
    issued = app.issue_letter(TENANT, ADMIN, "sk_tuk", tuk_id=decreed)
    assert letter(app, issued["id"]).data["berlaku_sampai"] == "2029-12-31"  # the registry's validity
    app.set_tuk_active(TENANT, ADMIN, no_decree, False)
    with pytest.raises(Conflict):
        app.issue_letter(TENANT, ADMIN, "sk_tuk", tuk_id=no_decree, valid_until="2030-01-01")


def test_the_spt_says_what_the_registry_and_the_schedule_say(app):
    assessor(app)
    schedule_id = schedule(app)
    appointed(app, schedule_id)
    issued = app.issue_letter(TENANT, ADMIN, "spt_asesor", schedule_id=schedule_id, user_id=RINA["id"],
                              letterhead=HEAD)
    data = letter(app, issued["id"]).data
    assert data["nama"] == RINA["name"] and data["nomor_met"] == MET and data["sebagai"] == "Asesor Kompetensi"
    assert (data["skema"], data["tanggal"], data["waktu"]) == (SCHEME_NUMBER, SOON, "08:00-16:00 WIB")
    assert (data["tuk"], data["alamat"], data["jumlah_asesi"]) == (ONSITE_TUK["nama"], ONSITE_TUK["alamat"], "1")
    assert data["cabang"] == HEAD["name"] and data["nomor"] == issued["number"]


def test_no_spt_for_an_assessor_not_appointed_in_the_session(app):
    assessor(app)
    schedule_id = schedule(app)
    with pytest.raises(Conflict) as refused:
        app.issue_letter(TENANT, ADMIN, "spt_asesor", schedule_id=schedule_id, user_id=RINA["id"], letterhead=HEAD)
    assert refused.value.template == "{name} is not assigned to this schedule"


# ---- signing and receipt -----------------------------------------------------------------------------------

@pytest.mark.parametrize("who", [ADMIN, RINA, {"id": "platform", "role": "platform_admin", "name": "Root"},
                                 {"id": "manajer", "role": "manajer_sertifikasi", "name": "M"}])
def test_only_the_ketua_lsp_signs(app, who):
    with pytest.raises(Forbidden):
        app.sign_letter(TENANT, who, sk(app)["id"])


def test_the_signature_is_over_exactly_the_letters_content(app):
    assessor(app)
    issued = spt(app, schedule(app))
    signed = app.sign_letter(TENANT, KETUA, issued["id"])
    stored = letter(app, issued["id"])
    assert signed["status"] == "signed" and signed["signature"] == stored.signature
    assert stored.signature["signer"] == {"id": KETUA["id"], "name": KETUA["name"]}
    assert stored.signature["role"] == "ketua_lsp"
    content = LETTER_FORMS["spt_asesor"].content(stored.data)
    assert content["fields"]["nomor"] == issued["number"]  # the number is part of what is signed
    assert verify(stored.signature, content, role="ketua_lsp")
    assert stored.signature["sha256"] == content_sha256(content)
    assert not verify(stored.signature, {**content, "fields": {**content["fields"], "jumlah_asesi": "9"}})
    with pytest.raises(Conflict):  # signed once
        app.sign_letter(TENANT, KETUA, issued["id"])
    with pytest.raises(NotFound):
        app.sign_letter("SBY01", KETUA, issued["id"])


def test_only_the_addressee_confirms_receipt_and_only_once_signed(app):
    assessor(app)
    assessor(app, DEWI)
    issued = spt(app, schedule(app))
    with pytest.raises(Conflict):  # not signed yet
        app.confirm_receipt(TENANT, RINA, issued["id"])
    app.sign_letter(TENANT, KETUA, issued["id"])
    for other in (DEWI, ADMIN, KETUA):
        with pytest.raises(Forbidden):
            app.confirm_receipt(TENANT, other, issued["id"])
    assert app.confirm_receipt(TENANT, RINA, issued["id"])["status"] == "received"
    with pytest.raises(Conflict):
        app.confirm_receipt(TENANT, RINA, issued["id"])
    decree = sk(app)["id"]
    app.sign_letter(TENANT, KETUA, decree)
    with pytest.raises(Forbidden):  # an SK has no addressee to confirm it
        app.confirm_receipt(TENANT, ADMIN, decree)


def test_the_verifiers_spt_names_them_and_their_position(app):
    with pytest.raises(Conflict) as not_appointed:  # an SPT Verifikasi TUK is for the schedule's appointed verifier
        app.issue_letter(TENANT, ADMIN, "spt_verifikasi", schedule_id=verified_schedule(app, DEWI),
                         user_id="admin-2", addressee_name="Yudi", position="Admin LSP", letterhead=HEAD)
    assert not_appointed.value.field == "user_id"
    issued = app.issue_letter(TENANT, ADMIN, "spt_verifikasi", schedule_id=verified_schedule(app), user_id="admin-2",
                              addressee_name="Yudi", position="Admin LSP", letterhead=HEAD)
    stored = letter(app, issued["id"])
    assert issued["number"].endswith(f"/SPT-VT/JKT01/{roman_month(app.today().month)}/{app.today().year}")
    assert (stored.data["nama"], stored.data["jabatan"], stored.data["sebagai"]) == ("Yudi", "Admin LSP",
                                                                                     "Verifikator TUK")
    assert stored.addressee == {"id": "admin-2", "name": "Yudi"}


# ---- PDFs --------------------------------------------------------------------------------------------------

def test_each_letter_prints_its_number_and_draf_until_signed(app):
    assessor(app)
    schedule_id = schedule(app)
    letters = [sk(app), spt(app, schedule_id), app.issue_letter(
        TENANT, ADMIN, "spt_verifikasi", schedule_id=verified_schedule(app), user_id="admin-2", addressee_name="Yudi",
        position="Admin LSP", letterhead=HEAD)]
    for issued in letters:
        draft = letter_pdf(letter(app, issued["id"]).document())
        assert draft.startswith(b"%PDF")
        text = squeezed(pdf_text(draft))
        assert squeezed(f"Nomor: {issued['number']}") in text and "DRAF" in text and squeezed(HEAD["name"]) in text
        app.sign_letter(TENANT, KETUA, issued["id"])
        signed = letter(app, issued["id"])
        text = squeezed(pdf_text(letter_pdf(signed.document())))
        assert "DRAF" not in text and squeezed(KETUA["name"]) in text
        assert signed.signature["sha256"][:16] in text and signed.signature["sha256"] in text
    spt_text = squeezed(pdf_text(letter_pdf(letter(app, letters[1]["id"]).document())))
    for expected in ("menugaskan kepada", RINA["name"], MET, "Asesor Kompetensi", SCHEME_NUMBER, "08:00-16:00 WIB",
                     ONSITE_TUK["nama"], "Jumlah asesi"):
        assert squeezed(expected) in spt_text, expected
    sk_text = squeezed(pdf_text(letter_pdf(letter(app, letters[0]["id"]).document())))
    for expected in (ONSITE_TUK["nama"], "TUK Tempat Kerja", ONSITE_TUK["alamat"], "10 asesi per sesi", "30 Juni 2030"):
        assert squeezed(expected) in sk_text, expected


# ---- the e-mail with the PDF attached -----------------------------------------------------------------------

def deliver_all(app, inbox: Inbox) -> list[str]:
    """The app's own events, as its relay publishes them, to its inbox."""
    return [inbox.handle(e.model_dump(mode="json")) for e in published(app)
            if f"{e.source}:{e.type}" in inbox.policies]


def queued(app, kind: str = "letter_signed") -> list[Notice]:
    notices = [app.repository.get(app.mapper.to_domain_event(n).originator_id)
               for n in app.recorder.select_notifications(start=None, limit=1000) if n.topic.endswith("NoticeQueued")]
    return [notice for notice in notices if notice.kind == kind]


def test_a_signed_spt_is_mailed_to_its_addressee_with_the_pdf_attached(app, settings):
    assessor(app)
    issued = spt(app, schedule(app))
    decree = sk(app)
    inbox = Inbox(app, app.policies(), attempts=2, sleep=lambda _: None)
    deliver_all(app, inbox)
    assert queued(app) == []  # issued, not signed: nothing to send yet
    app.sign_letter(TENANT, KETUA, issued["id"])
    app.sign_letter(TENANT, KETUA, decree["id"])  # an SK has no addressee: no e-mail
    deliver_all(app, inbox)
    (notice,) = queued(app)
    assert notice.about == issued["id"] and notice.asesi_id == RINA["id"]
    assert {parse(notice.recipient)[:2], parse(notice.body)[:2]} == {("scheduling", RINA["id"])}
    assert issued["number"] in notice.subject and RINA["name"] not in notice.subject
    assert is_sealed(letter(app, issued["id"]).contact)  # the address is never plain in an event
    (mailer,) = definition.workers(app, settings)  # declare(workers="notices.background_workers")
    assert isinstance(mailer, Mailer) and isinstance(mailer.transport, Outbox)
    mailer.scan()
    assert mailer.send_due() == 1
    (email,) = mailer.transport.messages
    assert email["To"] == f"{RINA['id']}@contoh.id" and issued["number"] in email["Subject"]
    body = email.get_body(("plain",)).get_content()
    assert body.startswith(f"Yth. Bapak/Ibu {RINA['name']},") and f"Nomor surat: {issued['number']}" in body
    (attachment,) = list(email.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"spt_asesor-{issued['number'].replace('/', '-')}.pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF") and squeezed(issued["number"]) in squeezed(pdf_text(pdf))
    assert "DRAF" not in pdf_text(pdf)  # the signed letter
    deliver_all(app, inbox)
    assert len(queued(app)) == 1  # redelivered events queue nothing twice


# ---- the API: roles, tenancy, the addressee's own letters ------------------------------------------------

async def client_for(app, store, *users):
    client = api_client(api.router, {"scheduling": app}, store, *users)
    client.app.state.runtime = SimpleNamespace(apps={"scheduling": app})  # the vault it seals with
    return client


async def test_the_api_issues_signs_and_hands_letters_to_their_addressee_only(app, store):
    admin, ketua, rina, dewi = as_user(ADMIN), as_user(KETUA), as_user(RINA), as_user(DEWI)
    sby_admin = as_user({**ADMIN, "id": "admin-sby"}, "SBY01")
    sby_ketua = as_user({**KETUA, "id": "ketua-sby"}, "SBY01")
    client = await client_for(app, store, admin, ketua, rina, dewi, sby_admin, sby_ketua)
    assessor(app)
    assessor(app, DEWI)
    schedule_id = schedule(app)
    case_id = opened_case(app)
    app.place_case(TENANT, ADMIN, schedule_id, case_id)
    app.assign_assessor(TENANT, ADMIN, case_id, RINA["id"])
    await Projector(app, store, PROJECTIONS).catch_up()
    body = {"kind": "spt_asesor", "schedule_id": schedule_id, "user_id": RINA["id"]}
    assert client.post("/api/letters", json=body, headers=auth(rina)).status_code == 403
    bad = client.post("/api/letters", json={**body, "user_id": "asesi-1"}, headers=auth(admin))
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "user_id"
    issued = client.post("/api/letters", json=body, headers=auth(admin))
    assert issued.status_code == 201, issued.text
    again = client.post("/api/letters", json=body, headers=auth(admin))
    assert again.status_code == 200 and again.json()["number"] == issued.json()["number"]
    letter_id = issued.json()["id"]
    assert is_sealed(letter(app, letter_id).contact)  # sealed by the gateway, for Rina
    assert parse(letter(app, letter_id).contact)[:2] == ("scheduling", RINA["id"])
    assert letter(app, letter_id).data["jumlah_asesi"] == "1"  # her case seated in the schedule
    appointed(app, schedule_id, DEWI)
    other = client.post("/api/letters", json={**body, "user_id": DEWI["id"]}, headers=auth(admin)).json()["id"]
    await Projector(app, store, PROJECTIONS).catch_up()

    assert client.post(f"/api/letters/{letter_id}/sign", json={}, headers=auth(admin)).status_code == 403
    assert client.post(f"/api/letters/{letter_id}/sign", json={}, headers=auth(sby_ketua)).status_code == 404
    signed = client.post(f"/api/letters/{letter_id}/sign", json={"expected_version": 1}, headers=auth(ketua))
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    await Projector(app, store, PROJECTIONS).catch_up()

    for path in (f"/api/letters/{letter_id}", f"/api/letters/{letter_id}/pdf"):
        assert client.get(path, headers=auth(admin)).status_code == 200, path
        assert client.get(path, headers=auth(ketua)).status_code == 200, path
        assert client.get(path, headers=auth(rina)).status_code == 200, path
        assert client.get(path, headers=auth(dewi)).status_code == 404, path  # another asesor's letter
        assert client.get(path, headers=auth(sby_admin)).status_code == 404, path  # another branch's
    pdf = client.get(f"/api/letters/{letter_id}/pdf", headers=auth(rina))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert [d["id"] for d in client.get("/api/letters", headers=auth(rina)).json()] == [letter_id]
    assert [d["id"] for d in client.get("/api/letters", headers=auth(dewi)).json()] == [other]
    assert len(client.get("/api/letters", headers=auth(admin)).json()) == 2
    assert client.get("/api/letters", headers=auth(sby_admin)).json() == []
    record = client.get(f"/api/letters/{letter_id}", headers=auth(admin)).json()
    assert record["signature"]["sha256"] == letter(app, letter_id).signature["sha256"] and "contact" not in record

    assert client.post(f"/api/letters/{letter_id}/receipt", json={}, headers=auth(dewi)).status_code == 404
    assert client.post(f"/api/letters/{letter_id}/receipt", json={}, headers=auth(admin)).status_code == 403
    assert client.post(f"/api/letters/{other}/receipt", json={}, headers=auth(dewi)).status_code == 409  # unsigned
    received = client.post(f"/api/letters/{letter_id}/receipt", json={}, headers=auth(rina))
    assert received.status_code == 200 and received.json()["status"] == "received"


async def test_the_numbering_api_is_the_admins(app, store):
    admin, ketua = as_user(ADMIN), as_user(KETUA)
    client = await client_for(app, store, admin, ketua)
    body = {"pola": "{nomor}/ST/{kode}/{bulan_romawi}/{tahun}", "kode": "LSP-K3", "lebar": 4, "reset_tahunan": True}
    assert client.put("/api/letters/numbering/spt_asesor", json=body, headers=auth(ketua)).status_code == 403
    refused = client.put("/api/letters/numbering/spt_asesor", json={**body, "pola": "ST/{tahun}"},
                         headers=auth(admin))
    assert refused.status_code == 422 and refused.json()["detail"]["field"] == "pola"
    saved = client.put("/api/letters/numbering/spt_asesor", json=body, headers=auth(admin))
    assert saved.status_code == 200 and saved.json()["next_number"].startswith("0001/ST/LSP-K3/")
    listed = client.get("/api/letters/numbering", headers=auth(ketua)).json()
    assert [n["kind"] for n in listed] == ["sk_tuk", "spt_asesor", "spt_verifikasi"] and listed[1]["version"] == 1


def test_a_revoked_letter_stands_no_more_and_the_next_one_takes_a_new_number(app):
    at(app, date(2026, 11, 3))
    schedule_id = schedule(app)
    first = spt(app, schedule_id)
    app.sign_letter(TENANT, KETUA, first["id"])
    with pytest.raises(Invalid) as why:
        app.revoke_letter(TENANT, ADMIN, first["id"], "  ")
    assert why.value.field == "reason"
    with pytest.raises(NotFound):
        app.revoke_letter("SBY01", ADMIN, first["id"], "salah jadwal")
    app.revoke_letter(TENANT, ADMIN, first["id"], "asesor diganti")
    assert letter(app, first["id"]).status == "revoked"
    with pytest.raises(Conflict):  # nothing more happens to it
        app.sign_letter(TENANT, KETUA, first["id"])
    second = spt(app, schedule_id)
    assert second["created"] and second["id"] != first["id"]
    assert (first["number"], second["number"]) == ("001/SPT/JKT01/XI/2026", "002/SPT/JKT01/XI/2026")
    assert spt(app, schedule_id)["id"] == second["id"]  # issuing again finds the one that stands
