"""Interface text: Bahasa Indonesia first, English available (?lang=en, remembered in a cookie)."""
import logging
from collections.abc import Callable
from typing import Any

from shared.errors import ERASED, DomainError, fill
from shared.web import LANGUAGES

log = logging.getLogger(__name__)

# FR.APL.01 Bagian 1: (field, label); the form shows them in this order
PERSONAL_FORM = (
    ("nama_lengkap", "Nama lengkap"), ("nik", "No. KTP/NIK/Paspor"), ("tempat_lahir", "Tempat lahir"),
    ("tanggal_lahir", "Tanggal lahir (YYYY-MM-DD)"), ("jenis_kelamin", "Jenis kelamin (L/P)"),
    ("kebangsaan", "Kebangsaan"), ("alamat_rumah", "Alamat rumah"), ("kode_pos", "Kode pos"),
    ("telp_rumah", "Telp. rumah"), ("hp", "No. HP"), ("email", "E-mail"),
    ("kualifikasi_pendidikan", "Kualifikasi pendidikan"), ("institusi", "Institusi/perusahaan"),
    ("jabatan", "Jabatan"), ("alamat_kantor", "Alamat kantor"), ("kode_pos_kantor", "Kode pos kantor"),
    ("telp_kantor", "Telp. kantor"), ("fax_kantor", "Fax kantor"),
    ("email_kantor", "E-mail kantor"))

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
    "fee": ("Biaya", "Fee"),
    "validity": ("masa berlaku", "valid for"),
    "years": ("tahun", "years"),
    "requirements_short": ("Persyaratan dasar dan administratif", "Basic and administrative requirements"),
    "methods": ("Metode asesmen", "Assessment methods"),
    "remote_requirements": ("Yang perlu disiapkan untuk asesmen jarak jauh", "What to prepare for remote assessment"),
    "apply_here": ("Daftar dan ajukan permohonan", "Register and apply"),
    "no_schemes": ("Cabang ini belum menerbitkan skema.", "This branch has not published any scheme yet."),
    "see_catalogue": ("Lihat katalog skema cabang", "See a branch's scheme catalogue"),
    "apply": ("Ajukan permohonan", "Apply"),
    "purpose": ("Tujuan asesmen", "Purpose of assessment"),
    "my_applications": ("Permohonan saya", "My applications"),
    "no_applications": ("Belum ada permohonan.", "No applications yet."),
    "status": ("Status", "Status"),
    "scheme": ("Skema", "Scheme"),
    "submitted_at": ("Diajukan", "Submitted"),
    "invoice": ("Tagihan", "Invoice"),
    "amount": ("Jumlah (Rp)", "Amount (IDR)"),
    "download_invoice": ("Unduh tagihan (PDF)", "Download invoice (PDF)"),
    "payment_reference": ("Nomor referensi transfer", "Transfer reference"),
    "send_payment_proof": ("Kirim bukti pembayaran", "Send payment proof"),
    "work_queue": ("Antrean kerja admin LSP", "LSP admin work queue"),
    "waiting_acceptance": ("Menunggu verifikasi permohonan", "Waiting for application review"),
    "waiting_payment_check": ("Menunggu verifikasi pembayaran", "Waiting for payment verification"),
    "accept": ("Terima dan terbitkan tagihan", "Accept and issue invoice"),
    "verify_payment": ("Verifikasi pembayaran", "Verify payment"),
    "nothing_waiting": ("Tidak ada yang menunggu.", "Nothing waiting."),
    "asesi": ("Asesi", "Candidate"),
    "details": ("Rincian", "Details"),
    "back": ("Kembali", "Back"),
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
    "status_draft": ("Draf — lengkapi dan ajukan", "Draft — complete and submit"),
    "status_returned": ("Dikembalikan — perbaiki kekurangan", "Returned — fix what is missing"),
    "personal_data": ("Bagian 1 — Data pribadi dan pekerjaan", "Part 1 — Personal and job data"),
    "save_draft": ("Simpan draf", "Save draft"),
    "requirements": ("Bagian 3 — Bukti kelengkapan", "Part 3 — Supporting documents"),
    "upload": ("Unggah", "Upload"),
    "uploaded_file": ("Berkas terunggah", "Uploaded file"),
    "not_uploaded": ("Belum diunggah", "Not uploaded yet"),
    "sign_and_submit": ("Tandatangani dan ajukan", "Sign and submit"),
    "sign_statement": ("Dengan mengajukan, saya menyatakan data dan dokumen ini benar; tanda tangan elektronik "
                       "dicatat dengan sidik SHA-256 isi permohonan.",
                       "By submitting I declare this data and these documents true; the electronic signature "
                       "records the SHA-256 of the application content."),
    "deficiencies": ("Yang perlu diperbaiki", "What needs fixing"),
    "payment_proof_file": ("Bukti pembayaran (PDF/JPG/PNG)", "Payment proof (PDF/JPG/PNG)"),
    "payment_rejected": ("Bukti pembayaran ditolak", "Payment proof rejected"),
    "review": ("Periksa", "Review"),
    "verdict": ("Hasil verifikasi", "Verification"),
    "verdict_memenuhi": ("Ada — memenuhi syarat", "Present — meets the requirement"),
    "verdict_tidak_memenuhi": ("Ada — tidak memenuhi syarat", "Present — does not meet it"),
    "verdict_tidak_ada": ("Tidak ada", "Missing"),
    "notes": ("Catatan", "Notes"),
    "save": ("Simpan", "Save"),
    "recommendation": ("Rekomendasi (ditandatangani admin LSP)", "Recommendation (signed by the LSP admin)"),
    "rec_diterima": ("Diterima — terbitkan tagihan", "Accepted — issue the invoice"),
    "rec_tidak_diterima": ("Tidak diterima — kembalikan ke asesi", "Not accepted — return to the candidate"),
    "reject_payment": ("Tolak bukti pembayaran", "Reject payment proof"),
    "reason": ("Alasan", "Reason"),
    "download": ("Unduh", "Download"),
    "saved": ("Tersimpan.", "Saved."),
    "uploaded": ("Berkas diunggah.", "File uploaded."),
    "submitted": ("Permohonan diajukan dan ditandatangani.", "Application signed and submitted."),
    "paid": ("Bukti pembayaran terkirim.", "Payment proof sent."),
    "outbox": ("Kotak keluar e-mail", "E-mail outbox"),
    "notices": ("Pemberitahuan", "Notices"),
    "recipient": ("Penerima", "Recipient"),
    "subject": ("Perihal", "Subject"),
    "notice_queued": ("antre", "queued"), "notice_retrying": ("dicoba ulang", "retrying"),
    "notice_sent": ("terkirim", "sent"), "notice_failed": ("gagal", "failed"),
    "apl02": ("FR.APL.02 — Asesmen mandiri", "FR.APL.02 — Self-assessment"),
    "apl02_intro": ("Untuk setiap elemen: dapatkah Anda melakukannya? Pilih K (kompeten) atau BK (belum "
                    "kompeten) dan tandai bukti yang relevan.",
                    "For each element: can you do this? Choose K (competent) or BK (not yet competent) "
                    "and tick the relevant evidence."),
    "portfolio": ("Unggah bukti portofolio", "Upload portfolio evidence"),
    "evidence": ("Bukti yang relevan", "Relevant evidence"),
    "save_answers": ("Simpan jawaban", "Save answers"),
    "unanswered": ("Belum dijawab", "Not answered yet"),
    "download_apl01": ("Unduh FR.APL.01 (PDF)", "Download FR.APL.01 (PDF)"),
    "download_apl02": ("Unduh FR.APL.02 (PDF)", "Download FR.APL.02 (PDF)"),
    "status_self_assessed": ("Asesmen mandiri terkirim — menunggu kaji kelayakan",
                             "Self-assessment submitted — awaiting feasibility review"),
    "feasibility": ("Kaji kelayakan (FR.APL.01 dan FR.APL.02)", "Feasibility review (FR.APL.01 and FR.APL.02)"),
    "feasible_yes": ("Layak — lanjut ke penjadwalan asesmen", "Feasible — on to assessment scheduling"),
    "feasible_no": ("Tidak layak — proses dihentikan", "Not feasible — the case stops"),
    "waiting_feasibility": ("Menunggu kaji kelayakan", "Waiting for the feasibility review"),
    "status_ready_for_scheduling": ("Layak — menunggu penjadwalan asesmen", "Feasible — awaiting scheduling"),
    "status_not_feasible": ("Tidak layak — proses dihentikan", "Not feasible — the case has stopped"),
    # the admin's search over the branch's cases
    "all_cases": ("Semua kasus cabang", "All cases of the branch"),
    "search_cases": ("Cari nama asesi atau nomor kasus", "Search a candidate's name or a case number"),
    "search_hint": ("mis. Budi", "e.g. Budi"),
    "any_status": ("Semua status", "Any status"),
    "search": ("Cari", "Search"),
    "cases_found": ("kasus ditemukan (paling baru dulu, paling banyak 100)", "cases found (newest first, at most 100)"),
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
    "schemes_admin": ("Skema sertifikasi cabang", "The branch's certification schemes"),
    "new_scheme": ("Skema baru", "New scheme"),
    "edit": ("Ubah", "Edit"),
    "version": ("Versi", "Version"),
    "published": ("Terbit", "Published"),
    "unpublished": ("Belum terbit", "Not published"),
    "publish": ("Terbitkan", "Publish"),
    "unpublish": ("Tarik dari katalog", "Take out of the catalogue"),
    "scheme_number": ("Nomor skema", "Scheme number"),
    "title": ("Judul", "Title"),
    "kind": ("Jenis skema", "Scheme type"),
    "units_lines": ("Unit kompetensi — satu per baris: KODE | Judul | Jenis standar | Referensi",
                    "Competency units — one per line: CODE | Title | Standard type | Reference"),
    "requirements_lines": ("Persyaratan — satu per baris: KODE | Judul | persyaratan_dasar atau administratif",
                           "Requirements — one per line: CODE | Title | persyaratan_dasar or administratif"),
    "remote_lines": ("Perlengkapan asesmen jarak jauh — satu per baris", "Remote-assessment equipment — one per line"),
    "revision_note": ("Menyimpan membuat versi baru; permohonan yang sudah masuk tetap memakai versinya.",
                      "Saving makes a new version; applications already made keep theirs."),
    "status_submitted": ("Menunggu verifikasi admin", "Waiting for admin review"),
    "status_accepted": ("Diterima", "Accepted"),
    "status_awaiting_payment": ("Menunggu pembayaran", "Awaiting payment"),
    "status_payment_submitted": ("Bukti bayar sedang diverifikasi", "Payment proof being checked"),
    "req_persyaratan_dasar": ("persyaratan dasar", "basic requirement"),
    "req_administratif": ("administratif", "administrative"),
    "choose_branch": ("Pilih cabang LSP", "Choose an LSP branch"),
    "no_branches": ("Belum ada cabang.", "No branches yet."),
    "personal_part": ("a. Data pribadi", "a. Personal data"),
    "job_part": ("b. Data pekerjaan sekarang (bila bekerja)", "b. Current job (if employed)"),
    "tuk_equipment": ("Perlengkapan TUK untuk asesmen jarak jauh", "TUK equipment for remote assessment"),
    "tuk_equipment_help": ("Asesmen dilakukan dari tempat Anda. Siapkan perlengkapan berikut, lalu tandai yang "
                           "sudah siap.", "You are assessed from your own place. Prepare these and tick what is "
                           "ready."),
    "ready": ("siap", "ready"),
    "save_readiness": ("Simpan kesiapan", "Save readiness"),
    "not_ready_yet": ("belum siap", "not ready yet"),
    "history": ("Riwayat permohonan (jejak audit)", "Application history (audit trail)"),
    "when": ("Waktu", "When"),
    "step": ("Langkah", "Step"),
    "by": ("Oleh", "By"),
    "status_paid": ("Pembayaran terverifikasi — lanjutkan asesmen mandiri (FR.APL.02)",
                    "Payment verified — continue with the self-assessment (FR.APL.02)"),
}


