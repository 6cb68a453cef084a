"""What users do in certification, the same behind the JSON API (api.py) and the pages (web.py)."""
from typing import Any

from shared.web import Context

SERVICE = "certification"


async def decide(ctx: Context, case_id: str, decision: str, notes: str = "",
                 expected_version: int | None = None) -> dict[str, Any]:
    """The ketua LSP's decision on a recommended case (K issues the certificate), signed."""
    result = await ctx.command(SERVICE, "decide", case_id=case_id, decision=decision, notes=notes,
                               expected_version=expected_version)
    return {"id": case_id, "status": "decided", "decision": decision, **result}
