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
    # placing, appointing, confirming, delegating, rescheduling (web.py, SOP 1.5, 1.6.4)
    "awaiting_schedule": ("Menunggu jadwal", "Waiting for a session"),
    "no_open_schedule": ("Belum ada jadwal skema ini dengan kursi kosong.",
                         "No session of this scheme has a free seat."),
    "asesi_per_assessor_rule": ("Batas asesi per asesor dalam satu sesi:", "Limit of candidates per assessor in one "
                                "session:"),
    "asesi_in_session": ("asesi di sesi ini", "candidates in this session"),
    "awaiting_confirmation": ("Menunggu konfirmasi asesor", "Waiting for the assessor's confirmation"),
    "appointed_on": ("ditunjuk", "appointed"),
    "appointed": ("Asesor ditunjuk; menunggu konfirmasi asesor.", "Assessor appointed; waiting for their "
                  "confirmation."),
    "delegated": ("Penugasan didelegasikan; menunggu konfirmasi asesor baru.",
                  "Assignment delegated; waiting for the new assessor's confirmation."),
    "rescheduled": ("Asesi dijadwal ulang.", "Candidate rescheduled."),
    "schedule_cancel": ("Batalkan jadwal", "Cancel the schedule"),
    "schedule_finish": ("Nyatakan selesai", "Mark as held"),
    "schedule_status_saved": ("Status jadwal disimpan.", "Schedule status saved."),
    "registration_window": ("Pendaftaran", "Registration"),
    "assessor_inactive": ("nonaktif", "inactive"),
    "conflict_of_interest": ("konflik kepentingan", "conflict of interest"),
    "assessor_busy": ("ada sesi lain pada waktu itu", "in another session at that time"),
    "assignment_map": ("Peta penugasan", "Assignment map"),
    "actions": ("Tindakan", "Actions"),
    "delegate": ("Delegasikan", "Delegate"),
    "reschedule": ("Jadwal ulang", "Reschedule"),
    "new_schedule_for_case": ("Jadwal baru", "New session"),
    "case_awaiting_assessor": ("Menunggu asesor", "Waiting for an assessor"),
    "case_appointed": ("Menunggu konfirmasi asesor", "Waiting for the assessor's confirmation"),
    "case_assigned": ("Asesor terkonfirmasi", "Assessor confirmed"),
    "case_completed": ("Selesai diases", "Assessed"),
    # the asesor's assignments (web.py)
    "institutions": ("Institusi", "Institutions"),
    "assessor_new": ("Daftarkan asesor", "Register an assessor"),
    "unavailable_days": ("Tanggal tidak tersedia (satu per baris)", "Days not available (one per line)"),
    "unavailable_days_help": ("Format YYYY-MM-DD, mis. 2027-03-15 (cuti, tugas lain)",
                              "As YYYY-MM-DD, e.g. 2027-03-15 (leave, other duties)"),
    "unavailable_days_short": ("tidak tersedia", "not available"),
    "assessor_unavailable": ("tidak tersedia pada tanggal itu", "not available that day"),
    "assessor_edit": ("Ubah data asesor", "Edit the assessor"),
    "assessor_account": ("Akun asesor di cabang ini", "The assessor's account in this branch"),
    "no_unregistered_asesor": ("Semua akun asesor cabang ini sudah terdaftar; buat akun asesor terlebih dahulu.",
                               "Every assessor account of this branch is registered; create the account first."),
    "met_number": ("Nomor registrasi MET", "MET registration number"),
    "schemes_one_per_line": ("Skema yang dikuasai (satu nomor skema per baris)",
                             "Schemes they assess (one scheme number per line)"),
    "schemes_known": ("Nomor skema yang sudah dipakai", "Scheme numbers in use"),
    "competence_evidence": ("Bukti kompetensi teknis", "Technical-competence evidence"),
    "competence_evidence_help": ("Satu baris per skema: NOMOR SKEMA: bukti (sertifikat, pengalaman)",
                                 "One line per scheme: SCHEME NUMBER: evidence (certificate, experience)"),
    "institutions_one_per_line": ("Institusi/perusahaan asal (satu per baris)",
                                  "Institutions/companies they belong to (one per line)"),
    "institutions_help": ("Asesor tidak ditugaskan untuk asesi dari institusi ini (konflik kepentingan).",
                          "They are never assigned to an asesi of these institutions (conflict of interest)."),
    "declared_trainees": ("asesi yang pernah dilatih", "candidates they trained"),
    "assessor_aktif": ("Aktif", "Active"),
    "assessor_nonaktif": ("Nonaktif", "Inactive"),
    "deactivate": ("Nonaktifkan", "Deactivate"),
    "activate": ("Aktifkan", "Activate"),
    "asesi_per_assessor_label": ("Asesi per asesor per sesi (1-50)", "Candidates per assessor per session (1-50)"),
    "history_rescheduled": ("Dijadwal ulang", "Rescheduled"),
    "history_declined": ("Asesor menolak", "Assessor declined"),
    "history_delegated": ("Didelegasikan", "Delegated"),
    "invalidated": ("Tidak berlaku lagi", "No longer valid"),
    "invalidated_assessor_appointment": ("penunjukan asesor", "the assessor's appointment"),
    "invalidated_session_invitation": ("undangan sesi (ruang dan tautan)", "the session's invitation (room and "
                                       "link)"),
    "invalidated_tuk_verification": ("verifikasi TUK", "the TUK verification"),
    "invalidated_impartiality_declaration": ("pernyataan ketidakberpihakan asesor", "the assessor's impartiality "
                                             "declaration"),
    "my_assignments": ("Penugasan saya", "My assignments"),
    "answer_assignment": ("Jawab penugasan", "Answer"),
    "no_assignments": ("Belum ada penugasan.", "No assignments yet."),
    "impartiality_intro": ("Sebelum menerima penugasan ini, nyatakan hubungan Anda dengan asesi. Pernyataan ini "
                           "ditandatangani secara elektronik.", "Before accepting this assignment, declare your "
                           "relation to the candidate. The declaration is signed electronically."),
    "confirm_and_sign": ("Terima penugasan dan tandatangani pernyataan", "Accept and sign the declaration"),
    "decline_assignment": ("Tolak penugasan", "Decline the assignment"),
    "decline_because": ("Karena", "Because"),
    "no_conflict_other_reason": ("Alasan lain (bukan konflik kepentingan)", "Another reason (no conflict of interest)"),
    "conflict_melatih": ("Saya pernah melatih/membimbing asesi ini", "I trained/coached this candidate"),
    "conflict_institusi_sama": ("Saya dari institusi yang sama", "I am from the same institution"),
    "conflict_hubungan_keluarga": ("Saya memiliki hubungan keluarga", "I am related to the candidate"),
    "conflict_kepentingan_lain": ("Kepentingan lain", "Another interest"),
    "confirmed": ("Penugasan diterima; pernyataan ketidakberpihakan ditandatangani.",
                  "Assignment accepted; impartiality declaration signed."),
    "declined": ("Penugasan ditolak; admin LSP akan menunjuk asesor lain.",
                 "Assignment declined; the LSP admin will appoint another assessor."),
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
    "not a scheme number: {schemes}": "bukan nomor skema: {schemes}",
    "registration must close by the assessment date": "pendaftaran harus ditutup paling lambat pada tanggal uji",
    "registration must open before it closes": "pendaftaran harus dibuka sebelum ditutup",
    "registration for this schedule opens on {date}": "pendaftaran jadwal ini baru dibuka pada {date}",
    "registration for this schedule closed on {date}": "pendaftaran jadwal ini sudah ditutup pada {date}",
    "say why the schedule is cancelled": "sebutkan alasan jadwal dibatalkan",
    "say why the letter is revoked": "sebutkan alasan surat dibatalkan",
    "this letter was revoked too many times": "surat ini sudah terlalu sering dibatalkan",
    "{count} asesi are still seated: reschedule them before cancelling":
        "masih ada {count} asesi pada jadwal ini: jadwalkan ulang mereka sebelum membatalkan",
    "a schedule is finished on or after its date ({date})":
        "jadwal dapat dinyatakan selesai pada atau setelah tanggalnya ({date})",
    "{name} is not registered as competent in scheme {scheme}; choose an assessor of this scheme":
        "{name} tidak terdaftar sebagai asesor kompeten untuk skema {scheme}; pilih asesor skema ini",
    "the MET registration of {name} is not valid on {date} (it ends {until}); it must be renewed (RCC) first":
        "registrasi MET {name} tidak berlaku pada {date} (berakhir {until}); harus diperpanjang (RCC) terlebih dahulu",
    "{name} already assesses {count} asesi in this session (limit {limit})":
        "{name} sudah mengases {count} asesi pada sesi ini (batas {limit})",
    "{name} is not active in the assessor registry": "{name} berstatus nonaktif dalam daftar asesor",
    "{name} is not available on {date}": "{name} tidak tersedia pada {date}",
    "conflict of interest: {name} is from the asesi's institution":
        "konflik kepentingan: {name} berasal dari institusi yang sama dengan asesi",
    "conflict of interest: {name} declared one with this asesi":
        "konflik kepentingan: {name} telah menyatakan konflik kepentingan dengan asesi ini",
    "conflict of interest: {name} declared they trained this asesi":
        "konflik kepentingan: {name} telah menyatakan pernah melatih asesi ini",
    "the assessor already has a session at that time ({date} {start}-{end} WIB)":
        "asesor sudah memiliki sesi pada waktu tersebut ({date} {start}-{end} WIB)",
    "place the case in a schedule before appointing its assessor":
        "tempatkan asesi pada jadwal sebelum menunjuk asesornya",
    "you declared a conflict of interest with this asesi: decline the assignment instead":
        "Anda menyatakan adanya konflik kepentingan dengan asesi ini: tolak penugasan ini",
    "unknown kind of conflict of interest": "jenis konflik kepentingan tidak dikenal",
    "say why": "sebutkan alasannya",
    "say why the case is rescheduled": "sebutkan alasan penjadwalan ulang",
    "say why the assessor is taken off the active list": "sebutkan alasan asesor dinonaktifkan",
    "the assessor is already '{status}'": "asesor sudah berstatus '{status}'",
    "the case is already with this assessor": "berkas ini sudah ditangani asesor tersebut",
    "the case has no assessor to delegate from; appoint one":
        "berkas ini belum memiliki asesor untuk didelegasikan; tunjuk asesor terlebih dahulu",
    "the case is already in this schedule": "berkas ini sudah berada pada jadwal tersebut",
    "this case has no seat in this schedule": "berkas ini tidak memiliki kursi pada jadwal ini",
    "evidence is given for a scheme the assessor does not hold: {schemes}":
        "bukti kompetensi diberikan untuk skema yang tidak dimiliki asesor: {schemes}",
    "must be a whole number from 1 to 50": "harus berupa bilangan bulat 1 sampai 50",
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
    "AssessorAssigned": ("Asesor mengonfirmasi penugasan (pernyataan ketidakberpihakan ditandatangani)",
                         "Assessor confirmed the assignment (impartiality declaration signed)"),
    "AssessorAppointed": ("Asesor ditunjuk", "Assessor appointed"),
    "AssignmentDeclined": ("Asesor menolak penugasan", "Assessor declined the assignment"),
    "AssignmentDelegated": ("Penugasan didelegasikan", "Assignment delegated"),
    "CaseRescheduled": ("Dijadwal ulang", "Rescheduled"),
    "ScheduleCancelled": ("Jadwal dibatalkan", "Schedule cancelled"),
    "ScheduleFinished": ("Jadwal selesai dilaksanakan", "Schedule held"),
    "CaseUnplaced": ("Kursi pada jadwal dilepas", "Seat released"),
    "ScheduleAssessorAdded": ("Asesor masuk peta penugasan", "Assessor added to the assignment map"),
    "ScheduleAssessorRemoved": ("Asesor keluar dari peta penugasan", "Assessor removed from the assignment map"),
    "SessionFreed": ("Sesi dilepas dari kalender", "Session freed on the calendar"),
    "AssessorRegistered": ("Asesor didaftarkan", "Assessor registered"),
    "AssessorRevised": ("Data asesor diubah", "Assessor revised"),
    "AssessorStatusSet": ("Status asesor diubah", "Assessor status changed"),
    "TraineeDeclared": ("Asesor menyatakan pernah melatih asesi", "Assessor declared they trained the asesi"),
    "ConflictDeclared": ("Asesor menyatakan konflik kepentingan dengan asesi",
                         "Assessor declared a conflict of interest with the asesi"),
    "AssessorCaseTaken": ("Beban asesor bertambah", "Assessor's load increased"),
    "AssessorCaseReleased": ("Beban asesor berkurang", "Assessor's load decreased"),
    "SchedulingRulesSet": ("Aturan penjadwalan cabang ditetapkan", "Branch scheduling rules set"),
    "SchedulingRulesChanged": ("Aturan penjadwalan cabang diubah", "Branch scheduling rules changed"),
    "CaseCompleted": ("Kasus selesai", "Case completed"),
}

