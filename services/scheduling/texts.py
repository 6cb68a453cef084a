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


# ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------------

TEXT.update({
    "session_prep": ("Persiapan sesi", "Session preparation"),
    "systems_check": ("Pemeriksaan sistem (SOP 3.1)", "Systems check (SOP 3.1)"),
    "systems_checked_by": ("Terakhir diperiksa oleh", "Last checked by"),
    "systems_not_checked": ("Sistem belum diperiksa.", "The systems have not been checked yet."),
    "save_systems_check": ("Simpan dan tanda tangani pemeriksaan", "Save and sign the check"),
    "room_plan": ("Ruang (breakout room) dan rundown (SOP 3.2)", "Breakout rooms and rundown (SOP 3.2)"),
    "room_plan_hint": ("Satu ruang untuk setiap asesi bersama asesornya. Usulan awal: Ruang 1..N sesuai urutan "
                       "kursi. Menyimpan rencana mengirim undangan kepada setiap peserta.",
                       "One room per candidate with their assessor. Proposed: Room 1..N in seat order. Saving the "
                       "plan sends each participant their invitation."),
    "session_room": ("Ruang", "Room"),
    "session_assessor": ("Asesor", "Assessor"),
    "no_assessor_yet": ("belum ditugaskan", "not assigned yet"),
    "rundown": ("Rundown (susunan acara)", "Rundown"),
    "rundown_time": ("Waktu (WIB)", "Time (WIB)"),
    "rundown_activity": ("Kegiatan", "Activity"),
    "save_room_plan": ("Simpan rencana dan kirim undangan", "Save the plan and send the invitations"),
    "rooms_not_planned": ("Rencana ruang belum disimpan.", "The room plan has not been saved yet."),
    "rooms_planned_on": ("Rencana ruang disimpan", "Room plan saved"),
    "prep_only_remote": ("Persiapan sesi jarak jauh hanya untuk jadwal di TUK jarak jauh.",
                         "Remote session preparation is for schedules at a remote TUK only."),
    "tuk_verification": ("Verifikasi TUK (SOP 2.4.1)", "TUK verification (SOP 2.4.1)"),
    "tuk_verification_short": ("Verifikasi TUK", "TUK verification"),
    "verifier": ("Verifikator", "Verifier"),
    "appoint_verifier": ("Tetapkan verifikator", "Appoint the verifier"),
    "no_verifier": ("Belum ada verifikator.", "No verifier appointed yet."),
    "verification_pending": ("Belum diverifikasi", "Not verified yet"),
    "verification_only_sewaktu": ("Verifikasi TUK daring hanya untuk TUK Sewaktu jarak jauh.",
                                  "Online TUK verification is for a remote TUK Sewaktu only."),
    "conclusion_layak": ("LAYAK", "FIT"),
    "conclusion_layak_dengan_perbaikan": ("LAYAK DENGAN PERBAIKAN", "FIT WITH REPAIRS"),
    "conclusion_tidak_layak": ("TIDAK LAYAK", "NOT FIT"),
    "needs_reschedule": ("Perlu dijadwalkan ulang", "Needs a new schedule"),
    "reschedule_tuk_tidak_layak": ("Perlu dijadwalkan ulang: TUK diverifikasi TIDAK LAYAK",
                                   "Needs a new schedule: the TUK was verified NOT FIT"),
    "systems_saved": ("Pemeriksaan sistem disimpan.", "Systems check saved."),
    "rooms_saved": ("Rencana ruang disimpan; undangan dikirim.", "Room plan saved; invitations sent."),
    "verifier_saved": ("Verifikator ditetapkan.", "Verifier appointed."),
    "verification_saved": ("Verifikasi TUK disimpan dan ditandatangani.", "TUK verification saved and signed."),
    "my_verifications": ("Verifikasi TUK jarak jauh", "Remote TUK verification"),
    "no_verifications": ("Belum ada jadwal yang Anda verifikasi.", "No schedule for you to verify yet."),
    "verify_participant": ("Ceklis verifikasi", "Verification checklist"),
    "sign_verification": ("Simpan dan tanda tangani verifikasi", "Save and sign the verification"),
    "verified_by": ("diverifikasi oleh", "verified by"),
    "invitation": ("Undangan sesi", "Session invitation"),
    "download_ics": ("Tambahkan ke kalender (.ics)", "Add to calendar (.ics)"),
    "download_card": ("Unduh kartu peserta (PDF)", "Download the participant card (PDF)"),
})

