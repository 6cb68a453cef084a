"""E-signatures for every service: who signed, in which role, when, over the SHA-256 of exactly what.

The content is hashed as canonical JSON (keys sorted, no whitespace, UTF-8, non-ASCII kept as written),
so anyone holding the signed content (an event's data, a form's values) can re-check a signature without
the platform. A signature is a plain dict, the shape stored in events since the first one was recorded:
{"signer": {"id", "name"}, "role", "signed_at", "sha256"}. Plain Python: domain code may import it."""
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


def canonical(content: Any) -> bytes:
    """The one byte string a content hashes to: sorted keys, no spaces, UTF-8 (a lone surrogate, which JSON
    input can carry but UTF-8 cannot, is kept as its three bytes rather than failing the signature)."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass")


def content_sha256(content: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of what is being signed."""
    return hashlib.sha256(canonical(content)).hexdigest()


def sign(signer: Mapping[str, Any], content: Any, role: str | None = None,
         at: datetime | None = None) -> dict[str, Any]:
    """A signature by `signer` (an actor: id, name, role) over `content`; `role` overrides the actor's
    (a signature block may name the capacity the person signs in); `at` defaults to now (UTC)."""
    return {"signer": {"id": str(signer["id"]), "name": str(signer["name"])},
            "role": role if role is not None else signer["role"],
            "signed_at": (at or datetime.now(UTC)).isoformat(), "sha256": content_sha256(content)}


def verify(signature: Mapping[str, Any] | None, content: Any, role: str | None = None) -> bool:
    """Whether `signature` was made over exactly `content` (and, when given, in `role`)."""
    if not signature or not isinstance(signature.get("sha256"), str):
        return False
    if role is not None and signature.get("role") != role:
        return False
    return hmac.compare_digest(signature["sha256"], content_sha256(content))
