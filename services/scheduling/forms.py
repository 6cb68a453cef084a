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
