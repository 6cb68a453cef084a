"""Interface text: Bahasa Indonesia first, English available (?lang=en, remembered in a cookie)."""
import logging
from collections.abc import Callable
from typing import Any

from shared.errors import ERASED, DomainError, fill
from shared.service import Texts
from shared.web import LANGUAGES

log = logging.getLogger(__name__)
# event type -> its step on a case's audit trail (web/timeline.py): each service's STEPS, joined here
STEPS: dict[str, tuple[str, str]] = {}


TEXT: dict[str, tuple[str, str]] = {
    "app_name": ("Sertifikasi Kompetensi LSP", "LSP Competency Certification"),
    "login": ("Masuk", "Log in"),
    "logout": ("Keluar", "Log out"),
    "email": ("E-mail", "E-mail"),
    "password": ("Kata sandi", "Password"),
    "name": ("Nama lengkap", "Full name"),
    "branch_code": ("Kode cabang LSP", "LSP branch code"),
    "signup": ("Daftar sebagai asesi", "Register as a candidate"),
    "signup_done": ("Akun dibuat. Silakan masuk.", "Account created. Please log in."),
    "no_account": ("Belum punya akun?", "No account yet?"),
    "catalogue": ("Katalog skema sertifikasi", "Certification scheme catalogue"),
    "units": ("Unit kompetensi", "Competency units"),
    "see_catalogue": ("Lihat katalog skema cabang", "See a branch's scheme catalogue"),
    "status": ("Status", "Status"),
    "scheme": ("Skema", "Scheme"),
    "accept": ("Terima dan terbitkan tagihan", "Accept and issue invoice"),
    "nothing_waiting": ("Tidak ada yang menunggu.", "Nothing waiting."),
    "asesi": ("Asesi", "Candidate"),
    "details": ("Rincian", "Details"),
    "back": ("Kembali", "Back"),
    "save": ("Simpan", "Save"),
    "upload": ("Unggah", "Upload"),
    "choose": ("— pilih —", "— choose —"),
    "fix_marked_fields": ("Periksa isian yang ditandai di bawah.", "Check the fields marked below."),
    "branch_profile": ("Profil cabang", "Branch profile"),
    "logo": ("Logo kop surat", "Letterhead logo"),
    "logo_set": ("Logo sudah dipasang.", "A logo is set."),
    "logo_none": ("Belum ada logo.", "No logo yet."),
    "logo_help": ("PNG atau JPG, paling besar 512 KB; dicetak di kop setiap dokumen resmi.",
                  "PNG or JPG, at most 512 KB; printed in the letterhead of every official document."),
    "logo_file": ("Berkas logo", "Logo file"),
    "branch_profile_help": ("Kop surat dokumen resmi dan cara pembayaran tagihan asesi.",
                            "The letterhead of official documents and how candidates pay their invoices."),
    "error_404": ("Halaman tidak ditemukan", "Page not found"),
    "error_403": ("Akses ditolak", "Access denied"),
    "error_other": ("Permintaan tidak dapat diproses", "The request could not be processed"),
    "processing": ("Sedang diproses, muat ulang sebentar lagi.", "Being processed; reload in a moment."),
    "staff_home": ("Beranda staf", "Staff home"),
    "api_docs": ("Dokumentasi API", "API documentation"),
    "login_failed": ("E-mail atau kata sandi salah.", "Wrong e-mail or password."),
    "login_branch": ("Kode cabang (hanya jika e-mail Anda terdaftar di beberapa cabang)",
                     "Branch code (only if your e-mail is registered in several branches)"),
    "language": ("English", "Bahasa Indonesia"),
    "saved": ("Tersimpan.", "Saved."),
    "uploaded": ("Berkas diunggah.", "File uploaded."),
    "submitted": ("Permohonan diajukan dan ditandatangani.", "Application signed and submitted."),
    "paid": ("Bukti pembayaran terkirim.", "Payment proof sent."),
    "recipient": ("Penerima", "Recipient"),
    "subject": ("Perihal", "Subject"),
    # the admin's search over the branch's cases
    # the platform admin's pages (web/platform.py)
    "platform_branches": ("Cabang LSP", "LSP branches"),
    "branch_name": ("Nama cabang", "Branch name"),
    "opened_on": ("Dibuka", "Opened"),
    "open_branch": ("Buka cabang baru", "Open a new branch"),
    "open_branch_intro": ("Cabang baru langsung memiliki katalog skema K3 bawaan (sebagian belum terbit).",
                          "A new branch starts with the default K3 scheme catalogue (some not yet published)."),
    "branch_opened": ("Cabang dibuka. Tambahkan stafnya.", "Branch opened. Add its staff."),
    "branch_staff": ("Staf cabang", "Branch staff"),
    "no_staff": ("Belum ada staf.", "No staff yet."),
    "asesi_count": ("Asesi terdaftar", "Registered candidates"),
    "add_staff": ("Tambah staf", "Add staff"),
    "role": ("Peran", "Role"),
    "initial_password": ("Kata sandi awal (sampaikan secara pribadi)", "Initial password (hand it over in person)"),
    "staff_added": ("Staf ditambahkan.", "Staff added."),
    # where the case stands once it has left registration (pages.stage), and its journey (_case.html)
    "stage_assessing": ("Asesmen — asesor sudah ditugaskan", "Assessment — an assessor is assigned"),
    "stage_awaiting_decision": ("Menunggu keputusan sertifikasi LSP", "Awaiting the LSP's certification decision"),
    "stage_certified": ("Kompeten — sertifikat terbit", "Competent — certificate issued"),
    "stage_not_competent": ("Belum kompeten — keputusan LSP", "Not yet competent — the LSP's decision"),
    "journey": ("Perjalanan sertifikasi", "Certification journey"),
    "assessor": ("Asesor kompetensi", "Competency assessor"),
    "assigned_on": ("ditugaskan", "assigned"),
    "assessment": ("Asesmen", "Assessment"),
    "assessment_in_progress": ("Sedang berlangsung", "In progress"),
    "assessment_recommended": ("Rekomendasi asesor diberikan", "The assessor's recommendation is given"),
    "recommendation_K": ("Kompeten (K)", "Competent (K)"),
    "recommendation_BK": ("Belum kompeten (BK)", "Not yet competent (BK)"),
    "decision": ("Keputusan LSP", "The LSP's decision"),
    "awaiting_decision": ("Menunggu rapat keputusan", "Awaiting the decision meeting"),
    "see_certificate": ("Lihat sertifikat", "See the certificate"),
    "choose_branch": ("Pilih cabang LSP", "Choose an LSP branch"),
    "no_branches": ("Belum ada cabang.", "No branches yet."),
    "history": ("Riwayat permohonan (jejak audit)", "Application history (audit trail)"),
    "when": ("Waktu", "When"),
    "step": ("Langkah", "Step"),
    "by": ("Oleh", "By"),
}


