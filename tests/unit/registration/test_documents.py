import io
from typing import Any

import pytest
from pypdf import PdfReader

from services.registration.documents import apl01_pdf, apl02_pdf, invoice_pdf
from tests.support.samples import pdf_text, squeezed

APPLICATION = {
    "id": "5c1f6a0e-0000-4000-8000-000000000001", "asesi": {"id": "a1", "name": "Siti Rahayu"},
    "scheme": {"title": "Ahli K3 Umum", "number": "SKM/K3/AHLI-K3-UMUM/2025"},
    "invoice": {"number": "INV/BDG01/2026/00001", "amount": 3_500_000, "issued_at": "2026-11-24T02:00:00+00:00"},
}
NOTES_MAX = 2000  # VerdictIn, RecommendationIn and FeasibilityIn notes (services/registration/api.py)
EVIDENCE_MAX, ANSWERS_MAX, FILENAME_MAX = 50, 500, 100  # AnswerIn, SelfAssessmentIn, shared.files
PERSONAL_FIELDS = ("nama_lengkap", "nik", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "kebangsaan",
                   "alamat_rumah", "kode_pos", "telp_rumah", "hp", "email", "kualifikasi_pendidikan", "institusi",
                   "jabatan", "alamat_kantor", "kode_pos_kantor", "telp_kantor", "fax_kantor", "email_kantor")


def signed(name: str) -> dict[str, Any]:
    return {"signer": {"id": "u1", "name": name}, "role": "asesi", "signed_at": "2026-11-24T02:00:00+00:00",
            "sha256": "ab" * 32}


def full_application(text: str = "Siti Rahayu", notes: str = "", units: int = 2, elements: int = 2,
                     documents: int = 3, evidence: list[str] | None = None) -> dict[str, Any]:
    """The read model (services/registration/projections.py) of a case through FR.APL.02, with `text` in
    every free-text field and `notes` in every verdict note and the recommendation."""
    files = [{"file_id": f"{i:064x}", "filename": name, "source": "portofolio", "title": name}
             for i, name in enumerate(evidence or [f"{text}.pdf"], 1)]
    unit_list = [{"code": f"M.71KKK01.{u:03}.1", "title": text, "standard_type": "SKKNI",
                  "elements": [{"number": str(e), "title": text, "kuk": [{"number": f"{e}.1", "text": text}]}
                               for e in range(1, elements + 1)]} for u in range(1, units + 1)]
    return {
        **APPLICATION, "asesi": {"id": "a1", "name": text}, "purpose": "Sertifikasi",
        "scheme": {**APPLICATION["scheme"], "title": text, "kind": "okupasi", "version": 1, "units": unit_list},
        "personal_data": dict.fromkeys(PERSONAL_FIELDS, text),
        "documents": [{"code": f"ADM-{d:02}", "title": text, "category": ("persyaratan_dasar", "administratif")[d % 2],
                       "file_id": "cd" * 32, "filename": f"{text}.pdf", "verdict": "tidak_memenuhi", "notes": notes}
                      for d in range(1, documents + 1)],
        "signature": signed(text),
        "recommendation": {"recommendation": "diterima", "notes": notes, "signature": signed(text)},
        "self_assessment": {"status": "submitted", "signature": signed(text), "files": files, "items": [
            {"unit_code": unit["code"], "unit_title": unit["title"], "element_no": element["number"],
             "element_title": element["title"], "kuk": element["kuk"], "answer": "K",
             "evidence": [f["file_id"] for f in files]}
            for unit in unit_list for element in unit["elements"]]},
    }


def test_invoice_pdf_carries_number_amount_asesi_and_date_in_wib():
    text = pdf_text(invoice_pdf(APPLICATION, "LSP KATIGA PASS - Cabang Bandung"))
    for expected in ("INV/BDG01/2026/00001", "Rp 3.500.000", "Siti Rahayu", "Ahli K3 Umum",
                     "24 November 2026", "Cabang Bandung"):
        assert expected in text, expected


def test_names_outside_latin1_do_not_break_the_document():
    application = {**APPLICATION, "asesi": {"id": "a1", "name": "Nguyễn — Ṡiti"}}
    assert "Nguyễn — Ṡiti" in pdf_text(invoice_pdf(application, "LSP"))


@pytest.mark.parametrize("name", ["Nguyễn Thị Ánh", "Łukasz Żółć", "Øster Ærø"])
def test_names_and_places_print_as_written_on_the_invoice_and_apl01(name):
    # pypdf reads every glyph back through the embedded font's ToUnicode map, precomposed letters included
    application = full_application(name)
    for render in (invoice_pdf, apl01_pdf):
        text = pdf_text(render(application, f"LSP {name}"))
        assert name in text and f"LSP {name}" in text, (render.__name__, name)


def test_letters_typed_as_base_and_marks_print_composed():
    application = {**APPLICATION, "asesi": {"id": "a1", "name": "Nguye\u0302\u0303n Thi\u0323 A\u0301nh"}}
    assert "Nguyễn Thị Ánh" in pdf_text(invoice_pdf(application, "LSP"))


def test_apl01_prints_every_note_whole_at_the_api_limit():
    words = " ".join(f"catatan{i:04d}" for i in range(NOTES_MAX))
    notes = [f"{d}:{words}"[:NOTES_MAX] for d in range(4)]
    *verdict_notes, application_notes = notes
    application = full_application(documents=len(verdict_notes))
    for document, note in zip(application["documents"], verdict_notes, strict=True):
        document["notes"] = note
    application["recommendation"]["notes"] = application_notes
    text = squeezed(pdf_text(apl01_pdf(application, "LSP")))
    for note in notes:
        assert len(note) == NOTES_MAX and squeezed(note) in text, note[:20]


def test_apl02_lists_every_evidence_file_when_answers_cite_the_api_maximum():
    names = [f"{i:02d}-" + "laporan-inspeksi-peralatan-" * 4 for i in range(EVIDENCE_MAX)]
    names = [f"{name[:FILENAME_MAX - 4]}.pdf" for name in names]
    application = full_application(units=10, elements=ANSWERS_MAX // 10, evidence=names)
    assert len(application["self_assessment"]["items"]) == ANSWERS_MAX
    text = squeezed(pdf_text(apl02_pdf(application, "LSP")))
    for name in names:
        assert squeezed(name) in text, name


ADVERSARIAL = {
    "long word": "x" * NOTES_MAX,
    "lines and tabs": "baris\nbaris\r\nbaris\tkolom\x0bvt\x0cff\u2028ls\u2029ps\x85nel",
    "control": "nul\x00bel\x07esc\x1bdel\x7fc1\x9f\u200bzw\u200dzwj\ufeffbom\u00adshy",
    "right to left": "\u202eمحمد عبد الله\u202c \u05d3\u05d5\u05d3 \u200fRTL\u200e",
    "cjk": "王小明 さくら 김민준",
    "combining": "Nguye\u0302\u0303n Thi\u0323 A\u0301nh Z\u0351\u0352\u0357a\u0337\u0338lgo",
    "emoji and unassigned": "asesi \U0001f600\U0001f1ee\U0001f1e9 \U000e0001\ue000\U0010ffff\ud800",
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_every_document_renders_adversarial_text_in_every_field(text):
    application = full_application(text, notes=text, units=1, elements=2, documents=2,
                                   evidence=[text[:FILENAME_MAX]])
    for render in (invoice_pdf, apl01_pdf, apl02_pdf):
        assert len(PdfReader(io.BytesIO(render(application, text))).pages) >= 1, render.__name__
