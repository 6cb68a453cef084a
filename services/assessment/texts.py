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
