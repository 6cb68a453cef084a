"""Interface text: Bahasa Indonesia first, English available (?lang=en, remembered in a cookie)."""
from collections.abc import Callable

LANGUAGES = ("id", "en")

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
    "language": ("English", "Bahasa Indonesia"),
    "status_submitted": ("Menunggu verifikasi admin", "Waiting for admin review"),
    "status_accepted": ("Diterima", "Accepted"),
    "status_awaiting_payment": ("Menunggu pembayaran", "Awaiting payment"),
    "status_payment_submitted": ("Bukti bayar sedang diverifikasi", "Payment proof being checked"),
    "status_paid": ("Pembayaran terverifikasi — menunggu penjadwalan asesmen",
                    "Payment verified — awaiting assessment scheduling"),
}


def translator(lang: str) -> Callable[[str], str]:
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0

    def t(key: str) -> str:
        return TEXT[key][index] if key in TEXT else key
    return t