def add_texts(texts: Texts) -> None:
    """A service's words join the catalogues; one key means one text everywhere."""
    for catalogue, entries in ((TEXT, texts.text), (ERROR_TEXT, texts.errors), (STEPS, texts.steps),
                               (TERMS, texts.terms)):
        for key, value in entries.items():
            if catalogue.setdefault(key, value) != value:
                raise ValueError(f"the text of {key!r} is defined twice, differently")


def add_service_texts() -> None:
    """Every service's words, as its definition declares them (texts.py)."""
    from services import DEFINITIONS  # the composition's list; no service is named here
    for service in DEFINITIONS:
        add_texts(service.texts())


def translator(lang: str) -> Callable[[str], str]:
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0

    def t(key: str) -> str:
        return TEXT[key][index] if key in TEXT else key
    return t


# Domain errors (shared.errors): the English template as raised -> Indonesian, with the same
# {placeholders}: the kernel's and the gateway's here, each service's in its texts.py ERRORS.
# tests/unit/gateway/test_error_text.py fails when a raise's template is missing.
ERROR_TEXT: dict[str, str] = {
    # shared
    "not a valid id": "ID tidak valid",
    "record changed (version {version}, you sent {expected}); reload and retry":
        "data sudah berubah (versi {version}, Anda mengirim versi {expected}); muat ulang lalu coba lagi",
    "the record was changed by someone else; reload and retry":
        "data sudah diubah orang lain; muat ulang lalu coba lagi",
    "the record is busy; retry in a moment": "data sedang diproses; coba lagi sebentar lagi",
    "{what} not found": "{what} tidak ditemukan",
    "data erased at the request of its owner": ERASED,
    "file not found": "Berkas tidak ditemukan",
    "empty file; choose a PDF, JPG or PNG file": "Berkas kosong; pilih berkas PDF, JPG atau PNG",
    "file exceeds the {limit} limit": "Berkas melebihi batas {limit}",
    "the file must be a PDF, JPG or PNG (its content is checked, not its name)":
        "Berkas harus PDF, JPG atau PNG (isi berkas diperiksa, bukan namanya)",
    "the file also holds a ZIP archive; save it again as a plain {kind} and upload that":
        "Berkas juga berisi arsip ZIP; simpan ulang sebagai {kind} biasa lalu unggah berkas itu",
    "the {kind} file is damaged or incomplete; save or export it again and upload the new file":
        "Berkas {kind} rusak atau tidak lengkap; simpan atau ekspor ulang lalu unggah berkas yang baru",
    "the {kind} file has extra data after its end (another file joined to it); save it again as a plain {kind} "
    "and upload that":
        "Berkas {kind} berisi data tambahan setelah akhir berkas (ada berkas lain yang digabungkan); simpan ulang "
        "sebagai {kind} biasa lalu unggah berkas itu",
    "the PDF is encrypted or password-protected, so it cannot be checked; save it again as a plain PDF without a "
    "password and upload that":
        "PDF terenkripsi atau dilindungi kata sandi sehingga tidak dapat diperiksa; simpan ulang sebagai PDF biasa "
        "tanpa kata sandi lalu unggah PDF itu",
    "the PDF contains active content or attached files ({found}); print it to a new PDF (Print, then Save as PDF) "
    "and upload that":
        "PDF berisi konten aktif atau berkas lampiran ({found}); cetak ulang menjadi PDF baru (Cetak, lalu Simpan "
        "sebagai PDF) dan unggah PDF itu",
    "the PDF is too complex to check; print it to a new PDF (Print, then Save as PDF) and upload that":
        "PDF terlalu rumit untuk diperiksa; cetak ulang menjadi PDF baru (Cetak, lalu Simpan sebagai PDF) dan "
        "unggah PDF itu",
    "the PDF has more than {limit} pages; upload only the pages needed":
        "PDF lebih dari {limit} halaman; unggah halaman yang diperlukan saja",
    "the image has too many pixels (at most {limit} megapixels); reduce its resolution and upload it again":
        "Gambar terlalu besar (maksimal {limit} megapiksel); perkecil resolusinya lalu unggah ulang",
    "the uploads of this application would exceed its quota of {limit} MB; upload a smaller file (a compressed "
    "scan, for example)":
        "Unggahan permohonan ini akan melebihi kuotanya, {limit} MB; unggah berkas yang lebih kecil (misalnya hasil "
        "pindai yang dikompresi)",
    "your uploads would exceed your quota of {limit} MB over all your applications; upload a smaller file (a "
    "compressed scan, for example)":
        "Unggahan Anda akan melebihi kuota Anda, {limit} MB untuk semua permohonan; unggah berkas yang lebih kecil "
        "(misalnya hasil pindai yang dikompresi)",
    "you already have {count} draft applications (at most {limit}); finish and submit one of them first":
        "Anda sudah memiliki {count} draf permohonan (maksimal {limit}); selesaikan dan ajukan salah satunya dulu",
    "still failing, left parked: {reason}": "masih gagal, tetap diparkir: {reason}",
    "{service} has no command '{command}'": "layanan {service} tidak memiliki perintah '{command}'",
    "{service} did not answer {method} within {seconds}s":
        "layanan {service} tidak menjawab {method} dalam {seconds} detik",
    "{service} is not running": "layanan {service} tidak berjalan",
    "message broker unreachable ({reason})": "message broker tidak dapat dihubungi ({reason})",
    # gateway
    "the request body could not be read": "isi permintaan tidak dapat dibaca",
    "no such page or endpoint": "halaman atau endpoint tidak ada",
    "this method is not allowed here": "metode ini tidak diizinkan di sini",
    "the request body is too large": "isi permintaan terlalu besar",
    "the request could not be processed": "permintaan tidak dapat diproses",
    "unknown command {service}.{command}": "perintah {service}.{command} tidak dikenal",
    "branch {code} already exists": "cabang {code} sudah ada",
    "no LSP branch has this code": "tidak ada cabang LSP dengan kode ini",
    "this needs one of the roles: {roles}": "tindakan ini hanya untuk peran: {roles}",
    "platform admins must say which branch (?branch=CODE)": "admin platform harus menyebut cabangnya (?branch=KODE)",
    "must be a user of this branch with the role asesor": "harus pengguna cabang ini dengan peran asesor",
    "no invoice has been issued yet": "tagihan belum diterbitkan",
    "this page is not for your role": "halaman ini bukan untuk peran Anda",
    "cross-site request refused": "permintaan lintas situs ditolak",
    "unknown action": "tindakan tidak dikenal",
    "no self-assessment yet (after payment)": "asesmen mandiri belum ada (dibuka setelah pembayaran diverifikasi)",
    "this e-mail is already registered": "e-mail ini sudah terdaftar",
    "the password must have at least {min} characters": "kata sandi minimal {min} karakter",
    "this password is too common; choose another": "kata sandi ini terlalu umum; pilih yang lain",
    "the password must not contain your name or e-mail": "kata sandi tidak boleh memuat nama atau e-mail Anda",
    "this e-mail has accounts in more than one branch; give the branch code":
        "e-mail ini terdaftar di lebih dari satu cabang; isi kode cabang",
    # a form definition (shared/forms.py) naming every field with a problem
    "please correct: {fields}": "mohon perbaiki: {fields}",
    "the logo must be a PNG or JPEG image": "logo harus berupa gambar PNG atau JPEG",
    # a status table (shared/status.py) refusing a move
    "not possible while the {what} is '{status}'": "tidak dapat dilakukan saat {what} berstatus '{status}'",
    "not a known status: {status}": "status tidak dikenal: {status}",
}

