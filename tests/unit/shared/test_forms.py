"""Every official form of the platform, as defined once (shared/forms.py; each service's forms.py), runs
through what is derived from it: the request model and validation (every problem at once, named by its
label), the page (shared/templates/forms.html), the PDF (shared/documents.py) and the signature over its
canonical content (shared/signing.py); and no PDF fails on hostile text."""
import io
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import escape
from pydantic import ValidationError
from pypdf import PdfReader

from services import NAMES
from shared.documents import Letterhead, form_pdf
from shared.errors import Invalid
from shared.forms import CHOICE, DATE, LONG_TEXT, TEMPLATES, Field, Form, Section, all_forms, say
from shared.signing import canonical, content_sha256, sign, verify
from tests.support.samples import pdf_text, squeezed

FORMS = all_forms(f"services.{name}" for name in NAMES)
NAME = "Nguyễn Thị Ánh Ṡiti Łukasz Żółć"  # prints as written
SIGNER = {"id": "u-1", "name": "Dr. Ærø Øster", "role": "asesi"}
SCHEME = {"number": "SKM/K3/2025", "title": "Ahli K3 Umum", "units": [
    {"code": "M.71KKK01.001.1", "title": "Menerapkan peraturan K3", "elements": [
        {"number": 1, "title": "Mengidentifikasi peraturan", "kuk": [{"number": "1.1", "text": "Peraturan dikenali"}]},
        {"number": 2, "title": "Menerapkan peraturan", "kuk": [{"number": "2.1", "text": "Peraturan diterapkan"}]}]},
    {"code": "M.71KKK01.002.1", "title": "Unit tanpa elemen", "elements": []}]}
HOSTILE = {
    "10,000 characters": "x" * 10_000,
    "10,000 characters in words": " ".join(["kata"] * 2_000),
    "control characters": "nul\x00bel\x07esc\x1bdel\x7f\x9f\u200b\ufeff\r\n\t\x0b\x0c",
    "emoji and outside the font": "asesi \U0001f600\U0001f1ee\U0001f1e9 王小明 \U000e0001\ue000\U0010ffff\ud800",
    "right to left and marks": "\u202eمحمد\u202c Nguye\u0302\u0303n Z\u0351\u0352a\u0337lgo",
}


def form_ids() -> list[Any]:
    return [pytest.param(form, id=key) for key, form in FORMS.items()]


def sample(form: Form) -> dict[str, str]:
    """A valid value for each field, with the diacritic name in every free-text one."""
    return {f.name: NAME if f.kind == "text" and not f.regex else f.sample() for f in form.fields}


def answers(form: Form) -> dict[str, dict[str, Any]]:
    if form.grid is None:
        return {}
    return {row.key: {"answer": form.grid.answers[n % len(form.grid.answers)].value, "evidence": []}
            for n, row in enumerate(form.grid.rows(SCHEME))}


def test_every_service_form_is_found():
    assert {"FR.APL.01", "FR.APL.01/rekomendasi", "FR.APL.02", "kelayakan"} <= set(FORMS)
    for form in FORMS.values():
        assert form.code and form.title[0] and form.title[1] and form.signers, form.id
        assert form.sections or form.grid, form.id


# ---- the request model and validation -------------------------------------------------------------------

@pytest.mark.parametrize("form", form_ids())
def test_a_valid_sample_is_accepted_by_the_model_and_the_check(form):
    if form.grid and not form.fields:  # a grid form's model takes answers, row by row
        check_grid_model(form)
        return
    values = sample(form)
    model = form.request_model("SampleIn")
    assert model(**values).model_dump(exclude_unset=True) == values
    assert form.problems(values) == {} and form.problems(values, "en") == {}
    assert form.check(values, partial=False) == values
    assert model.model_config.get("extra") == "forbid"
    with pytest.raises(ValidationError) as refused:
        model(**values, not_on_the_form="x")
    assert refused.value.errors()[0]["loc"] == ("not_on_the_form",)


def grid_answers(form: Form) -> list[dict[str, Any]]:
    return [{"unit_code": row.unit_code, "element_no": row.element_no, "answer": form.grid.answers[-1].value,
             **({"evidence": ["f-1"]} if form.grid.evidence else {})} for row in form.grid.rows(SCHEME)]