# the fields, statuses and actions its errors name, in Indonesian
TERMS: dict[str, str] = {
    "TUK": "TUK", "tuk_id": "TUK", "schedule": "jadwal", "schedule_id": "jadwal",
    "awaiting_assessor": "menunggu asesor", "assigned": "asesor ditugaskan", "completed": "selesai",
    "appointed": "asesor ditunjuk, menunggu konfirmasi", "assignment": "penugasan", "aktif": "aktif",
    "nonaktif": "nonaktif",
}


# ---- the batch placement proposal (planning.py, web.py /penjadwalan/usulan) ------------------------------------

TEXT.update({
    "plan_title": ("Usulan penempatan jadwal dan asesor", "Proposed placement in schedules, with assessors"),
    "plan_intro": ("Usulan ini dihitung dari berkas yang menunggu jadwal, jadwal terbuka, dan daftar asesor. "
                   "Belum ada yang diterapkan sampai tombol Terapkan usulan ditekan.",
                   "Computed from the cases waiting for a place, the open schedules and the assessor registry. "
                   "Nothing is applied until Apply the proposal is pressed."),
    "plan_scheme": ("Skema", "Scheme"),
    "plan_all_schemes": ("Semua skema", "All schemes"),
    "plan_show": ("Tampilkan usulan", "Show the proposal"),
    "plan_rows": ("Asesi ditempatkan", "Candidates placed"),
    "plan_assessor_load": ("Beban per asesor", "Load per assessor"),
    "plan_in_plan": ("dalam usulan", "in the proposal"),
    "plan_unplaced": ("Tidak dapat ditempatkan", "Could not be placed"),
    "plan_reason": ("Alasan", "Why"),
    "plan_apply": ("Terapkan usulan", "Apply the proposal"),
    "plan_empty": ("Tidak ada berkas yang dapat ditempatkan saat ini.", "No case can be placed now."),
    "plan_stale": ("Usulan berubah sejak ditampilkan (ada data yang berubah). Periksa usulan baru di bawah ini "
                   "sebelum menerapkannya.",
                   "The proposal changed since it was shown (some data changed). Review the new proposal below "
                   "before applying it."),
    "plan_progress": ("Penerapan usulan", "Applying the proposal"),
    "plan_applied_of": ("dari", "of"),
    "plan_applied": ("diterapkan", "applied"),
    "plan_running": ("Sedang diterapkan; halaman ini diperbarui otomatis.",
                     "Being applied; this page refreshes itself."),
    "plan_finished": ("Selesai diterapkan.", "Finished."),
    "plan_refused": ("Ditolak", "Refused"),
    "plan_back": ("Kembali ke usulan", "Back to the proposal"),
    "plan_link": ("Usulan penempatan otomatis", "Automatic placement proposal"),
    "plan_case": ("Berkas", "Case"),
    "plan_no_schedule": ("Belum ada jadwal terbuka untuk skema ini", "No open schedule of this scheme"),
    "plan_schedules_full": ("Semua jadwal skema ini sudah penuh", "Every schedule of this scheme is full"),
    "plan_asesi_busy": ("Asesi sudah memiliki sesi lain pada waktu setiap jadwal yang masih ada kursinya",
                        "The asesi has another session at the time of every schedule with a free seat"),
    "plan_no_assessor": ("Tidak ada asesor yang memenuhi syarat dan tersedia pada jadwal yang masih ada kursinya",
                         "No assessor who meets the rules is free in a schedule with a free seat"),
})

