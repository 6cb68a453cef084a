"""A case's audit trail as people read it: every event of the case, from all four services, in order.

The rows come from the same source as GET /api/cases/{id}/timeline (the services' event logs, not a
read model), so what the page shows is what was recorded. Event data is not shown: it may hold
sealed personal data; a row names the step, who took it, when, and the signed content's SHA-256.
"""
from collections.abc import Callable
from typing import Any

from services.gateway.web.i18n import ROLE_NAMES, STEPS, translator


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
