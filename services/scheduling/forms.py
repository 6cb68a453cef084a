"""The forms scheduling owns, each defined once (shared/forms.py). The TUK's entry in the branch's registry
(SOP 1.4): the domain's checks, the API's request model, the page and the PDF come from it."""
from shared.forms import CHOICE, DATE, LONG_TEXT, NUMBER, Field, Form, Section, Signer, choices, register

SERVICE = "scheduling"
KINDS = (("sewaktu", "TUK Sewaktu", "Temporary test centre (Sewaktu)"),
         ("tempat_kerja", "TUK Tempat Kerja", "Workplace test centre"),
         ("mandiri", "TUK Mandiri", "Independent test centre (Mandiri)"))

TUK = register(Form(
    "TUK", ("DATA TEMPAT UJI KOMPETENSI", "TEST CENTRE (TUK) DATA"), key="tuk",
    sections=(Section("tuk", ("Tempat Uji Kompetensi (TUK)", "Test centre (TUK)"), (
        Field("nama", ("Nama TUK", "Name of the TUK"), required=True, max_length=120),
        Field("jenis", ("Jenis TUK", "Kind of TUK"), kind=CHOICE, required=True, choices=choices(*KINDS)),
        Field("jarak_jauh", ("Pelaksanaan", "How it is held"), kind=CHOICE, required=True,
              choices=choices(("ya", "Jarak jauh (online)", "Remote (online)"),
                              ("tidak", "Tatap muka di lokasi", "On site"))),
        Field("alamat", ("Alamat", "Address"), kind=LONG_TEXT, max_length=300,
              help=("Wajib untuk TUK tatap muka", "Required for an on-site TUK")),
        Field("kapasitas", ("Kapasitas (asesi per sesi)", "Capacity (candidates per session)"), kind=NUMBER,
              required=True, pattern=r"[1-9][0-9]{0,2}", format=("angka 1-999", "a number 1-999"), example="20"),
        Field("nomor_sk", ("Nomor SK penetapan TUK", "Number of the TUK's decree (SK)"), max_length=80),
        Field("sk_berlaku_sampai", ("SK berlaku sampai", "Decree valid until"), kind=DATE,
              earliest="2000-01-01", example="2029-12-31",
              help=("Wajib bila nomor SK diisi", "Required with a decree number")),
    )),),
    signers=(Signer("admin_lsp", ("Dicatat oleh admin LSP", "Recorded by the LSP admin")),), service=SERVICE))

TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]"
JADWAL = register(Form(
    "JADWAL", ("JADWAL UJI KOMPETENSI", "COMPETENCY ASSESSMENT SCHEDULE"), key="jadwal",
    sections=(Section("jadwal", ("Jadwal uji kompetensi", "Assessment schedule"), (
        Field("skema", ("Nomor skema", "Scheme number"), required=True, max_length=64,
              pattern=r"[A-Za-z0-9./_-]+", format=("nomor skema", "scheme number"), example="SKM/K3/2025"),
        Field("tanggal", ("Tanggal", "Date"), kind=DATE, required=True, earliest="2000-01-01", example="2027-03-15"),
        Field("mulai", ("Mulai (WIB)", "Starts (WIB)"), required=True, pattern=TIME, format=("jam JJ:MM", "time HH:MM"),
              example="08:00"),
        Field("selesai", ("Selesai (WIB)", "Ends (WIB)"), required=True, pattern=TIME,
              format=("jam JJ:MM", "time HH:MM"), example="16:00"),
        Field("tuk_id", ("TUK", "TUK"), required=True, max_length=64, pattern=r"[0-9a-fA-F-]{32,36}",
              format=("TUK dari daftar", "a TUK of the registry"), example="0f6b2a3c-1d2e-4f50-8a9b-0c1d2e3f4a5b"),
        Field("tautan", ("Tautan konferensi video", "Video-conference link"), max_length=300,
              pattern=r"https://[^\s]+", format=("tautan https://", "an https:// link"),
              example="https://meet.example.org/uji-k3",
              help=("Wajib untuk TUK jarak jauh", "Required for a remote TUK")),
        Field("kuota_min", ("Kuota minimal", "Minimum quota"), kind=NUMBER, required=True, pattern=r"[1-9][0-9]{0,2}",
              format=("angka 1-999", "a number 1-999"), example="1"),
        Field("kuota_maks", ("Kuota maksimal", "Maximum quota"), kind=NUMBER, required=True,
              pattern=r"[1-9][0-9]{0,2}", format=("angka 1-999", "a number 1-999"), example="10"),
    )),),
    signers=(Signer("admin_lsp", ("Dijadwalkan oleh admin LSP", "Scheduled by the LSP admin")),), service=SERVICE))