ERRORS.update({
    "the row could not be applied: {reason}": "baris usulan tidak dapat diterapkan: {reason}",
    "must be a scheme number such as SKM/K3/AHLI-K3-UMUM/2025":
        "harus berupa nomor skema, misalnya SKM/K3/AHLI-K3-UMUM/2025",
    "the proposal changed since it was shown; review the new one before applying":
        "usulan berubah sejak ditampilkan; periksa usulan baru sebelum menerapkannya",
})

TERMS.update({"plan_hash": "usulan", "proposal batch": "penerapan usulan", "skema": "skema"})

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
    "letter_status_revoked": ("Dibatalkan", "Revoked"),
    "step_letter_revoked": ("Dibatalkan", "Revoked"),
    "revoke_letter": ("Batalkan surat", "Revoke the letter"),
    "revoke_letter_explained": ("Surat yang dibatalkan tidak berlaku lagi; surat baru untuk hal yang sama dapat "
                                "diterbitkan dengan nomor baru.", "A revoked letter no longer stands; a new one for "
                                "the same subject may be issued with a new number."),
    "letter_revoked": ("Surat dibatalkan.", "Letter revoked."),
    "plan_assessor_only": ("(sudah di kursi: hanya asesornya)", "(already seated: its assessor only)"),
    "no_assessor_appointed": ("Belum ada asesor yang ditunjuk pada jadwal ini.", "No assessor is appointed in this "
                              "session yet."),
    "no_verifier_appointed": ("Belum ada verifikator TUK yang ditunjuk.", "No TUK verifier is appointed yet."),
    "spt_stale": ("Asesor tidak lagi bertugas pada jadwal ini: batalkan surat", "The assessor no longer serves this "
                  "session: revoke the letter"),
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
    "{name} is not the appointed TUK verifier of this schedule":
        "{name} bukan verifikator TUK yang ditunjuk untuk jadwal ini",
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
    "LetterRevoked": ("Surat dibatalkan", "Letter revoked"),
})

TERMS.update({"letter": "surat", "letter_id": "surat", "signed": "ditandatangani", "received": "diterima"})

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