def add_texts(texts: dict[str, tuple[str, str]]) -> None:
    """A service's interface text joins the catalogue; one key means one text everywhere."""
    for key, value in texts.items():
        if TEXT.setdefault(key, value) != value:
            raise ValueError(f"interface text {key!r} is defined twice, differently")


def translator(lang: str) -> Callable[[str], str]:
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0

    def t(key: str) -> str:
        return TEXT[key][index] if key in TEXT else key
    return t


# Domain errors (shared.errors): the English template as raised -> Indonesian, with the same
# {placeholders}. tests/unit/test_error_text.py fails when a raise's template is missing here.
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
    # registration: scheme catalogue
    "kind must be one of {choices}": "jenis skema harus salah satu dari: {choices}",
    "category must be one of {choices}": "kategori persyaratan harus salah satu dari: {choices}",
    "methods must be some of {choices}": "metode asesmen harus dipilih dari: {choices}",
    "standard_type must be one of {choices}": "jenis standar harus salah satu dari: {choices}",
    "fee cannot be negative": "biaya tidak boleh negatif",
    "a certificate is valid for at least one year": "masa berlaku sertifikat minimal satu tahun",
    "{what} must be unique within a scheme": "{what} tidak boleh ganda dalam satu skema",
    "a published scheme needs at least one unit": "skema yang diterbitkan harus memiliki minimal satu unit kompetensi",
    "the scheme is already published": "skema sudah terbit",
    "the scheme is not published": "skema belum terbit",
    "this scheme is not open for applications": "skema ini tidak menerima permohonan",
    "scheme {number} already exists in this branch": "skema {number} sudah ada di cabang ini",
    # registration: FR.APL.01, invoice and payment
    "purpose must be one of {choices}": "tujuan asesmen harus salah satu dari: {choices}",
    "unknown field (expected one of {fields})": "isian tidak dikenal (yang tersedia: {fields})",
    "must be text": "harus berupa teks",
    "at most 300 characters": "maksimal 300 karakter",
    "not a valid {format}": "harus berupa {format}",
    "not a valid date": "bukan tanggal yang valid",
    "not a plausible date of birth": "tanggal lahir tidak masuk akal",
    "must be one of {choices}": "harus salah satu dari: {choices}",
    "only sensitive fields arrive sealed": "hanya data sensitif yang boleh dikirim dalam bentuk tersegel",
    "not a valid sealed value": "bukan nilai tersegel yang sah",
    "sealed for another vault or person": "tersegel untuk brankas data atau orang lain",
    "not possible while the application is '{status}'": "tidak dapat dilakukan saat permohonan berstatus '{status}'",
    "not possible while the {what} is '{status}'": "tidak dapat dilakukan saat {what} berstatus '{status}'",
    "not a known status: {status}": "status tidak dikenal: {status}",
    "only the applicant can {action}": "hanya asesi pemohon yang dapat {action}",
    "nothing to save": "tidak ada isian untuk disimpan",
    "the scheme has no such requirement": "persyaratan ini tidak ada dalam skema",
    "incomplete: {missing}": "belum lengkap: {missing}",
    "verdict must be one of {choices}": "hasil verifikasi harus salah satu dari: {choices}",
    "recommendation must be one of {choices}": "rekomendasi harus salah satu dari: {choices}",
    "verify every requirement first; not yet verified: {codes}":
        "verifikasi semua persyaratan terlebih dahulu; belum diverifikasi: {codes}",
    "say what is missing: every document is 'memenuhi'":
        "tuliskan kekurangannya: semua dokumen berstatus 'memenuhi'",
    "not every requirement is 'memenuhi': {codes}": "belum semua persyaratan 'memenuhi': {codes}",
    "amount must equal the invoice amount ({amount})": "jumlah harus sama dengan jumlah tagihan ({amount})",
    "say why the payment is rejected": "tuliskan alasan bukti pembayaran ditolak",
    # registration: FR.APL.02 and the feasibility review
    "not yet answered: {items}": "belum dijawab: {items}",
    "evidence not part of this application: {files}": "bukti ini bukan bagian dari permohonan: {files}",
    "each answer is an object": "setiap jawaban harus berupa objek",
    "the scheme has no such unit": "unit kompetensi ini tidak ada dalam skema",
    "element_no must be an element number of this unit": "element_no harus nomor elemen dari unit kompetensi ini",
    "element_no must be null": "element_no harus null: unit ini dijawab per unit, bukan per elemen",
    "{item} is answered twice": "{item} dijawab dua kali",
    "answer must be one of {choices}": "jawaban harus salah satu dari: {choices}",
    "evidence is a list of file ids": "bukti harus berupa daftar ID berkas",
    "feasible must be true or false": "kelayakan harus true atau false",
    "say why the application is not feasible": "tuliskan alasan permohonan tidak layak",
    # registration: e-mail notices
    "notice is '{status}', not waiting to be sent": "pemberitahuan berstatus '{status}', tidak sedang menunggu dikirim",
    "no TUK equipment has been requested yet (it is asked for once the application is in)":
        "belum ada permintaan perlengkapan TUK (diminta setelah permohonan diajukan)",
    "ready is a list of the requested items": "isian siap harus daftar perlengkapan yang diminta",
    "not on the requested list: {items}": "tidak ada dalam daftar yang diminta: {items}",
    "only a failed notice can be sent again (this one is '{status}')":
        "hanya pemberitahuan yang gagal yang dapat dikirim ulang (yang ini berstatus '{status}')",
    # scheduling
    "must be a date (YYYY-MM-DD)": "harus berupa tanggal (YYYY-MM-DD)",
    "MET number must look like MET.000.001668.2012": "nomor registrasi MET harus berformat seperti MET.000.001668.2012",
    "an assessor needs at least one scheme": "asesor harus memiliki minimal satu skema",
    "{name} is not registered as competent in scheme {scheme}; choose an assessor of this scheme":
        "{name} tidak terdaftar sebagai asesor kompeten untuk skema {scheme}; pilih asesor skema ini",
    "the MET registration of {name} expired on {date}; it must be renewed (RCC) before assigning":
        "registrasi MET {name} berakhir pada {date}; harus diperpanjang (RCC) sebelum ditugaskan",
    "{name} already holds {count} active cases (limit {limit})":
        "{name} sudah menangani {count} berkas aktif (batas {limit})",
    "not possible while the case is '{status}'": "tidak dapat dilakukan saat berkas sertifikasi berstatus '{status}'",
    "the assessor belongs to another branch": "asesor ini terdaftar di cabang lain",
    "conflict of interest: an asesi cannot assess themself":
        "konflik kepentingan: asesi tidak dapat menjadi asesor bagi dirinya sendiri",
    "this user is already registered as an assessor in this branch":
        "pengguna ini sudah terdaftar sebagai asesor di cabang ini",
    "no registered assessor with this id in this branch": "tidak ada asesor terdaftar dengan ID ini di cabang ini",
    "the case is not yet known to scheduling": "berkas sertifikasi ini belum sampai ke layanan penjadwalan",
    # assessment
    "one result per unit of the scheme; missing: {units}":
        "setiap unit kompetensi skema harus diberi satu hasil; belum ada hasil untuk: {units}",
    "one result per unit of the scheme; not in the scheme: {units}":
        "setiap unit kompetensi skema harus diberi satu hasil; tidak ada dalam skema: {units}",
    "one result per unit of the scheme; given more than once: {units}":
        "setiap unit kompetensi skema harus diberi satu hasil; diberi lebih dari satu hasil: {units}",
    "one result per unit of the scheme; result must be K or BK: {units}":
        "setiap unit kompetensi skema harus diberi satu hasil; hasil harus K atau BK: {units}",
    "only the assessor assigned to this case can give its recommendation":
        "hanya asesor yang ditugaskan pada berkas ini yang dapat memberikan rekomendasi",
    "the recommendation for this case has already been given": "rekomendasi untuk berkas ini sudah diberikan",
    # certification
    "decision must be K or BK": "keputusan harus K atau BK",
    "this case has already been decided": "berkas ini sudah diputuskan",
    "conflict of interest: the assessor of this case cannot decide it":
        "konflik kepentingan: asesor berkas ini tidak boleh memutuskannya",
    "the assessor recommended BK; the LSP can only confirm competence that the assessor recommended":
        "asesor merekomendasikan BK; LSP hanya dapat menetapkan kompeten bila asesor merekomendasikan K",
    "this certificate was issued before QR codes and has none":
        "sertifikat ini terbit sebelum ada kode QR dan tidak memilikinya",
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