def check_grid_model(form: Form) -> None:
    model = form.request_model("SampleIn")
    answers = grid_answers(form)
    assert [row.model_dump() for row in model(answers=answers).answers] == answers
    for bad, where in (({"answer": "X"}, "answer"), ({"unit_code": "bukan kode!"}, "unit_code"),
                       ({"not_on_the_form": 1}, "not_on_the_form")):
        with pytest.raises(ValidationError) as refused:
            model(answers=[{**answers[0], **bad}])
        assert refused.value.errors()[0]["loc"] == ("answers", 0, where)
    with pytest.raises(ValidationError):
        model(answers=[])  # nothing to save


@pytest.mark.parametrize("form", form_ids())
def test_every_missing_required_field_is_reported_at_once_by_its_label(form):
    if form.grid and not form.required:  # a grid's rows are what is required: each unanswered one named
        answers = {f"{a['unit_code']}/{a['element_no']}" if a["element_no"] else a["unit_code"]: a
                   for a in grid_answers(form)[1:]}
        problems = form.grid.problems(SCHEME, answers)
        first = form.grid.rows(SCHEME)[0]
        assert list(problems) == [first.key] and problems[first.key].startswith(first.unit_code)
        assert len(form.grid.problems(SCHEME, {})) == len(form.grid.rows(SCHEME))
        return
    if not form.required:
        pytest.skip("nothing required")
    values = {name: value for name, value in sample(form).items() if name not in form.required}
    for lang in ("id", "en"):
        problems = form.problems(values, lang)
        assert list(problems) == list(form.required)  # every one, in the form's order
        for name in form.required:
            assert problems[name].startswith(say(form.field(name).label, lang) + ": "), problems[name]
    assert form.problems(values, partial=True) == {}  # a draft may leave them empty
    with pytest.raises(Invalid) as error:
        form.check(values, partial=False)
    assert error.value.field == form.required[0] and error.value.params["fields"] == list(form.required)
    assert error.value.template == "please correct: {fields}"


@pytest.mark.parametrize("form", form_ids())
def test_pattern_choice_and_length_violations_are_reported_for_every_field(form):
    if form.grid:  # each row not answered, or answered with none of its choices
        rows = form.grid.rows(SCHEME)
        given = {rows[0].key: {"answer": "bukan-pilihan"}}
        problems = form.grid.problems(SCHEME, given)
        assert list(problems) == [row.key for row in rows]
        assert problems[rows[0].key].startswith(f"{rows[0].unit_code} {rows[0].element_no}: harus salah satu dari")
        assert problems[rows[1].key].endswith(": wajib diisi") and form.grid.problems(SCHEME, answers(form)) == {}
    if not form.fields:
        return
    bad: dict[str, Any] = {}
    for f in form.fields:
        if f.choices:
            bad[f.name] = "bukan-pilihan"
        elif f.regex:
            bad[f.name] = "@@ bukan format @@"
        else:
            bad[f.name] = "y" * (f.max_length + 1)
    problems, english = form.problems(bad), form.problems(bad, "en")
    assert set(problems) == set(english) == set(form.names)
    for f in form.fields:
        assert problems[f.name].startswith(say(f.label, "id")) and english[f.name].startswith(say(f.label, "en"))
        assert bad[f.name] not in problems[f.name]  # never repeats the value (it may be personal data)
    with pytest.raises(ValidationError) as refused:
        form.request_model("BadIn")(**bad)
    assert {error["loc"][0] for error in refused.value.errors()} == set(form.names)  # every field at once


def test_the_messages_name_what_is_wrong():
    form = FORMS["FR.APL.01"]
    problems = form.problems({"nik": "12", "tanggal_lahir": "1850-01-01", "jenis_kelamin": "X", "kode_pos": "4011",
                              "email": "siti", "hobi": "catur"}, partial=True)
    assert problems == {
        "nik": "No. KTP/NIK/Paspor: bukan NIK 16 digit atau nomor paspor (huruf besar dan angka) yang valid",
        "tanggal_lahir": problems["tanggal_lahir"], "jenis_kelamin": "Jenis kelamin: harus salah satu dari: L, P",
        "kode_pos": "Kode pos: bukan kode pos 5 digit yang valid", "email": "E-mail: bukan alamat email yang valid",
        "hobi": "hobi: isian ini tidak ada pada formulir"}
    assert problems["tanggal_lahir"].startswith("Tanggal lahir: tanggal harus antara 1900-01-01 dan ")
    assert form.check({"nama_lengkap": "  Siti   Rahayu ", "telp_rumah": ""}) == {"nama_lengkap": "Siti Rahayu",
                                                                                  "telp_rumah": None}