# Words an error carries as params, in Indonesian: field names as the form labels them (without
# the format hint), what was not found, statuses, and what only the applicant may do.
# the roles of shared.web, as people name them: (Bahasa Indonesia, English)
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "asesi": ("asesi", "candidate"),
    "admin_lsp": ("admin LSP", "LSP admin"),
    "asesor": ("asesor", "assessor"),
    "manajer_sertifikasi": ("manajer sertifikasi", "certification manager"),
    "ketua_lsp": ("ketua LSP", "LSP chair"),
    "platform_admin": ("admin platform", "platform admin"),
    "asesor_penyelia": ("asesor penyelia", "supervising assessor"),
    "komite_teknis": ("komite teknis", "technical committee"),
    "system": ("sistem", "system"),
}
TEXT.update({f"role_{role}": names for role, names in ROLE_NAMES.items()})  # "role_asesor" on the pages

TERMS: dict[str, str] = {role: names[0] for role, names in ROLE_NAMES.items()} | {
    "application": "permohonan", "scheme": "skema", "case": "berkas sertifikasi", "assessment": "asesmen",
    "branch": "cabang", "user": "pengguna", "file": "berkas", "certificate": "sertifikat", "assessor": "asesor",
    "dead letter": "pesan gagal (dead letter)",
    "name": "nama", "password": "kata sandi",
    "queued": "antre", "retrying": "dicoba ulang", "sent": "terkirim", "failed": "gagal",  # notices
}

