"""Scheduling's interface text: Bahasa Indonesia first, then English."""

TEXT: dict[str, tuple[str, str]] = {
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