def test_a_definition_refuses_what_it_could_not_check():
    with pytest.raises(ValueError):
        Field("x", ("X", "X"), pattern="[0-9]+")  # no example
    with pytest.raises(ValueError):
        Field("x", ("X", "X"), kind=CHOICE)  # no choices
    with pytest.raises(ValueError):
        Form("X", ("X", "X"), sections=(Section("a", ("A", "A"), (Field("x", ("X", "X")), Field("x", ("Y", "Y")))),))


# ---- the page -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def macros():
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
    return env.from_string('{% import "forms.html" as forms %}{{ forms.form(page, "/simpan", "Simpan", files) }}')


@pytest.mark.parametrize("form", form_ids())
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_page_renders_every_field_with_its_value_and_its_problem(form, lang, macros):
    values = sample(form)
    wrong = dict(values)
    choice = next((f for f in form.fields if f.choices), None)
    if choice:
        wrong[choice.name] = "bukan-pilihan"
    page = form.page(values, form.problems(wrong, lang), lang, scheme=SCHEME, answers=answers(form))
    html = macros.render(page=page, files=[{"file_id": "f1", "filename": "ijazah.pdf"}])
    assert str(escape(say(form.title, lang))) in html and form.code in html
    for f in form.fields:
        assert str(escape(say(f.label, lang))) in html, f.name
        assert f'name="{f.name}"' in html
    for name, value in values.items():
        assert str(escape(value)) in html, name
    for section in form.sections:
        assert str(escape(say(section.title, lang))) in html
    if choice:
        assert f'id="{choice.name}-error"' in html and 'aria-invalid="true"' in html
        assert str(escape(form.problems(wrong, lang)[choice.name])) in html
    if form.grid:
        rows = form.grid.rows(SCHEME)
        assert f'<span class="answered">{len(rows)}</span> / {len(rows)}' in html  # progress: all answered
        for row in rows:
            assert f'name="answer:{row.key}"' in html and str(escape(row.unit_title)) in html
            for _, text in row.kuk:
                assert text in html


def test_the_page_context_keeps_what_was_typed_and_marks_required_and_sealed():
    form = FORMS["FR.APL.01"]
    page = form.page({"nik": "12"}, form.problems({"nik": "12"}, partial=True))
    nik = next(f for s in page["sections"] for f in s["fields"] if f["name"] == "nik")
    assert nik["value"] == "12" and nik["error"].startswith("No. KTP/NIK/Paspor: ")
    assert nik["required"] and nik["sealed"] and nik["kind"] == "text"
    gender = next(f for s in page["sections"] for f in s["fields"] if f["name"] == "jenis_kelamin")
    assert gender["choices"] == [{"value": "L", "label": "Laki-laki"}, {"value": "P", "label": "Perempuan"}]


# ---- the PDF -----------------------------------------------------------------------------------------------

LETTERHEAD = Letterhead("LSP Katiga Pass — Cabang Bandung", "Jl. Asia Afrika No. 1, Bandung 40111",
                        "BNSP-LSP-123-ID", "022-123456", "lsp@contoh.co.id")


def signatures(form: Form, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s.role: sign({**SIGNER, "role": s.role}, form.content(values)) for s in form.signers}


@pytest.mark.parametrize("form", form_ids())
def test_the_pdf_has_the_code_title_letterhead_labels_values_and_signatures(form):
    values = sample(form)
    signed = signatures(form, values)
    pdf = form_pdf(form, LETTERHEAD, values, header=[("Nama asesi", NAME)], scheme=SCHEME, answers=answers(form),
                   signatures=signed)
    text = pdf_text(pdf)
    flat = squeezed(text)
    for expected in (form.code, say(form.title), LETTERHEAD.name, LETTERHEAD.licence, NAME, SIGNER["name"]):
        assert squeezed(expected) in flat, expected
    for f in form.fields:
        assert squeezed(say(f.label)) in flat, f.name
        shown = f.choice_label(values[f.name]) if f.choices else values[f.name]
        assert squeezed(shown) in flat, f.name
    for signature in signed.values():
        assert signature["sha256"] in flat
    if form.grid:
        for row in form.grid.rows(SCHEME):
            assert squeezed(row.unit_code) in flat