# pydantic's error types (422 on a request body, query or form) -> Indonesian; {placeholders} are
# the error's ctx. Any other type keeps pydantic's English message.
VALIDATION_TEXT: dict[str, str] = {
    "missing": "wajib diisi",
    "string_type": "harus berupa teks",
    "string_too_short": "minimal {min_length} karakter",
    "string_too_long": "maksimal {max_length} karakter",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "form_field": "{message_id}",  # a form definition's check (shared/form_models.py), worded in both languages
    "value_error": "nilai tidak valid",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat",
    "float_parsing": "harus berupa angka",
    "greater_than_equal": "minimal {ge}",
    "greater_than": "harus lebih dari {gt}",
    "less_than_equal": "maksimal {le}",
    "less_than": "harus kurang dari {lt}",
    "literal_error": "harus salah satu dari: {expected}",
    "enum": "harus salah satu dari: {expected}",
    "date_parsing": "harus berupa tanggal (YYYY-MM-DD)",
    "date_from_datetime_parsing": "harus berupa tanggal (YYYY-MM-DD)",
    "date_from_datetime_inexact": "harus berupa tanggal (YYYY-MM-DD) tanpa jam",
    "date_type": "harus berupa tanggal (YYYY-MM-DD)",
    "bool_parsing": "harus berupa true atau false",
    "bool_type": "harus berupa true atau false",
    "json_invalid": "JSON tidak valid",
    "uuid_parsing": "bukan ID yang valid",
    "uuid_type": "bukan ID yang valid",
    "list_type": "harus berupa daftar",
    "too_short": "minimal {min_length} isian",
    "too_long": "maksimal {max_length} isian",
    "model_type": "harus berupa objek",
    "model_attributes_type": "harus berupa objek",
    "dict_type": "harus berupa objek",
    "extra_forbidden": "isian ini tidak dikenal",
}

