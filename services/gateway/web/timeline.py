"""A case's audit trail as people read it: every event of the case, from all four services, in order.

The rows come from the same source as GET /api/cases/{id}/timeline (the services' event logs, not a
read model), so what the page shows is what was recorded. Event data is not shown: it may hold
sealed personal data; a row names the step, who took it, when, and the signed content's SHA-256.
"""
from collections.abc import Callable
from typing import Any

from services.gateway.web.i18n import ROLE_NAMES, translator

# event type -> (Bahasa Indonesia, English)
STEPS: dict[str, tuple[str, str]] = {
    "ApplicationDrafted": ("Draf FR.APL.01 dibuat", "FR.APL.01 draft started"),
    "DraftUpdated": ("Bagian 1 (data pribadi dan pekerjaan) disimpan", "Part 1 (personal and job data) saved"),
    "RequirementDocumentAttached": ("Dokumen persyaratan diunggah", "Requirement document uploaded"),
    "ApplicationSubmitted": ("FR.APL.01 ditandatangani dan diajukan", "FR.APL.01 signed and submitted"),
    "TukEquipmentRequested": ("Asesi diminta menyiapkan perlengkapan TUK", "Candidate asked to prepare TUK equipment"),
    "TukEquipmentConfirmed": ("Kesiapan perlengkapan TUK dicatat", "TUK equipment readiness recorded"),
    "DocumentVerified": ("Dokumen diverifikasi", "Document verified"),
    "ApplicationReturned": ("Permohonan dikembalikan untuk dilengkapi", "Application returned for completion"),
    "ApplicationResubmitted": ("Permohonan ditandatangani dan diajukan kembali", "Application signed and resubmitted"),
    "ApplicationAccepted": ("Permohonan diterima (rekomendasi ditandatangani)",
                            "Application accepted (recommendation signed)"),
    "InvoiceIssued": ("Tagihan diterbitkan", "Invoice issued"),
    "PaymentProofSubmitted": ("Bukti pembayaran diunggah", "Payment proof uploaded"),
    "PaymentRejected": ("Bukti pembayaran ditolak", "Payment proof rejected"),
    "PaymentVerified": ("Pembayaran diverifikasi", "Payment verified"),
    "SelfAssessmentStarted": ("Asesi mulai mengisi FR.APL.02", "Candidate began FR.APL.02"),
    "EvidenceAttached": ("Bukti portofolio diunggah", "Portfolio evidence uploaded"),
    "SelfAssessmentDraftUpdated": ("Jawaban FR.APL.02 disimpan", "FR.APL.02 answers saved"),
    "SelfAssessmentSubmitted": ("FR.APL.02 ditandatangani dan diajukan", "FR.APL.02 signed and submitted"),
    "FeasibilityReviewed": ("Kaji kelayakan ditandatangani", "Feasibility review signed"),
    "CaseOpened": ("Kasus dibuka untuk penjadwalan", "Case opened for scheduling"),
    "AssessorAssigned": ("Asesor ditugaskan", "Assessor assigned"),
    "AssessmentOpened": ("Asesmen dibuka", "Assessment opened"),
    "RecommendationGiven": ("Rekomendasi asesor diberikan", "Assessor's recommendation given"),
    "CaseReceived": ("Diterima komite sertifikasi", "Received by the certification committee"),
    "CertificationDecided": ("Keputusan sertifikasi", "Certification decided"),
    "CertificateIssued": ("Sertifikat diterbitkan", "Certificate issued"),
    "CaseCompleted": ("Kasus selesai", "Case completed"),
}


def rows(entries: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """One row per event: when, what (in the reader's language), who, and the signature hash if signed."""
    pick = 1 if lang == "en" else 0
    out = []
    for entry in entries:
        actor = entry.get("actor") or {}
        role = ROLE_NAMES.get(actor.get("role", ""), (actor.get("role", ""),) * 2)[pick]
        data = entry.get("data") or {}
        signature = data.get("signature") if isinstance(data.get("signature"), dict) else {}
        out.append({"at": entry["occurred_at"], "type": entry["type"],
                    "step": STEPS.get(entry["type"], (entry["type"],) * 2)[pick],
                    "detail": detail(entry["type"], data, pick, translator(lang)),
                    "by": f"{actor.get('name') or actor.get('id', '')} ({role})" if actor else "",
                    "sha256": signature.get("sha256", "")})
    return out


def detail(kind: str, data: dict[str, Any], pick: int, t: Callable[[str], str]) -> str:
    """The few facts a reader needs on the row itself (codes and numbers, never personal data)."""
    if kind == "RequirementDocumentAttached":
        return str(data.get("requirement_code", ""))
    if kind == "DocumentVerified":
        verdict = data.get("verdict", "")
        return f"{data.get('requirement_code', '')}: {t('verdict_' + verdict)}"
    if kind == "TukEquipmentConfirmed":
        return f"{len(data.get('ready', []))} {t('ready')}" + (" ✓" if data.get("complete") else "")
    if kind == "FeasibilityReviewed":
        return ("layak", "feasible")[pick] if data.get("feasible") else ("tidak layak", "not feasible")[pick]
    if kind == "InvoiceIssued":
        return str(data.get("invoice_number", ""))
    if kind == "PaymentRejected":
        return str(data.get("reason", ""))
    if kind == "CertificateIssued":
        return str(data.get("certificate_number", ""))
    return ""
