"""The official forms registration owns, each defined once (shared/forms.py): FR.APL.01 (the application),
its recommendation part filled in by the LSP, FR.APL.02 (the self-assessment grid) and the feasibility
review of SOP 1.3. The domain's checks, the API's request model for Bagian 1, the sealed fields and the
PDFs (documents.py) are derived from them."""
from shared.forms import (
    CHOICE,
    DATE,
    EMAIL,
    LONG_TEXT,
    PHONE,
    POSTCODE,
    Field,
    Form,
    Grid,
    Section,
    Signer,
    choices,
    register,
)

SERVICE = "registration"
NIK = ("NIK 16 digit atau nomor paspor (huruf besar dan angka)",
       "16-digit NIK or passport number (capital letters and digits)")
EDUCATION = ("SD", "SMP", "SMA/SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3")

# Bagian 1 (a) data pribadi and (b) data pekerjaan sekarang: names as on the form. Sealed: every field that
# identifies or reaches the person (identity number, birth, home and office address, phones, e-mail). The
# name stays plain (it is the account's display name and is printed on the public certificate), and so do
# the employer and job title, which alone identify no one and which conflict-of-interest checks compare.
# Job data is optional: not every asesi is employed.
DATA_PRIBADI = Section("data_pribadi", ("Bagian 1 (a): Data Pribadi", "Part 1 (a): Personal data"), (
    Field("nama_lengkap", ("Nama lengkap", "Full name"), required=True),
    Field("nik", ("No. KTP/NIK/Paspor", "Identity card (NIK) or passport number"), required=True, sealed=True,
          pattern=r"[0-9]{16}|[A-Z0-9]{6,20}", format=NIK, example="3273015505900001"),
    Field("tempat_lahir", ("Tempat lahir", "Place of birth"), required=True, sealed=True),
    Field("tanggal_lahir", ("Tanggal lahir", "Date of birth"), kind=DATE, required=True, sealed=True,
          earliest="1900-01-01", latest="today"),
    Field("jenis_kelamin", ("Jenis kelamin", "Sex"), kind=CHOICE, required=True,
          choices=choices(("L", "Laki-laki", "Male"), ("P", "Perempuan", "Female"))),
    Field("kebangsaan", ("Kebangsaan", "Nationality"), required=True),
    Field("alamat_rumah", ("Alamat rumah", "Home address"), required=True, sealed=True),
    Field("kode_pos", ("Kode pos", "Postcode"), kind=POSTCODE, required=True, sealed=True),
    Field("telp_rumah", ("Telp. rumah", "Home phone"), kind=PHONE, sealed=True),
    Field("hp", ("No. HP", "Mobile phone"), kind=PHONE, required=True, sealed=True,
          pattern=r"\+?[0-9][0-9 -]{7,18}", format=("nomor HP", "mobile phone number"), example="081234567890"),
    Field("email", ("E-mail", "E-mail"), kind=EMAIL, required=True, sealed=True),
    Field("kualifikasi_pendidikan", ("Kualifikasi pendidikan", "Education"), kind=CHOICE, required=True,
          choices=choices(*EDUCATION)),
))
DATA_PEKERJAAN = Section("data_pekerjaan", ("Bagian 1 (b): Data Pekerjaan Sekarang", "Part 1 (b): Current job"), (
    Field("institusi", ("Nama institusi/perusahaan", "Institution/company"), max_length=300),
    Field("jabatan", ("Jabatan", "Position")),
    Field("alamat_kantor", ("Alamat kantor", "Office address"), sealed=True),
    Field("kode_pos_kantor", ("Kode pos kantor", "Office postcode"), kind=POSTCODE, sealed=True),
    Field("telp_kantor", ("Telp. kantor", "Office phone"), kind=PHONE, sealed=True),
    Field("fax_kantor", ("Fax kantor", "Office fax"), kind=PHONE, sealed=True, format=("nomor faks", "fax number")),
    Field("email_kantor", ("E-mail kantor", "Office e-mail"), kind=EMAIL, sealed=True),
))
# Bagian 2: the scheme (its units print from the case's scheme version) and the purpose of the assessment
DATA_SERTIFIKASI = Section("data_sertifikasi", ("Bagian 2: Data Sertifikasi", "Part 2: Certification"), (
    Field("purpose", ("Tujuan asesmen", "Purpose of assessment"), kind=CHOICE, required=True, choices=choices(
        "Sertifikasi", "Sertifikasi Ulang",
        ("PKT", "Pengakuan Kompetensi Terkini", "Recognition of current competency"),
        ("RPL", "Rekognisi Pembelajaran Lampau", "Recognition of prior learning"), ("Lainnya", "Lainnya", "Other"))),
))
PURPOSES = tuple(c.value for c in DATA_SERTIFIKASI.fields[0].choices)
# Bagian 3, the requirement documents, are files named by each scheme (uploaded, then given a verdict), not
# fields of the form: they print from the case (documents.py).

