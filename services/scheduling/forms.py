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
        Field("pendaftaran_dibuka", ("Pendaftaran dibuka", "Registration opens"), kind=DATE, earliest="2000-01-01",
              example="2027-02-01", help=("Kosongkan bila asesi dapat ditempatkan kapan saja",
                                          "Leave empty to place candidates at any time")),
        Field("pendaftaran_ditutup", ("Pendaftaran ditutup", "Registration closes"), kind=DATE,
              earliest="2000-01-01", example="2027-03-10",
              help=("Paling lambat tanggal uji", "At the latest on the assessment date")),
    )),),
    signers=(Signer("admin_lsp", ("Dijadwalkan oleh admin LSP", "Scheduled by the LSP admin")),), service=SERVICE))

# The assessor's per-asesi impartiality declaration (Pernyataan Ketidakberpihakan), signed when they confirm an
# assignment: every answer must be "tidak"; a "ya" is a conflict of interest, and the assignment is declined instead.
NO_YES = choices(("tidak", "Tidak", "No"), ("ya", "Ya", "Yes"))
KETIDAKBERPIHAKAN = register(Form(
    "KETIDAKBERPIHAKAN", ("PERNYATAAN KETIDAKBERPIHAKAN ASESOR", "ASSESSOR'S IMPARTIALITY DECLARATION"),
    key="ketidakberpihakan",
    sections=(Section("pernyataan", ("Pernyataan terhadap asesi ini", "Declaration about this asesi"), (
        Field("melatih", ("Saya pernah melatih atau membimbing asesi ini", "I have trained or coached this asesi"),
              kind=CHOICE, required=True, choices=NO_YES),
        Field("institusi_sama", ("Saya berasal dari institusi/perusahaan yang sama dengan asesi",
                                 "I am from the asesi's institution/company"), kind=CHOICE, required=True,
              choices=NO_YES),
        Field("hubungan_keluarga", ("Saya memiliki hubungan keluarga dengan asesi", "I am related to the asesi"),
              kind=CHOICE, required=True, choices=NO_YES),
        Field("kepentingan_lain", ("Ada kepentingan lain yang dapat memengaruhi objektivitas saya",
                                   "Another interest could affect my objectivity"), kind=CHOICE, required=True,
              choices=NO_YES),
    )),),
    signers=(Signer("asesor", ("Asesor kompetensi", "Competency assessor")),), service=SERVICE))

# -- the official letters (SOP 1.4, 1.6.5-1.6.6): what each says is declared once; the letter's PDF prints
# these fields and the ketua LSP's signature hashes exactly them (form.content) ------------------------------

LETTER_KINDS = (("sk_tuk", "SK Penetapan TUK", "Decree appointing a TUK"),
                ("spt_asesor", "SPT Asesor", "Assessor's letter of assignment"),
                ("spt_verifikasi", "SPT Verifikasi TUK", "TUK verification assignment"))
KETUA = Signer("ketua_lsp", ("Ketua LSP", "Head of the LSP"))
PLACES = choices(("ya", "Jarak jauh (online)", "Remote (online)"), ("tidak", "Tatap muka di lokasi", "On site"))


def _letter(*fields: Field) -> Section:
    return Section("surat", ("Surat", "Letter"), (
        Field("nomor", ("Nomor", "Number"), required=True, max_length=80),
        Field("tanggal_surat", ("Tanggal surat", "Date of the letter"), kind=DATE, required=True,
              earliest="2000-01-01", example="2026-11-24"),
        Field("cabang", ("LSP", "LSP"), required=True, max_length=160,
              help=("Cabang LSP yang menerbitkan", "The LSP branch issuing it")),
        *fields))


def _session(*first: Field) -> Section:
    """Where and when the assignment is carried out: the schedule and its TUK."""
    return Section("tugas", ("Tugas", "Assignment"), (
        *first,
        Field("skema", ("Skema sertifikasi", "Certification scheme"), required=True, max_length=200),
        Field("tanggal", ("Tanggal", "Date"), kind=DATE, required=True, earliest="2000-01-01", example="2027-03-15"),
        Field("waktu", ("Waktu", "Time"), required=True, max_length=40,
              pattern=r"([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9] WIB",
              format=("jam JJ:MM-JJ:MM WIB", "time HH:MM-HH:MM WIB"), example="08:00-16:00 WIB"),
        Field("tuk", ("Tempat Uji Kompetensi (TUK)", "Test centre (TUK)"), required=True, max_length=120),
        Field("pelaksanaan", ("Pelaksanaan", "How it is held"), kind=CHOICE, required=True, choices=PLACES),
        Field("alamat", ("Alamat TUK", "The TUK's address"), kind=LONG_TEXT, max_length=300),
    ))


