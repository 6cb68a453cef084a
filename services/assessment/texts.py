"""Assessment's interface text: Bahasa Indonesia first, then English."""

TEXT: dict[str, tuple[str, str]] = {
    "my_assessments": ("Asesmen saya", "My assessments"),
    "no_assessments": ("Belum ada asesi yang ditugaskan kepada Anda.", "No candidate is assigned to you yet."),
    "open_assessment": ("Buka", "Open"),
    "unit_results": ("Rekomendasi per unit kompetensi", "Recommendation per competency unit"),
    "unit_results_intro": ("Pilih K (kompeten) atau BK (belum kompeten) untuk setiap unit, lalu kirim. Rekomendasi "
                           "K diberikan bila semua unit K.",
                           "Choose K (competent) or BK (not yet competent) for every unit, then send. The "
                           "recommendation is K when every unit is K."),
    "unit": ("Unit kompetensi", "Competency unit"),
    "give_recommendation": ("Kirim rekomendasi", "Send the recommendation"),
    "recommended": ("Rekomendasi terkirim ke LSP.", "Recommendation sent to the LSP."),
}

# Domain errors: the English template as raised -> Indonesian, with the same {placeholders}
ERRORS: dict[str, str] = {
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
    # the online TUK verification (SOP 2.4.1)
    "the asesi's remote TUK was verified TIDAK LAYAK; the assessment cannot go ahead until they are rescheduled "
    "and verified again":
        "TUK jarak jauh asesi diverifikasi TIDAK LAYAK; asesmen tidak dapat dilanjutkan sampai asesi dijadwalkan "
        "ulang dan diverifikasi kembali",
}

# event type -> its step on the audit trail
STEPS: dict[str, tuple[str, str]] = {
    "AssessmentOpened": ("Asesmen dibuka", "Assessment opened"),
    "RecommendationGiven": ("Rekomendasi asesor diberikan", "Assessor's recommendation given"),
    "AssessorChanged": ("Asesor diganti", "Assessor changed"),
    # the online TUK verification (SOP 2.4.1)
    "TukVerificationRecorded": ("Hasil verifikasi TUK dicatat pada asesmen", "TUK verification recorded"),
    "TukVerificationHeld": ("Hasil verifikasi TUK disimpan sampai asesmen dibuka",
                            "TUK verification kept until the assessment opens"),
    "TukVerificationHeldAgain": ("Hasil verifikasi TUK diperbarui", "TUK verification updated"),
}

# the fields, statuses and actions its errors name, in Indonesian
TERMS: dict[str, str] = {
    "in_progress": "sedang diases", "recommended": "rekomendasi diberikan",
}