APL01 = register(Form(
    "FR.APL.01", ("PERMOHONAN SERTIFIKASI KOMPETENSI", "APPLICATION FOR COMPETENCY CERTIFICATION"),
    sections=(DATA_PRIBADI, DATA_PEKERJAAN, DATA_SERTIFIKASI),
    signers=(Signer("asesi", ("Pemohon", "Applicant")),), service=SERVICE))
BAGIAN_1 = APL01.part("data_pribadi", "data_pekerjaan")  # what PUT .../personal-data saves

# FR.APL.01's recommendation, filled in and signed by the admin LSP (SOP 1.2.2)
REKOMENDASI = register(Form(
    "FR.APL.01", ("REKOMENDASI (DIISI OLEH LSP)", "RECOMMENDATION (FILLED IN BY THE LSP)"), key="FR.APL.01/rekomendasi",
    sections=(Section("rekomendasi", ("Rekomendasi", "Recommendation"), (
        Field("recommendation", ("Rekomendasi", "Recommendation"), kind=CHOICE, required=True,
              choices=choices(("diterima", "Diterima", "Accepted"),
                              ("tidak_diterima", "Tidak diterima", "Not accepted")),
              help=("Berdasarkan ketentuan persyaratan dasar, pemohon diterima / tidak diterima sebagai peserta "
                    "sertifikasi", "Under the basic requirements, the applicant is accepted / not accepted")),
        Field("notes", ("Catatan", "Notes"), kind=LONG_TEXT, max_length=2000),
    )),),
    signers=(Signer("admin_lsp", ("Admin LSP", "LSP admin")),), service=SERVICE))

APL02 = register(Form(
    "FR.APL.02", ("ASESMEN MANDIRI", "SELF-ASSESSMENT"),
    grid=Grid("asesmen_mandiri", ("Asesmen mandiri: dapatkah saya ...?", "Self-assessment: can I ...?"),
              answers=choices(("K", "Kompeten", "Competent"), ("BK", "Belum kompeten", "Not yet competent"))),
    signers=(Signer("asesi", ("Asesi", "Candidate")),
             Signer("asesor", ("Ditinjau oleh asesor", "Reviewed by the assessor"))), service=SERVICE))

# SOP 1.3: the admin's review of FR.APL.01 and FR.APL.02 together (the API sends `feasible` as true/false)
KELAYAKAN = register(Form(
    "SOP 1.3", ("KAJI ULANG KELAYAKAN PERMOHONAN", "FEASIBILITY REVIEW OF THE APPLICATION"), key="kelayakan",
    sections=(Section("kelayakan", ("Hasil kaji ulang", "Review"), (
        Field("feasible", ("Kelayakan", "Feasibility"), kind=CHOICE, required=True,
              choices=choices(("layak", "Layak", "Feasible"), ("tidak_layak", "Tidak layak", "Not feasible"))),
        Field("notes", ("Catatan", "Notes"), kind=LONG_TEXT, max_length=2000,
              help=("Wajib diisi bila tidak layak", "Required when not feasible")),
    )),),
    signers=(Signer("admin_lsp", ("Admin LSP", "LSP admin")),), service=SERVICE))


def feasibility_values(feasible: bool, notes: str) -> dict[str, str]:
    """The API's true/false as the form's choice."""
    return {"feasible": "layak" if feasible else "tidak_layak", "notes": notes}


FORMS = (APL01, REKOMENDASI, APL02, KELAYAKAN)