SK_TUK = register(Form(
    "SK-TUK", ("SURAT KEPUTUSAN PENETAPAN TEMPAT UJI KOMPETENSI", "DECREE APPOINTING A TEST CENTRE (TUK)"),
    key="sk_tuk",
    sections=(_letter(), Section("tuk", ("Tempat Uji Kompetensi yang ditetapkan", "The test centre appointed"), (
        Field("nama_tuk", ("Nama TUK", "Name of the TUK"), required=True, max_length=120),
        Field("jenis", ("Jenis TUK", "Kind of TUK"), kind=CHOICE, required=True, choices=choices(*KINDS)),
        Field("pelaksanaan", ("Pelaksanaan", "How it is held"), kind=CHOICE, required=True, choices=PLACES),
        Field("alamat", ("Alamat", "Address"), kind=LONG_TEXT, max_length=300),
        Field("kapasitas", ("Kapasitas (asesi per sesi)", "Capacity (candidates per session)"), kind=NUMBER,
              required=True, pattern=r"[1-9][0-9]{0,2}", format=("angka 1-999", "a number 1-999"), example="20"),
        Field("berlaku_sampai", ("Berlaku sampai", "Valid until"), kind=DATE, required=True, earliest="2000-01-01",
              example="2029-12-31"),
    ))), signers=(KETUA,), service=SERVICE))

SPT_ASESOR = register(Form(
    "SPT-ASESOR", ("SURAT PERINTAH TUGAS", "LETTER OF ASSIGNMENT"), key="spt_asesor",
    sections=(_letter(), Section("penerima", ("Yang ditugaskan", "Assigned to"), (
        Field("nama", ("Nama", "Name"), required=True, max_length=120),
        Field("nomor_met", ("No. Reg. MET", "MET registration number"), required=True, max_length=40,
              pattern=r"MET\.\d{3}\.\d{6}[ .]\d{4}", format=("nomor MET", "MET number"),
              example="MET.000.001668.2012"),
        Field("sebagai", ("Sebagai", "As"), required=True, max_length=60),
    )), _session(), Section("asesi", ("Asesi", "Candidates"), (
        Field("jumlah_asesi", ("Jumlah asesi", "Number of candidates"), kind=NUMBER, required=True,
              pattern=r"[0-9]{1,3}", format=("angka 0-999", "a number 0-999"), example="5"),
    ))), signers=(KETUA,), service=SERVICE))

SPT_VERIFIKASI = register(Form(
    "SPT-VERIFIKASI", ("SURAT PERINTAH TUGAS VERIFIKASI TUK", "LETTER OF ASSIGNMENT: TUK VERIFICATION"),
    key="spt_verifikasi",
    sections=(_letter(), Section("penerima", ("Yang ditugaskan", "Assigned to"), (
        Field("nama", ("Nama", "Name"), required=True, max_length=120),
        Field("jabatan", ("Jabatan", "Position"), required=True, max_length=60),
        Field("sebagai", ("Sebagai", "As"), required=True, max_length=60),
    )), _session()), signers=(KETUA,), service=SERVICE))

LETTER_FORMS = {"sk_tuk": SK_TUK, "spt_asesor": SPT_ASESOR, "spt_verifikasi": SPT_VERIFIKASI}

# how a branch numbers its letters of one kind (the admin LSP's page /penjadwalan/surat/penomoran)
PENOMORAN = register(Form(
    "PENOMORAN", ("PENOMORAN SURAT", "LETTER NUMBERING"), key="penomoran_surat",
    sections=(Section("penomoran", ("Format nomor surat", "Number format"), (
        Field("pola", ("Pola nomor", "Pattern"), required=True, max_length=80,
              help=("Penanda: {nomor} {kode} {bulan_romawi} {bulan} {tahun}",
                    "Placeholders: {nomor} {kode} {bulan_romawi} {bulan} {tahun}")),
        Field("kode", ("Kode LSP pada nomor", "The LSP's code in the number"), required=True, max_length=20,
              pattern=r"[A-Za-z0-9.-]{1,20}", format=("huruf, angka, titik atau tanda hubung",
                                                      "letters, digits, dots or hyphens"), example="LSP-K3"),
        Field("lebar", ("Jumlah digit nomor urut", "Digits of the running number"), kind=NUMBER, required=True,
              pattern=r"[1-6]", format=("angka 1-6", "a number 1-6"), example="3"),
        Field("reset_tahunan", ("Nomor urut mulai dari 1 setiap tahun", "The running number restarts every year"),
              kind=CHOICE, required=True, choices=choices(("ya", "Ya", "Yes"), ("tidak", "Tidak", "No"))),
    )),), signers=(Signer("admin_lsp", ("Ditetapkan oleh admin LSP", "Set by the LSP admin")),), service=SERVICE))


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
