"""Scheduling's interface text: Bahasa Indonesia first, then English."""

TEXT: dict[str, tuple[str, str]] = {
    # the TUK registry (web.py, SOP 1.4)
    "tuk_registry": ("Daftar Tempat Uji Kompetensi (TUK)", "Test centre (TUK) registry"),
    "tuk_name": ("Nama TUK", "TUK"),
    "tuk_kind": ("Jenis", "Kind"),
    "tuk_where": ("Tempat", "Where"),
    "tuk_capacity": ("Kapasitas", "Capacity"),
    "tuk_sewaktu": ("TUK Sewaktu", "Temporary (Sewaktu)"),
    "tuk_tempat_kerja": ("TUK Tempat Kerja", "Workplace"),
    "tuk_mandiri": ("TUK Mandiri", "Independent (Mandiri)"),
    "tuk_online": ("Jarak jauh (online)", "Remote (online)"),
    "tuk_status_aktif": ("Aktif", "In use"),
    "tuk_status_nonaktif": ("Nonaktif", "Not in use"),
    "tuk_none": ("Belum ada TUK terdaftar.", "No TUK registered yet."),
    "tuk_new": ("Tambah TUK", "Add a TUK"),
    "tuk_edit": ("Ubah data TUK", "Edit the TUK"),
    "tuk_deactivate": ("Nonaktifkan TUK", "Take the TUK out of use"),
    "tuk_activate": ("Aktifkan kembali", "Put back into use"),
    "valid_until_short": ("s.d.", "until"),
    # the assessor registry (web.py, SOP 1.5)
    "assessor_registry": ("Daftar asesor kompetensi", "Competency assessors"),
    "met_valid_until": ("Registrasi MET berlaku sampai", "MET registration valid until"),
    "schemes_held": ("Skema", "Schemes"),
    "met_expired_rcc": ("Kedaluwarsa: perlu RCC sebelum ditugaskan", "Expired: needs renewal (RCC) before assigning"),
    "met_expires_in": ("Berakhir dalam", "Expires in"),
    "days": ("hari", "days"),
    "no_assessors": ("Belum ada asesor terdaftar.", "No assessor registered yet."),
    # schedules (web.py, SOP 1.6)
    "schedule": ("Jadwal uji kompetensi", "Assessment session"),
    "join_session": ("Masuk ke sesi (konferensi video)", "Join the session (video conference)"),
    "schedules": ("Jadwal uji kompetensi", "Assessment schedules"),
    "schedule_when": ("Waktu", "When"),
    "seats": ("Kursi terisi", "Seats taken"),
    "below_minimum": ("di bawah kuota minimal", "below the minimum"),
    "schedule_terjadwal": ("Terjadwal", "Scheduled"),
    "schedule_selesai": ("Selesai", "Done"),
    "schedule_dibatalkan": ("Dibatalkan", "Cancelled"),
    "no_schedules": ("Belum ada jadwal.", "No schedules yet."),
    "new_schedule": ("Buat jadwal", "New schedule"),
    "register_a_tuk_first": ("Daftarkan TUK terlebih dahulu:", "Register a TUK first:"),
    "video_link": ("Tautan konferensi video", "Video-conference link"),
    "minimum": ("minimal", "minimum"),
    "participants": ("Peserta", "Participants"),
    "no_participants": ("Belum ada peserta.", "No participants yet."),
    "place_case": ("Tempatkan asesi", "Place a candidate"),
    "place": ("Tempatkan", "Place"),
    "placed": ("Asesi ditempatkan.", "Candidate placed."),
    "no_cases_waiting": ("Tidak ada asesi skema ini yang menunggu jadwal.",
                         "No candidate of this scheme is waiting for a schedule."),
    "scheduling_queue": ("Penugasan asesor", "Assigning assessors"),
    "awaiting_assessor": ("Menunggu asesor", "Waiting for an assessor"),
    "feasible_since": ("layak sejak", "feasible since"),
    "active_cases": ("kasus aktif", "active cases"),
    "assign": ("Tugaskan", "Assign"),
    "assigned": ("Asesor ditugaskan.", "Assessor assigned."),
    "assigned_cases": ("Sudah ditugaskan", "Assigned"),
    "met_expired": ("MET kedaluwarsa", "MET expired"),
    "assessor_full": ("kuota penuh", "fully booked"),
    "no_competent_assessor": ("Belum ada asesor terdaftar yang kompeten untuk skema ini.",
                              "No registered assessor is competent in this scheme yet."),
}

