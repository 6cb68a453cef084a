"""Documents registration issues as PDF, produced by shared/documents.py from the form definitions
(forms.py) and the read model, so they match what users see."""
from datetime import timedelta
from typing import Any

from fpdf import FontFace

from services.registration.forms import APL01, APL02, BAGIAN_1, DATA_SERTIFIKASI, REKOMENDASI
from shared.display import as_wib, rupiah, tanggal
from shared.documents import Document, Letterhead
from shared.forms import GridRow, say

EVIDENCE_BY_NAME = 6  # more files are cited by their number in the Daftar bukti, which names each once
Branch = Letterhead | str  # a branch's letterhead, or (until its settings hold one) its name


def invoice_pdf(application: dict[str, Any], branch: Branch, terms: dict[str, Any] | None = None) -> bytes:
    """The invoice of SOP 1.2.3 for one accepted application; `terms`: the branch's bank, account, payee
    and days until due (usecases.payment_terms)."""
    invoice, scheme = application["invoice"], application["scheme"]
    terms = terms or {}
    pdf = Document("", "TAGIHAN / INVOICE", branch)
    pdf.row("Nomor tagihan", invoice["number"])
    pdf.row("Tanggal", tanggal(invoice["issued_at"]))
    if terms.get("due_days"):
        pdf.row("Jatuh tempo", tanggal(as_wib(invoice["issued_at"]) + timedelta(days=terms["due_days"])))
    pdf.row("Kepada (asesi)", application["asesi"]["name"])
    pdf.row("Nomor permohonan", application["id"])
    pdf.ln(4)
    amount = rupiah(invoice["amount"])
    pdf.table((130, 44), ("Uraian", "Jumlah"),
              [(f"Biaya sertifikasi kompetensi: {scheme['title']} ({scheme['number']})", amount), ("Total", amount)],
              last_row_style=FontFace(emphasis="BOLD"), size=10, line=6, padding=(1, 0), align=("LEFT", "RIGHT"))
    pdf.ln(6)
    if terms.get("account"):
        pdf.pairs([("Bank", terms.get("bank") or "-"), ("Nomor rekening", terms["account"]),
                   ("Atas nama", terms.get("payee") or "-")])
        pdf.ln(2)
    pdf.paragraph("Pembayaran dilakukan melalui transfer bank ke rekening LSP di atas. Setelah membayar, unggah "
                  "bukti pembayaran melalui aplikasi sertifikasi; admin LSP akan memverifikasinya. Cantumkan "
                  "nomor tagihan pada berita transfer.")
    pdf.footnote("Dokumen ini dibuat secara elektronik oleh aplikasi sertifikasi LSP.")
    return pdf.bytes()


# -- FR.APL.01 and FR.APL.02 ----------------------------------------------------------------------------

VERDICT_LABELS = {"memenuhi": "Ada - Memenuhi Syarat", "tidak_memenuhi": "Ada - Tidak Memenuhi Syarat",
                  "tidak_ada": "Tidak Ada", None: "Belum diperiksa"}
CATEGORY_LABELS = {"persyaratan_dasar": "3.1 Bukti Persyaratan Dasar", "administratif": "3.2 Bukti Administratif"}


def _header(pdf: Document, application: dict[str, Any]) -> None:
    scheme = application["scheme"]
    pdf.pairs([("Skema sertifikasi", f"{scheme['title']} ({scheme.get('kind', '')})"),
               ("Nomor skema", f"{scheme['number']} (versi {scheme.get('version', 1)})"),
               ("Nama asesi", application["asesi"]["name"]), ("Nomor permohonan", application["id"])])


def _signatures(pdf: Document, form: Any, signed: dict[str, Any | None]) -> None:
    for signer in form.signers:
        if signer.role in signed:
            pdf.signature(f"Tanda tangan {say(signer.label)}", signed[signer.role], signer.role)