_untranslated: set[str] = set()


def error_message(error: DomainError, lang: str) -> str:
    """The error in the reader's language; the English text if its template has no translation."""
    if lang == "en":
        return error.message
    text = ERROR_TEXT.get(error.template)
    if text is None:
        if error.template not in _untranslated:  # once per template, not once per request
            _untranslated.add(error.template)
            log.warning("no Indonesian text for the error %r: add it to ERROR_TEXT", error.template)
        return error.message
    return fill(text, {name: [TERMS.get(v, v) for v in value] if isinstance(value, list) else TERMS.get(value, value)
                       for name, value in error.params.items()})


def field_label(location: tuple[Any, ...] | list[Any], lang: str) -> str:
    """Where a form error is, as a person reads it: units.0.code -> "unit kompetensi baris 1, kode"."""
    parts = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"{'line' if lang == 'en' else 'baris'} {part + 1}")
        else:
            parts.append(str(part) if lang == "en" else TERMS.get(str(part), str(part)))
    return ", ".join(parts)


def validation_message(error: dict[str, Any], lang: str) -> str:
    """One pydantic error (from .errors()) in the reader's language, without its field."""
    text = VALIDATION_TEXT.get(error["type"])
    if lang == "en" or text is None:
        return error["msg"]
    # ctx "expected" reads "'K' or 'BK'"
    ctx = {name: str(value).replace("' or '", "' atau '") for name, value in (error.get("ctx") or {}).items()}
    return fill(text, ctx)


def language(accept_language: str | None, cookie: str | None = None) -> str:
    """The web UI's language cookie, else the language the Accept-Language header prefers, else Indonesian."""
    if cookie in LANGUAGES:
        return cookie
    best, best_q = "id", 0.0
    for part in (accept_language or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        lang = tag.split("-")[0].strip().lower()
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        if lang in LANGUAGES and weight > best_q:
            best, best_q = lang, weight
    return best


add_service_texts()  # the catalogues are whole as soon as this module is