# Domain errors: the English template as raised -> Indonesian, with the same {placeholders}
ERRORS: dict[str, str] = {
    "the asesi already has a session at that time ({date} {start}-{end} WIB)":
        "asesi sudah memiliki sesi pada waktu tersebut ({date} {start}-{end} WIB)",
    "the schedule must end after it starts": "jadwal harus selesai setelah dimulai",
    "a schedule cannot be set in the past": "jadwal tidak dapat ditetapkan pada tanggal yang sudah lewat",
    "the minimum quota cannot exceed the maximum": "kuota minimal tidak boleh melebihi kuota maksimal",
    "this TUK is not in use": "TUK ini sedang tidak digunakan (nonaktif)",
    "the maximum quota exceeds the TUK's capacity of {capacity}":
        "kuota maksimal melebihi kapasitas TUK ({capacity})",
    "a remote schedule needs its video-conference link":
        "jadwal jarak jauh wajib mencantumkan tautan konferensi video",
    "the TUK belongs to another branch": "TUK ini terdaftar di cabang lain",
    "this case is already placed in this schedule": "berkas ini sudah ditempatkan pada jadwal ini",
    "the case applied for scheme {scheme}, not this schedule's":
        "berkas ini untuk skema {scheme}, bukan skema jadwal ini",
    "the schedule is full ({count} of {quota} seats)": "jadwal sudah penuh ({count} dari {quota} kursi)",
    "the case already has a place in a schedule": "berkas ini sudah mendapat tempat pada sebuah jadwal",
    "an on-site TUK needs its address": "TUK tatap muka wajib mencantumkan alamat",
    "the TUK's decree needs both its number and its validity": "SK TUK harus berisi nomor dan masa berlakunya",
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
}

# event type -> its step on the audit trail
STEPS: dict[str, tuple[str, str]] = {
    "CalendarOpened": ("Kalender sesi dibuka", "Session calendar opened"),
    "SessionBooked": ("Sesi dicatat pada kalender", "Session booked on the calendar"),
    "ScheduleCreated": ("Jadwal uji kompetensi dibuat", "Assessment schedule created"),
    "CasePlaced": ("Asesi ditempatkan pada jadwal", "Candidate placed in a schedule"),
    "CaseScheduled": ("Jadwal uji kompetensi ditetapkan", "Assessment scheduled"),
    "TukRegistered": ("TUK didaftarkan", "TUK registered"),
    "TukRevised": ("Data TUK diubah", "TUK revised"),
    "TukStatusSet": ("Status TUK diubah", "TUK status changed"),
    "CaseOpened": ("Kasus dibuka untuk penjadwalan", "Case opened for scheduling"),
    "AssessorAssigned": ("Asesor ditugaskan", "Assessor assigned"),
    "CaseCompleted": ("Kasus selesai", "Case completed"),
}

# the fields, statuses and actions its errors name, in Indonesian
TERMS: dict[str, str] = {
    "TUK": "TUK", "tuk_id": "TUK", "schedule": "jadwal", "schedule_id": "jadwal",
    "awaiting_assessor": "menunggu asesor", "assigned": "asesor ditugaskan", "completed": "selesai",
}


# ---- official letters (SOP 1.4, 1.6.5-1.6.6) ------------------------------------------------------------------