@pytest.mark.parametrize("form", form_ids())
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_in_every_field_never_breaks_the_pdf(form, text):
    values = dict.fromkeys(form.names, text)
    scheme = {"units": [{"code": text[:64], "title": text, "elements": [
        {"number": 1, "title": text, "kuk": [{"number": "1.1", "text": text}]}]}]}
    signed = {s.role: sign({"id": text, "name": text, "role": s.role}, values) for s in form.signers}
    pdf = form_pdf(form, Letterhead(text, text, text, logo=b"not an image"), values, header=[(text, text)],
                   scheme=scheme, answers={text[:64]: {"answer": text}}, signatures=signed)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1
    assert set(form.problems(values)) <= set(form.names)  # the check words it too, without failing
    if len(text) > max((f.max_length for f in form.fields), default=len(text)):
        with pytest.raises(ValidationError):  # and the API refuses it before any document is made
            form.request_model("HostileIn")(**values)


def test_the_grid_table_breaks_across_pages_under_its_header():
    form = FORMS["FR.APL.02"]
    scheme = {"units": [{"code": "U.001", "title": "Unit", "elements": [
        {"number": e, "title": f"Elemen {e} " + "panjang " * 20,
         "kuk": [{"number": f"{e}.{k}", "text": "kriteria " * 15} for k in range(1, 4)]} for e in range(1, 41)]}]}
    reader = PdfReader(io.BytesIO(form_pdf(form, LETTERHEAD, {}, scheme=scheme)))
    assert len(reader.pages) >= 3
    for page in reader.pages[1:-1]:  # the grid's header again on each page it continues on
        assert "Elemen / Kriteria Unjuk Kerja" in page.extract_text()


# ---- the signature ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("form", form_ids())
def test_the_signature_hashes_the_canonical_content_and_verifies(form):
    values = sample(form)
    content = form.content(values, answers=answers(form))
    signed = sign(SIGNER, content)
    assert set(signed) == {"signer", "role", "signed_at", "sha256"} and signed["signer"] == {"id": "u-1",
                                                                                            "name": SIGNER["name"]}
    assert verify(signed, content) and verify(signed, content, role="asesi")
    assert not verify(signed, content, role="admin_lsp")
    reordered = form.content(dict(reversed(list(values.items()))), answers=answers(form))
    assert content_sha256(reordered) == signed["sha256"] == form.sha256(values, answers=answers(form))
    assert canonical(content) == form.canonical(values, answers=answers(form))
    assert b" " not in canonical({"a": [1, 2], "b": {"c": "d"}})
    assert NAME.encode() in canonical({"name": NAME})  # UTF-8, not \u escapes
    for name in form.names:
        changed = {**values, name: values[name] + "x"}
        assert not verify(signed, form.content(changed, answers=answers(form))), name
    if form.names:
        cleared = {k: v for k, v in values.items() if k != form.names[0]}  # a value removed changes it too
        assert not verify(signed, form.content(cleared, answers=answers(form)))
    if form.grid:
        rows = form.grid.rows(SCHEME)
        other = {**answers(form), rows[0].key: {"answer": form.grid.answers[-1].value, "evidence": []}}
        assert not verify(signed, form.content(values, answers=other))
    assert not verify(None, content) and not verify({"sha256": None}, content)


@pytest.mark.parametrize("kind", [DATE, LONG_TEXT])
def test_kinds_keep_their_shape(kind):
    f = Field("x", ("X", "X"), kind=kind)
    assert f.clean(f.sample())[1] is None


def test_the_letterhead_prints_the_branch_with_its_logo():
    from PIL import Image

    logo = io.BytesIO()
    Image.new("RGB", (60, 60), (20, 90, 60)).save(logo, "PNG")
    pdf = form_pdf(FORMS["kelayakan"], Letterhead(**{**LETTERHEAD.__dict__, "logo": logo.getvalue()}), {})
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1
    text = squeezed(page.extract_text())
    for expected in (LETTERHEAD.name, LETTERHEAD.address, LETTERHEAD.licence, LETTERHEAD.phone):
        assert squeezed(expected) in text, expected