ERRORS.update({
    "not possible while the schedule is '{status}'": "tidak dapat dilakukan saat jadwal berstatus '{status}'",
    "only a remote schedule (online TUK) is prepared this way":
        "persiapan ini hanya untuk jadwal di TUK jarak jauh (daring)",
    "case {case} is not seated in this schedule": "berkas {case} tidak terdaftar sebagai peserta jadwal ini",
    "every participant needs a room name (up to 60 characters)":
        "setiap peserta harus diberi nama ruang (paling banyak 60 karakter)",
    "two asesi cannot share the room {room}": "dua asesi tidak boleh berada di ruang yang sama ({room})",
    "every seated participant needs a room; missing: {cases}":
        "setiap peserta jadwal harus diberi ruang; belum ada ruang untuk: {cases}",
    "a rundown has at most {count} lines": "rundown paling banyak {count} baris",
    "each rundown line needs its time as HH:MM or HH:MM-HH:MM":
        "setiap baris rundown harus berisi waktu berformat JJ:MM atau JJ:MM-JJ:MM",
    "each rundown line needs its activity (up to 200 characters)":
        "setiap baris rundown harus berisi kegiatan (paling banyak 200 karakter)",
    "only a remote TUK Sewaktu is verified online": "verifikasi TUK daring hanya untuk TUK Sewaktu jarak jauh",
    "a row found 'tidak sesuai' needs a note saying why":
        "baris yang dinilai 'tidak sesuai' wajib diberi catatan alasannya",
    "LAYAK cannot be concluded with a row 'tidak sesuai'; at least LAYAK DENGAN PERBAIKAN":
        "kesimpulan LAYAK tidak dapat diberikan bila ada baris 'tidak sesuai'; minimal LAYAK DENGAN PERBAIKAN",
    "only the verifier appointed on this schedule signs its TUK verification":
        "hanya verifikator yang ditetapkan pada jadwal ini yang dapat menandatangani verifikasi TUK-nya",
    "the verifier must be a user of this branch with the role asesor or admin LSP":
        "verifikator harus pengguna cabang ini dengan peran asesor atau admin LSP",
})

STEPS.update({
    "SessionPlanOpened": ("Persiapan sesi dibuka", "Session preparation opened"),
    "SystemsChecked": ("Sistem sesi jarak jauh diperiksa", "Remote session systems checked"),
    "RoomsPlanned": ("Ruang dan rundown sesi disusun", "Session rooms and rundown planned"),
    "VerifierAppointed": ("Verifikator TUK ditetapkan", "TUK verifier appointed"),
    "InvitationOpened": ("Undangan sesi disiapkan", "Session invitation prepared"),
    "InvitationIssued": ("Undangan sesi dikirim", "Session invitation sent"),
    "TukVerificationOpened": ("Verifikasi TUK dibuka", "TUK verification opened"),
    "TukVerified": ("TUK diverifikasi", "TUK verified"),
    "CaseHeldForReschedule": ("Berkas perlu dijadwalkan ulang", "Case needs a new schedule"),
})

TERMS.update({
    "rooms": "ruang", "rundown": "rundown", "verifier": "verifikator", "kesimpulan": "kesimpulan",
    "terjadwal": "terjadwal", "selesai": "selesai", "dibatalkan": "dibatalkan", "session plan": "persiapan sesi",
})