TERMS: dict[str, str] = {name: label.split(" (")[0] for name, label in PERSONAL_FORM} | {
    role: names[0] for role, names in ROLE_NAMES.items()} | {
    "application": "permohonan", "scheme": "skema", "case": "berkas sertifikasi", "assessment": "asesmen",
    "branch": "cabang", "user": "pengguna", "file": "berkas", "certificate": "sertifikat", "assessor": "asesor",
    "dead letter": "pesan gagal (dead letter)",
    "units": "unit kompetensi", "requirements": "persyaratan", "code": "kode", "title": "judul",
    "number": "nomor skema", "fee": "biaya", "validity_years": "masa berlaku (tahun)", "kind": "jenis skema",
    "category": "kategori", "standard_type": "jenis standar", "reference": "referensi", "elements": "elemen",
    "name": "nama", "password": "kata sandi",
    "unit codes": "kode unit kompetensi", "requirement codes": "kode persyaratan", "methods": "metode asesmen",
    "draft": "draf", "submitted": "diajukan", "returned": "dikembalikan", "accepted": "diterima",
    "awaiting_payment": "menunggu pembayaran", "payment_submitted": "bukti pembayaran sedang diverifikasi",
    "paid": "lunas", "self_assessed": "asesmen mandiri terkirim", "ready_for_scheduling": "siap dijadwalkan",
    "not_feasible": "tidak layak", "awaiting_assessor": "menunggu asesor", "assigned": "asesor ditugaskan",
    "payment": "pembayaran", "self-assessment": "asesmen mandiri (FR.APL.02)", "open": "terbuka",
    "in_progress": "sedang diases", "recommended": "rekomendasi diberikan", "awaiting_decision": "menunggu keputusan",
    "decided": "sudah diputuskan",
    "completed": "selesai", "queued": "antre", "retrying": "dicoba ulang", "sent": "terkirim", "failed": "gagal",
    "fill in the application": "mengisi permohonan",
    "confirm the TUK equipment": "mengonfirmasi perlengkapan TUK",
    "upload the application's documents": "mengunggah dokumen permohonan",
    "sign and submit the application": "menandatangani dan mengajukan permohonan",
    "submit the payment proof": "mengirim bukti pembayaran",
    "upload portfolio evidence": "mengunggah bukti portofolio",
    "fill in the self-assessment": "mengisi asesmen mandiri",
    "sign and submit the self-assessment": "menandatangani dan mengajukan asesmen mandiri",
}

# pydantic's error types (422 on a request body, query or form) -> Indonesian; {placeholders} are
# the error's ctx. Any other type keeps pydantic's English message.
VALIDATION_TEXT: dict[str, str] = {
    "missing": "wajib diisi",
    "string_type": "harus berupa teks",
    "string_too_short": "minimal {min_length} karakter",
    "string_too_long": "maksimal {max_length} karakter",
    "string_pattern_mismatch": "formatnya tidak sesuai",
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
