"""Domain errors are English templates with params, shown in Bahasa Indonesia first (English available).

Every raise is checked against the gateway's catalogue, so a new message cannot reach an Indonesian
user in English, and no raise formats its own text (which would bypass the catalogue).
"""
import ast
import string
from pathlib import Path

import pytest
from fastapi.exceptions import RequestValidationError

from services.gateway.main import validation_error
from services.gateway.web.i18n import ERROR_TEXT, TERMS, error_message, field_label, language
from services.registration import api
from services.registration.application import build_application
from shared.errors import ERRORS_BY_NAME, Conflict, Forgotten, Invalid, NotFound
from tests.support.api import TENANT, api_client, as_user, auth
from tests.support.samples import ADMIN, ASESI

ROOT = Path(__file__).resolve().parents[3]
OWNER = as_user(ASESI)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def calls_of(names: set[str]) -> list[tuple[str, ast.Call]]:
    """Every call of one of these names (or methods) in services/ and shared/, with where it is."""
    calls = []
    for path in sorted([*(ROOT / "services").rglob("*.py"), *(ROOT / "shared").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in names:
                calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


ERROR_CALLS = [(where, call) for where, call in calls_of(set(ERRORS_BY_NAME)) if call.args]


def test_the_scan_sees_the_raises():
    assert len(ERROR_CALLS) > 80  # a broken scan must not pass by finding nothing


@pytest.mark.parametrize("where, call", [pytest.param(where, call, id=where) for where, call in ERROR_CALLS])
def test_every_raise_is_a_literal_template_in_the_catalogue(where, call):
    first = call.args[0]
    assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
        f"{where}: the message must be a literal English template with {{params}}, not an f-string, "
        f"% or .format (it would bypass the Indonesian catalogue)")
    template = first.value
    assert template in ERROR_TEXT, (
        f"{where}: add {template!r} to ERRORS in the service's texts.py (the kernel's and gateway's: i18n.py)")
    assert placeholders(ERROR_TEXT[template]) == placeholders(template), f"{where}: Indonesian text has other params"
    given = {k.arg for k in call.keywords} - {"field"}
    if None not in given:  # **params can't be checked here
        assert given == placeholders(template), f"{where}: params {sorted(given)} do not fill {template!r}"


def test_catalogue_entries_keep_their_placeholders():
    for template, text in ERROR_TEXT.items():
        assert placeholders(text) == placeholders(template), template
    assert Forgotten().template in ERROR_TEXT  # its default message has no raise to scan


def test_words_passed_as_params_are_translated():
    """The words helpers put into a message ({what} not found, only the applicant can {action}) are in TERMS."""
    word_at = {"get_owned": 2, "require_applicant": 1, "unique": 1, "found": 1}  # which argument is the word
    calls = calls_of(set(word_at))
    assert len(calls) > 10
    for where, call in calls:
        word = call.args[word_at[getattr(call.func, "id", getattr(call.func, "attr", None))]]
        if isinstance(word, ast.Constant):
            assert word.value in TERMS, (
                f"{where}: add {word.value!r} to TERMS in the service's texts.py (the gateway's own: i18n.py)")


def test_params_fill_the_english_message_and_the_indonesian_text():
    error = Invalid("incomplete: {missing}", field="nik", missing=["nik", "tanggal_lahir", "PD-01"])
    assert error.message == str(error) == "incomplete: nik, tanggal_lahir, PD-01"
    assert error.params == {"missing": ["nik", "tanggal_lahir", "PD-01"]} and error.field == "nik"
    # field names read as the form labels them; requirement codes stay codes
    assert error_message(error, "id") == "belum lengkap: No. KTP/NIK/Paspor, Tanggal lahir, PD-01"
    assert error_message(error, "en") == error.message
    assert error_message(NotFound("{what} not found", what="application"), "id") == "permohonan tidak ditemukan"
    stale = Conflict("record changed (version {version}, you sent {expected}); reload and retry",
                     field="expected_version", version=3, expected=2)
    assert stale.params == {"version": "3", "expected": "2"}  # text, as RPC would carry them anyway
    assert "versi 3, Anda mengirim versi 2" in error_message(stale, "id")


def test_rebuilt_from_its_args_it_is_the_same_error():
    """nameko rebuilds a remote error as cls(*exc.args)."""
    error = Conflict("not possible while the application is '{status}'", status="paid")
    again = Conflict(*error.args)
    assert (again.template, again.field, again.params, again.message) == (
        error.template, error.field, error.params, "not possible while the application is 'paid'")
    assert error_message(again, "id") == "tidak dapat dilakukan saat permohonan berstatus 'lunas'"
    assert Forgotten(*Forgotten().args).message == Forgotten().message


def test_an_unknown_template_falls_back_to_english_and_is_logged_once(caplog):
    error = Invalid("a message nobody translated ({n})", n=1)
    assert error_message(error, "id") == error_message(error, "id") == "a message nobody translated (1)"
    assert len([r for r in caplog.records if "nobody translated" in r.getMessage()]) == 1


@pytest.mark.parametrize("header, cookie, lang", [
    (None, None, "id"), ("en", None, "en"), ("en-US,en;q=0.9,id;q=0.8", None, "en"),
    ("id-ID,id;q=0.9,en;q=0.8", None, "id"), ("de-DE,de;q=0.9", None, "id"), ("en;q=0", None, "id"),
    ("en", "id", "id"), (None, "en", "en"),
])
def test_language_from_the_cookie_then_accept_language(header, cookie, lang):
    assert language(header, cookie) == lang


# ---- over HTTP ------------------------------------------------------------------------------------

@pytest.fixture
def client(settings, store):
    app = build_application(settings)
    client = api_client(api.router, {"registration": app}, store, as_user(ADMIN), OWNER)
    client.app.add_exception_handler(RequestValidationError, validation_error)
    client.scheme_id = app.seed_schemes(TENANT, ADMIN)[0]
    yield client
    app.close()


def test_api_domain_error_in_indonesian_by_default_and_english_on_request(client):
    case_id = client.post("/api/applications", json={"scheme_id": client.scheme_id}, headers=auth(OWNER)).json()["id"]
    submit = f"/api/applications/{case_id}/submit"
    indonesian = client.post(submit, json={}, headers=auth(OWNER))
    detail = indonesian.json()["detail"]
    assert indonesian.status_code == 422 and detail["code"] == "invalid" and detail["field"] == "nama_lengkap"
    assert detail["template"] == "incomplete: {missing}" and "nik" in detail["params"]["missing"]
    assert detail["message"].startswith("belum lengkap: Nama lengkap, No. KTP/NIK/Paspor, Tempat lahir")
    for header in ({"Accept-Language": "en"}, {"Accept-Language": "en-GB,en;q=0.9,id;q=0.5"}):
        english = client.post(submit, json={}, headers={**auth(OWNER), **header}).json()["detail"]
        assert english["message"].startswith("incomplete: nama_lengkap, nik, tempat_lahir")
        assert {k: v for k, v in english.items() if k != "message"} == {k: v for k, v in detail.items()
                                                                        if k != "message"}
    client.cookies.set("lsp_lang", "en")  # the web UI's choice wins over the browser's header
    chosen = client.post(submit, json={}, headers={**auth(OWNER), "Accept-Language": "id"}).json()["detail"]
    client.cookies.clear()
    assert chosen["message"].startswith("incomplete: ")


def test_api_request_validation_in_indonesian_naming_the_field(client):
    missing = client.post("/api/applications", json={}, headers=auth(OWNER))
    assert missing.status_code == 422
    assert missing.json()["detail"] | {"errors": None} == {"code": "invalid", "field": "scheme_id",
                                                          "message": "scheme_id: wajib diisi", "errors": None}
    wrong = client.post("/api/applications", json={"scheme_id": "x" * 65, "purpose": "Liburan"},
                        headers=auth(OWNER)).json()["detail"]
    assert [(e["field"], e["message"]) for e in wrong["errors"]] == [
        ("scheme_id", "maksimal 64 karakter"),
        ("purpose", "harus salah satu dari: 'Sertifikasi', 'Sertifikasi Ulang', 'PKT', 'RPL' atau 'Lainnya'")]
    english = client.post("/api/applications", json={}, headers={**auth(OWNER), "Accept-Language": "en"})
    assert english.json()["detail"]["message"] == "scheme_id: Field required"


def test_not_found_and_role_refusals_speak_indonesian_too(client):
    missing = client.get("/api/applications/6f1c9f3e-0000-4000-8000-000000000000", headers=auth(OWNER))
    assert missing.status_code == 404 and missing.json()["detail"]["message"] == "permohonan tidak ditemukan"
    refused = client.post("/api/applications/6f1c9f3e-0000-4000-8000-000000000000/recommend",
                          json={"recommendation": "diterima"}, headers=auth(OWNER))
    assert refused.status_code == 403
    assert refused.json()["detail"]["message"] == "tindakan ini hanya untuk peran: admin LSP"
    english = client.get("/api/applications/x", headers={**auth(OWNER), "Accept-Language": "en"})
    assert english.status_code in (404, 422) and "not" in english.json()["detail"]["message"]


def test_form_errors_say_where_in_words():
    assert field_label(("units", 0, "code"), "id") == "unit kompetensi, baris 1, kode"
    assert field_label(("units", 2, "title"), "en") == "units, line 3, title"
    assert field_label(("tanggal_lahir",), "id") == "Tanggal lahir"