def apl01_pdf(application: dict[str, Any], branch: Branch) -> bytes:
    """FR.APL.01 from the read model with Bagian 1 already opened (the caller may see it)."""
    pdf = Document(APL01.code, say(APL01.title), branch)
    _header(pdf, application)
    pdf.heading("Bagian 1: Rincian Data Pemohon Sertifikasi")
    personal = application.get("personal_data") or {}
    for section in BAGIAN_1.sections:
        pdf.section(section, personal)

    scheme = application["scheme"]
    pdf.section(DATA_SERTIFIKASI, {"purpose": application.get("purpose", "")})
    pdf.pairs([("Judul skema", scheme["title"]), ("Nomor skema", scheme["number"])])
    pdf.table((10, 45, 85, 34), ("No.", "Kode Unit", "Judul Unit", "Jenis Standar"),
              [(i, u["code"], u["title"], u.get("standard_type", "SKKNI"))
               for i, u in enumerate(scheme.get("units", []), 1)])

    pdf.heading("Bagian 3: Bukti Kelengkapan Pemohon")
    docs = application.get("documents") or []
    for category, label in CATEGORY_LABELS.items():
        rows = [(d["code"], d["title"], d.get("filename") if d.get("file_id") else "Tidak diunggah",
                 VERDICT_LABELS.get(d.get("verdict"), d.get("verdict")), d.get("notes"))
                for d in docs if d.get("category") == category]
        if rows:
            pdf.heading(label, 10)
            pdf.table((18, 56, 36, 34, 30), ("Kode", "Bukti", "Berkas", "Status", "Catatan"), rows)

    recommendation = application.get("recommendation") or {}
    pdf.heading(say(REKOMENDASI.title))
    field = REKOMENDASI.field("recommendation")
    choice = field.choice_label(recommendation.get("recommendation")) if recommendation.get("recommendation") else ""
    pdf.paragraph(f"Berdasarkan ketentuan persyaratan dasar, maka pemohon {choice} sebagai peserta sertifikasi."
                  if choice else "Belum ada rekomendasi admin LSP.", size=9)
    if recommendation:
        pdf.pairs([(REKOMENDASI.label("notes"), recommendation.get("notes"))])
    _signatures(pdf, APL01, {"asesi": application.get("signature")})
    _signatures(pdf, REKOMENDASI, {"admin_lsp": recommendation.get("signature")})
    pdf.footnote()
    return pdf.bytes()


def apl02_pdf(application: dict[str, Any], branch: Branch) -> bytes:
    """FR.APL.02 from the read model: per unit and element K/BK with the evidence cited."""
    pdf = Document(APL02.code, say(APL02.title), branch)
    _header(pdf, application)
    assessment = application["self_assessment"]
    if assessment.get("status") != "submitted":
        pdf.row("Status", "DRAF - belum ditandatangani")
    items = assessment.get("items") or []
    cited = {f for item in items for f in item.get("evidence") or []}
    files = [f for f in assessment.get("files") or [] if f["file_id"] in cited]
    labels = {f["file_id"]: (str(n), f"{f['filename']} ({f['source']})") for n, f in enumerate(files, 1)}
    # the rows as the case recorded them (its scheme version), answers and evidence by row key
    rows = [GridRow(i["unit_code"], i["unit_title"], i["element_no"], i.get("element_title"),
                    tuple((str(k["number"]), k["text"]) for k in i.get("kuk") or [])) for i in items]
    answers = {row.key: {"answer": item.get("answer")} for row, item in zip(rows, items, strict=True)}
    evidence = {row.key: _evidence(item.get("evidence") or [], labels) for row, item in zip(rows, items, strict=True)}
    assert APL02.grid is not None
    pdf.grid(APL02.grid, rows, answers, evidence)
    pdf.heading("Daftar bukti")
    if files:
        pdf.table((10, 26, 58, 80), ("No.", "Sumber", "Berkas", "SHA-256 / ID berkas"),
                  [(n, f["source"], f["filename"], f["file_id"]) for n, f in enumerate(files, 1)])
    else:
        pdf.row("Bukti", "-")
    _signatures(pdf, APL02, {"asesi": assessment.get("signature")})
    pdf.footnote()
    return pdf.bytes()


def _evidence(cited: list[str], labels: dict[str, tuple[str, str]]) -> str:
    """The files by name while they are few, else by their number in the Daftar bukti: at the API's limit
    (500 answers citing 50 files each) the names alone would fill more than a thousand pages."""
    if len(cited) <= EVIDENCE_BY_NAME:
        return "\n".join(labels.get(f, (f, f))[1] for f in cited)
    return f"Bukti no. {', '.join(labels.get(f, (f, f))[0] for f in cited)} (lihat Daftar bukti)"
