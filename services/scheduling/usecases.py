"""What users do in scheduling, the same behind the JSON API (api.py) and the pages (web.py)."""
from typing import Any

from fastapi.concurrency import run_in_threadpool

from services.scheduling import documents, queries
from shared.errors import Invalid, NotFound
from shared.web import (
    ADMIN_LSP,
    ASESOR,
    PLATFORM_ADMIN,
    STAFF,
    Context,
    User,
    branch_user,
    branch_users,
    found,
    letterhead,
)

SERVICE = "scheduling"
VERIFIERS = (ASESOR, ADMIN_LSP)  # who may be sent to verify a TUK
POSITIONS = {ASESOR: "Asesor Kompetensi", ADMIN_LSP: "Admin LSP"}  # how an SPT names the verifier's position


async def branch_asesor(ctx: Context, user_id: str) -> User:
    """The user to register: must exist in this branch with the asesor role."""
    candidate = await branch_user(ctx.request, user_id)
    if candidate is None or candidate.tenant != ctx.tenant or candidate.role != ASESOR:
        raise Invalid("must be a user of this branch with the role asesor", field="user_id")
    return candidate


async def register_assessor(ctx: Context, entry: dict[str, Any]) -> dict[str, Any]:
    """An asesor of the branch into the registry (Daftar Asesor), by their MET registration and schemes."""
    asesor = await branch_asesor(ctx, entry["user_id"])
    assessor_id = await ctx.command(SERVICE, "register_assessor", name=asesor.name, **entry)
    return {"id": assessor_id, "user_id": entry["user_id"]}


async def assign_assessor(ctx: Context, case_id: str, assessor_id: str,
                          expected_version: int | None = None) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "assign_assessor", case_id=case_id, assessor_user_id=assessor_id,
                                expected_version=expected_version)
    return {"id": case_id, "status": "assigned", "assessor_id": assessor_id, "version": version}


async def register_tuk(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """A TUK into the branch's registry (SOP 1.4)."""
    return {"id": await ctx.command(SERVICE, "register_tuk", data=data), "status": "aktif", "version": 1}


async def revise_tuk(ctx: Context, tuk_id: str, data: dict[str, Any], expected_version: int | None = None
                     ) -> dict[str, Any]:
    return {"id": tuk_id, "version": await ctx.command(SERVICE, "revise_tuk", tuk_id=tuk_id, data=data,
                                                       expected_version=expected_version)}


async def set_tuk_active(ctx: Context, tuk_id: str, active: bool, expected_version: int | None = None
                         ) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "set_tuk_active", tuk_id=tuk_id, active=active,
                                expected_version=expected_version)
    return {"id": tuk_id, "status": "aktif" if active else "nonaktif", "version": version}