TEXT.update({
    "letters": ("Surat keputusan dan surat tugas", "Decrees and letters of assignment"),
    "my_letters": ("Surat tugas saya", "My letters of assignment"),
    "letter_sk_tuk": ("SK Penetapan TUK", "Decree appointing a TUK"),
    "letter_spt_asesor": ("SPT Asesor", "Assessor's letter of assignment (SPT)"),
    "letter_spt_verifikasi": ("SPT Verifikasi TUK", "Letter of assignment to verify a TUK"),
    "letter_kind": ("Jenis surat", "Kind"),
    "letter_number": ("Nomor surat", "Number"),
    "letter_about": ("Perihal", "About"),
    "letter_status_draft": ("Draf (belum ditandatangani)", "Draft (not signed yet)"),
    "letter_status_signed": ("Ditandatangani Ketua LSP", "Signed by the head of the LSP"),
    "letter_status_received": ("Diterima", "Received"),
    "no_letters": ("Belum ada surat.", "No letters yet."),
    "letters_to_sign": ("Menunggu tanda tangan Anda", "Waiting for your signature"),
    "no_letters_to_sign": ("Tidak ada surat yang menunggu tanda tangan.", "No letter is waiting to be signed."),
    "review_and_sign": ("Periksa dan tanda tangani", "Review and sign"),
    "issue_sk_tuk": ("Terbitkan SK Penetapan TUK", "Issue a decree appointing a TUK"),
    "decree_valid_until": ("SK berlaku sampai", "Decree valid until"),
    "issue_sk": ("Terbitkan SK", "Issue the decree"),
    "issue_spt": ("Terbitkan surat perintah tugas (SPT)", "Issue letters of assignment (SPT)"),
    "asesi_in_schedule": ("asesi pada jadwal ini", "candidates in this schedule"),
    "issue_spt_asesor": ("Terbitkan SPT Asesor", "Issue the assessor's SPT"),
    "tuk_verifier": ("Verifikator TUK", "TUK verifier"),
    "issue_spt_verifikasi": ("Terbitkan SPT Verifikasi TUK", "Issue the TUK verification SPT"),
    "download_pdf": ("Unduh PDF", "Download the PDF"),
    "letter_history": ("Riwayat surat", "The letter's history"),
    "step_letter_issued": ("Diterbitkan admin LSP", "Issued by the LSP admin"),
    "step_letter_signed": ("Ditandatangani Ketua LSP", "Signed by the head of the LSP"),
    "step_letter_received": ("Diterima oleh yang ditugaskan", "Received by the addressee"),
    "sign_letter": ("Tanda tangani surat", "Sign the letter"),
    "sign_letter_explained": ("Anda menandatangani isi surat di atas persis seperti tertulis (termasuk nomornya). "
                              "Tanda tangan elektronik mencatat nama Anda, waktu, dan SHA-256 isi tersebut.",
                              "You sign the letter's content above exactly as written (its number included). The "
                              "e-signature records your name, the time and the SHA-256 of that content."),
    "sign_letter_confirm": ("Saya telah memeriksa isi surat ini dan menandatanganinya sebagai Ketua LSP.",
                            "I have checked this letter and sign it as the head of the LSP."),
    "confirm_receipt": ("Saya telah menerima surat ini", "I have received this letter"),
    "letter_issued": ("Surat diterbitkan.", "Letter issued."),
    "letter_exists": ("Surat ini sudah diterbitkan sebelumnya (nomornya tetap).",
                      "This letter was already issued (its number stays)."),
    "letter_signed": ("Surat ditandatangani.", "Letter signed."),
    "letter_received": ("Penerimaan surat dicatat.", "Receipt recorded."),
    "letter_numbering": ("Penomoran surat", "Letter numbering"),
    "letter_numbering_explained": (
        "Atur format nomor tiap jenis surat. Penanda: {nomor} nomor urut, {kode} kode LSP, {bulan_romawi} bulan "
        "(I-XII), {bulan} bulan (01-12), {tahun} tahun. Perubahan berlaku untuk surat berikutnya.",
        "Set the number format of each kind of letter. Placeholders: {nomor} running number, {kode} the LSP's "
        "code, {bulan_romawi} month (I-XII), {bulan} month (01-12), {tahun} year. Changes apply from the next letter."),
    "next_letter_number": ("Nomor surat berikutnya", "Next letter's number"),
    "preview_number": ("Pratinjau nomor berikutnya dengan format ini", "The next number in this format"),
    "preview": ("Pratinjau", "Preview"),
})

ERRORS.update({
    "not a kind of letter: {kind}": "bukan jenis surat yang dikenal: {kind}",
    "the pattern has an unmatched brace": "pola nomor memiliki kurung kurawal yang tidak berpasangan",
    "unknown placeholder in the pattern: {names}; use {known}":
        "penanda tidak dikenal pada pola nomor: {names}; gunakan {known}",
    "the pattern needs the running number {{nomor}}": "pola nomor wajib memuat nomor urut {{nomor}}",
    "a number restarting every year needs the year {{tahun}} in the pattern":
        "nomor urut yang dimulai ulang setiap tahun wajib memuat tahun {{tahun}} pada pola",
    "only the ketua LSP signs letters": "hanya Ketua LSP yang dapat menandatangani surat",
    "only the addressee can confirm receiving this letter":
        "hanya pihak yang ditugaskan dalam surat ini yang dapat mengonfirmasi penerimaannya",
    "name the person the letter assigns": "sebutkan orang yang ditugaskan dalam surat ini",
    "the decree needs the date it is valid until": "SK wajib mencantumkan tanggal berlakunya",
    "the decree must be valid after the day it is issued": "masa berlaku SK harus setelah tanggal penerbitannya",
    "a letter of assignment is issued only for a schedule still to be held (this one is '{status}')":
        "surat tugas hanya diterbitkan untuk jadwal yang belum dilaksanakan (jadwal ini berstatus '{status}')",
    "{name} is not assigned to this schedule": "{name} tidak ditugaskan pada jadwal ini",
    "must be a user of this branch with the role asesor or admin LSP":
        "harus pengguna cabang ini dengan peran asesor atau admin LSP",
})

STEPS.update({
    "LetterNumberingSet": ("Format penomoran surat ditetapkan", "Letter numbering set"),
    "LetterNumberingChanged": ("Format penomoran surat diubah", "Letter numbering changed"),
    "LetterCounterOpened": ("Nomor urut surat tahun ini dibuka", "This year's letter count opened"),
    "LetterNumberTaken": ("Nomor surat diambil", "Letter number taken"),
    "LetterIssued": ("Surat diterbitkan admin LSP", "Letter issued by the LSP admin"),
    "LetterSigned": ("Surat ditandatangani Ketua LSP", "Letter signed by the head of the LSP"),
    "LetterReceiptConfirmed": ("Penerimaan surat dikonfirmasi", "Receipt of the letter confirmed"),
})

TERMS.update({"letter": "surat", "letter_id": "surat", "signed": "ditandatangani", "received": "diterima"})
