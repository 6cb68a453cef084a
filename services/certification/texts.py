"""Certification's interface text: Bahasa Indonesia first, then English."""

TEXT: dict[str, tuple[str, str]] = {
    # public certificate pages (web.py)
    "verify_certificate": ("Cek sertifikat kompetensi", "Check a certificate of competence"),
    "verify_intro": ("Masukkan nomor sertifikat dan nama pemegang seperti tertulis pada sertifikat.",
                     "Enter the certificate number and the holder's name as printed on the certificate."),
    "certificate_number": ("Nomor sertifikat", "Certificate number"),
    "holder_name": ("Nama pemegang", "Holder's name"),
    "verify_button": ("Cek", "Check"),
    "certificate_not_found": ("Sertifikat tidak ditemukan, atau nama pemegang tidak sesuai.",
                              "No certificate found, or the holder's name does not match."),
    "certificate": ("Sertifikat kompetensi", "Certificate of competence"),
    "holder": ("Pemegang", "Holder"),
    "lsp_branch": ("Diterbitkan oleh", "Issued by"),
    "issued_on": ("Tanggal terbit", "Issued on"),
    "valid_until": ("Berlaku sampai", "Valid until"),
    "cert_berlaku": ("Berlaku", "Valid"),
    "cert_kedaluwarsa": ("Kedaluwarsa", "Expired"),
    "cert_dicabut": ("Dicabut", "Withdrawn"),
    "download_certificate": ("Unduh sertifikat (PDF)", "Download the certificate (PDF)"),
    "verify_another": ("Cek sertifikat lain", "Check another certificate"),
    # the ketua LSP's decisions (web.py)
    "decisions": ("Keputusan sertifikasi", "Certification decisions"),
    "assessor_recommends": ("Rekomendasi asesor", "The assessor recommends"),
    "decision_notes": ("Catatan keputusan (rapat pleno)", "Notes of the decision (plenary meeting)"),
    "sign_decision": ("Tandatangani keputusan", "Sign the decision"),
    "decided": ("Keputusan tersimpan.", "Decision recorded."),
    "decided_cases": ("Sudah diputuskan", "Decided"),
}

# Domain errors: the English template as raised -> Indonesian, with the same {placeholders}
ERRORS: dict[str, str] = {
    "decision must be K or BK": "keputusan harus K atau BK",
    "this case has already been decided": "berkas ini sudah diputuskan",
    "conflict of interest: the assessor of this case cannot decide it":
        "konflik kepentingan: asesor berkas ini tidak boleh memutuskannya",
    "the assessor recommended BK; the LSP can only confirm competence that the assessor recommended":
        "asesor merekomendasikan BK; LSP hanya dapat menetapkan kompeten bila asesor merekomendasikan K",
    "this certificate was issued before QR codes and has none":
        "sertifikat ini terbit sebelum ada kode QR dan tidak memilikinya",
}

# event type -> its step on the audit trail
STEPS: dict[str, tuple[str, str]] = {
    "CaseReceived": ("Diterima komite sertifikasi", "Received by the certification committee"),
    "CertificationDecided": ("Keputusan sertifikasi", "Certification decided"),
    "CertificateIssued": ("Sertifikat diterbitkan", "Certificate issued"),
}

# the fields, statuses and actions its errors name, in Indonesian
TERMS: dict[str, str] = {
    "awaiting_decision": "menunggu keputusan", "decided": "sudah diputuskan",
}
