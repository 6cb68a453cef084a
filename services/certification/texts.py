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
    "verify_another": ("Cek sertifikat lain", "Check another certificate"),
    # the ketua LSP's decisions (web.py)
    "decisions": ("Keputusan sertifikasi", "Certification decisions"),
    "assessor_recommends": ("Rekomendasi asesor", "The assessor recommends"),
    "decision_notes": ("Catatan keputusan (rapat pleno)", "Notes of the decision (plenary meeting)"),
    "sign_decision": ("Tandatangani keputusan", "Sign the decision"),
    "decided": ("Keputusan tersimpan.", "Decision recorded."),
    "decided_cases": ("Sudah diputuskan", "Decided"),
}