async def create_schedule(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """A session of one scheme at a TUK (SOP 1.6.1)."""
    return {"id": await ctx.command(SERVICE, "create_schedule", data=data), "status": "terjadwal", "version": 1}


async def place_case(ctx: Context, schedule_id: str, case_id: str, expected_version: int | None = None
                     ) -> dict[str, Any]:
    version = await ctx.command(SERVICE, "place_case", schedule_id=schedule_id, case_id=case_id,
                                expected_version=expected_version)
    return {"id": schedule_id, "case_id": case_id, "version": version}


# ---- official letters (SOP 1.4, 1.6.5-1.6.6) ----------------------------------------------------------------

def office(user: User) -> bool:
    """The branch's office sees every letter of the branch; anyone else only the letters addressed to them."""
    return user.role in (*STAFF, PLATFORM_ADMIN)


async def letter_addressee(ctx: Context, kind: str, user_id: str) -> User:
    """The account an SPT is addressed to: an asesor of the branch (the assessor's SPT), or an asesor or admin
    LSP of the branch (the TUK verifier's)."""
    person = await branch_user(ctx.request, user_id) if user_id else None
    if kind == "spt_asesor":
        if person is None or person.tenant != ctx.tenant or person.role != ASESOR:
            raise Invalid("must be a user of this branch with the role asesor", field="user_id")
    elif person is None or person.tenant != ctx.tenant or person.role not in VERIFIERS:
        raise Invalid("must be a user of this branch with the role asesor or admin LSP", field="user_id")
    return person


async def issue_letter(ctx: Context, kind: str, tuk_id: str | None = None, schedule_id: str | None = None,
                       user_id: str | None = None, valid_until: str | None = None) -> dict[str, Any]:
    """An SK TUK for a TUK of the registry, or an SPT for a schedule and a person; issued once (again: the same
    letter, no second number). The addressee's account e-mail is sealed for them here, before the command
    leaves the gateway, for the e-mail that brings them the signed letter."""
    head = await letterhead(ctx.request, ctx.tenant)
    arguments: dict[str, Any] = {
        "kind": kind, "letterhead": {key: getattr(head, key) for key in ("name", "address", "licence", "phone",
                                                                          "email")}}
    if kind == "sk_tuk":
        arguments.update(tuk_id=tuk_id or "", valid_until=valid_until or "")
    elif kind in ("spt_asesor", "spt_verifikasi"):
        person = await letter_addressee(ctx, kind, user_id or "")
        if kind == "spt_asesor":  # the assessor's cases seated in the schedule (until the assignment rework)
            held = await queries.assessor_cases_in(ctx.store, ctx.tenant, schedule_id or "")
            arguments["asesi_count"] = held.get(person.id, 0)
        arguments.update(schedule_id=schedule_id or "", user_id=person.id, addressee_name=person.name,
                         position=POSITIONS.get(person.role, person.role),
                         contact=ctx.vault(SERVICE).seal(person.id, person.email) if person.email else "")
    return await ctx.command(SERVICE, "issue_letter", **arguments)


async def list_letters(ctx: Context, kind: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    return await queries.list_letters(ctx.store, ctx.tenant, kind, status,
                                      addressee_id=None if office(ctx.user) else ctx.user.id)


async def get_letter(ctx: Context, letter_id: str) -> dict[str, Any]:
    """A letter of the branch for its office, or for its addressee; anyone else: not found."""
    letter = found(await queries.get_letter(ctx.store, ctx.tenant, letter_id), "letter")
    if not office(ctx.user) and (letter.get("addressee") or {}).get("id") != ctx.user.id:
        raise NotFound("{what} not found", what="letter")
    return letter


async def sign_letter(ctx: Context, letter_id: str, expected_version: int | None = None) -> dict[str, Any]:
    return await ctx.command(SERVICE, "sign_letter", letter_id=letter_id, expected_version=expected_version)


async def confirm_receipt(ctx: Context, letter_id: str, expected_version: int | None = None) -> dict[str, Any]:
    await get_letter(ctx, letter_id)  # another's letter: not found, as on every read
    return await ctx.command(SERVICE, "confirm_receipt", letter_id=letter_id, expected_version=expected_version)


async def letter_pdf(ctx: Context, letter_id: str) -> tuple[bytes, str]:
    """The letter as a PDF (DRAF until the ketua LSP signs it) and its file name."""
    letter = await get_letter(ctx, letter_id)
    head = await letterhead(ctx.request, ctx.tenant)
    pdf = await run_in_threadpool(documents.letter_pdf, letter, head.logo)
    return pdf, documents.letter_filename(letter)


async def letter_numbering(ctx: Context) -> list[dict[str, Any]]:
    return await ctx.command(SERVICE, "letter_numbering")


async def set_letter_numbering(ctx: Context, kind: str, settings: dict[str, Any],
                               expected_version: int | None = None) -> dict[str, Any]:
    return await ctx.command(SERVICE, "set_letter_numbering", kind=kind, settings=settings,
                             expected_version=expected_version)


async def preview_letter_number(ctx: Context, kind: str, settings: dict[str, Any]) -> dict[str, Any]:
    return await ctx.command(SERVICE, "preview_letter_number", kind=kind, settings=settings)


async def verifiers(ctx: Context) -> list[dict[str, str]]:
    """Who an SPT Verifikasi TUK may be addressed to: the branch's asesor and admin LSP."""
    return await branch_users(ctx.request, ctx.tenant, *VERIFIERS)