# ---- remote session preparation (SOP 3.1) and the online TUK verification (SOP 2.4.1) -------------------

YES_NO = choices(("ya", "Ya", "Yes"), ("tidak", "Tidak", "No"))
# SOP 3.1: what the admin LSP checks before a remote session (field name, (Indonesian, English))
SYSTEMS_ITEMS = (
    ("platform_siap", ("Platform asesmen siap digunakan", "The assessment platform is ready")),
    ("internet_stabil", ("Koneksi internet stabil", "The internet connection is stable")),
    ("tautan_dibuka", ("Tautan konferensi video dapat dibuka", "The video-conference link opens")),
    ("perekaman_aktif", ("Perekaman sesi aktif", "Recording of the session is on")),
    ("akses_website", ("Akses ke website e-Asesmen berjalan", "The e-Asesmen website can be reached")),
)
NOTE = ("Catatan", "Note")


def _yes_no_rows(items: tuple[tuple[str, tuple[str, str]], ...], verdicts: tuple, note_help: tuple[str, str]
                 ) -> tuple[Field, ...]:
    """A required verdict and an optional note per checked item."""
    fields: list[Field] = []
    for name, label in items:
        fields.append(Field(name, label, kind=CHOICE, required=True, choices=verdicts))
        fields.append(Field(f"{name}_catatan", (f"{label[0]}: {NOTE[0].lower()}", f"{label[1]}: {NOTE[1].lower()}"),
                            kind=LONG_TEXT, max_length=500, help=note_help))
    return tuple(fields)


CEK_SISTEM = register(Form(
    "CEK-SISTEM", ("PEMERIKSAAN SISTEM SESI JARAK JAUH", "REMOTE SESSION SYSTEMS CHECK"), key="cek_sistem",
    sections=(Section("cek_sistem", ("Pemeriksaan sistem (SOP 3.1)", "Systems check (SOP 3.1)"),
                      _yes_no_rows(SYSTEMS_ITEMS, YES_NO, ("Opsional", "Optional"))),),
    signers=(Signer("admin_lsp", ("Diperiksa oleh admin LSP", "Checked by the LSP admin")),), service=SERVICE))

SESUAI = "sesuai"
TIDAK_SESUAI = "tidak_sesuai"
VERDICTS = choices((SESUAI, "Sesuai", "As required"), (TIDAK_SESUAI, "Tidak sesuai", "Not as required"))
# SOP 2.4.1: what the verifier checks of each participant's own place (the remote TUK), online
TUK_ROWS = (
    ("identitas", ("Identitas peserta", "The participant's identity")),
    ("lingkungan", ("Lingkungan (ruangan)", "Environment (the room)")),
    ("perangkat", ("Perangkat dan koneksi", "Devices and connection")),
    ("pengarahan", ("Pengarahan integritas", "Integrity briefing")),
)
LAYAK, LAYAK_DENGAN_PERBAIKAN, TIDAK_LAYAK = "layak", "layak_dengan_perbaikan", "tidak_layak"
CONCLUSIONS = choices((LAYAK, "LAYAK", "FIT"), (LAYAK_DENGAN_PERBAIKAN, "LAYAK DENGAN PERBAIKAN", "FIT WITH REPAIRS"),
                      (TIDAK_LAYAK, "TIDAK LAYAK", "NOT FIT"))

VERIFIKASI_TUK = register(Form(
    "VERIFIKASI-TUK", ("CEKLIS VERIFIKASI TUK JARAK JAUH", "REMOTE TUK VERIFICATION CHECKLIST"),
    key="verifikasi_tuk",
    sections=(Section("verifikasi", ("Verifikasi TUK daring (SOP 2.4.1)", "Online TUK verification (SOP 2.4.1)"),
                      _yes_no_rows(TUK_ROWS, VERDICTS, ("Wajib bila tidak sesuai", "Required when not as required"))),
              Section("kesimpulan", ("Kesimpulan", "Conclusion"), (
                  Field("kesimpulan", ("Kesimpulan verifikasi", "Conclusion of the verification"), kind=CHOICE,
                        required=True, choices=CONCLUSIONS),
                  Field("kesimpulan_catatan", ("Catatan kesimpulan", "Note on the conclusion"), kind=LONG_TEXT,
                        max_length=500),
              ))),
    signers=(Signer("asesor", ("Verifikator TUK", "TUK verifier")),), service=SERVICE))
