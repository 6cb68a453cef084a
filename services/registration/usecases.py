"""What users do in registration, the same behind the JSON API (api.py) and the pages (web.py).

Each use case takes the request context (shared.web.Context: who acts, in which branch, and the
platform's command bus, read models, files and vault) and plain values or request models.

Personal data: the read model holds the sensitive fields sealed; they are opened only for the asesi
who owns the application and the branch's office (STAFF); lists show a masked NIK."""
from datetime import timedelta
from typing import Any

from fastapi import UploadFile
from fastapi.concurrency import run_in_threadpool

from services.registration import documents, queries
from services.registration.domain import SENSITIVE_FIELDS, check_personal_data
from services.registration.notices import SEALED_FIELDS as NOTICE_SEALED_FIELDS
from shared.access import assigned_cases
from shared.display import as_wib
from shared.documents import Letterhead
from shared.errors import Conflict, Invalid, NotFound
from shared.files import Upload, checked, keep_if_accepted
from shared.privacy import Vault, mask
from shared.web import ASESI, ASESOR, PLATFORM_ADMIN, STAFF, Context, User, branch_profile, found, letterhead

SERVICE = "registration"
READERS = (ASESI, ASESOR, *STAFF)  # of applications; platform admins read too


def vault(ctx: Context) -> Vault:
    return ctx.vault(SERVICE)


# ---- who may see what ---------------------------------------------------------------------------------

def may_open(user: User, application: dict[str, Any]) -> bool:
    return user.role in (*STAFF, PLATFORM_ADMIN) or application["asesi"]["id"] == user.id


def own_only(user: User) -> str | None:
    """The asesi sees their own records only; the office all of the branch's."""
    return user.id if user.role == ASESI else None


def owner_or_office(user: User, what: str) -> None:
    """Documents, invoices and notices are the asesi's and the branch office's only: anyone else is
    told nothing exists (the same 404 as for another branch's record)."""
    if user.role not in (ASESI, *STAFF, PLATFORM_ADMIN):
        raise NotFound("{what} not found", what=what)


def drafts_hidden(user: User) -> bool:
    """Only the branch's office sees schemes that are not published."""
    return user.role not in (*STAFF, PLATFORM_ADMIN)


async def narrowing(ctx: Context) -> dict[str, Any]:
    """Which applications the caller may read: an asesi their own (drafts too), an asesor the cases
    assigned to them (no drafts, no personal data), the branch's office all submitted ones."""
    if ctx.user.role == ASESI:
        return {"asesi_id": ctx.user.id, "include_drafts": True}
    if ctx.user.role == ASESOR:
        return {"case_ids": await assigned_cases(ctx.store, ctx.tenant, ctx.user.id), "include_drafts": False}
    return {"include_drafts": False}


# ---- reading applications -----------------------------------------------------------------------------

async def with_personal_data(ctx: Context, application: dict[str, Any]) -> dict[str, Any]:
    """Opened for the owner and the branch's office; a summary (masked NIK) for anyone else."""
    if not may_open(ctx.user, application):
        return summary(application, {})
    opened = await run_in_threadpool(vault(ctx).open_fields, application.get("personal_data") or {},
                                     SENSITIVE_FIELDS)
    return {**application, "personal_data": opened, "nik_masked": mask(opened.get("nik")) or None}


def summary(application: dict[str, Any], opened: dict[str, Any]) -> dict[str, Any]:
    personal = application.get("personal_data") or {}
    return {**{k: v for k, v in application.items() if k != "personal_data"},
            "nama_lengkap": personal.get("nama_lengkap"), "nik_masked": mask(opened.get("nik")) or None}


async def for_list(ctx: Context, applications: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lists never carry personal data: the name and the masked NIK (opened only for those allowed)."""
    def open_niks() -> list[dict[str, Any]]:
        box = vault(ctx)
        return [box.open_fields({"nik": a.get("personal_data", {}).get("nik")}, ("nik",))
                if may_open(ctx.user, a) else {} for a in applications]
    opened = await run_in_threadpool(open_niks)
    return [summary(a, o) for a, o in zip(applications, opened, strict=True)]


async def list_applications(ctx: Context, status: str | None = None) -> list[dict[str, Any]]:
    return await for_list(ctx, await queries.list_applications(ctx.store, ctx.tenant, status=status,
                                                               **await narrowing(ctx)))


async def get_application(ctx: Context, case_id: str) -> dict[str, Any]:
    application = found(await queries.get_application(ctx.store, ctx.tenant, case_id, **await narrowing(ctx)),
                        "application")
    return await with_personal_data(ctx, application)


async def printable(ctx: Context, case_id: str) -> tuple[dict[str, Any], Letterhead]:
    """The application for its owner asesi, the asesor appointed to it (without the sealed personal data) or
    the branch's office (404 for anyone else), and the letterhead."""
    if ctx.user.role != ASESOR:
        owner_or_office(ctx.user, "application")
    application = found(await queries.get_application(ctx.store, ctx.tenant, case_id, **await narrowing(ctx)),
                        "application")
    return application, await letterhead(ctx.request, ctx.tenant)


async def apl01_pdf(ctx: Context, case_id: str) -> bytes:
    application, name = await printable(ctx, case_id)
    return await run_in_threadpool(documents.apl01_pdf, await with_personal_data(ctx, application), name)


async def apl02_pdf(ctx: Context, case_id: str) -> bytes:
    application, name = await printable(ctx, case_id)
    if not application.get("self_assessment"):
        raise NotFound("no self-assessment yet (after payment)")
    return await run_in_threadpool(documents.apl02_pdf, application, name)


async def invoice_pdf(ctx: Context, case_id: str) -> tuple[bytes, str]:
    """The invoice (SOP 1.2.3) and its file name, for the asesi who applied and the branch's staff."""
    owner_or_office(ctx.user, "application")
    application = found(await queries.get_application(ctx.store, ctx.tenant, case_id,
                                                      asesi_id=own_only(ctx.user)), "application")
    if not application.get("invoice"):
        raise NotFound("no invoice has been issued yet")
    branch = await branch_profile(ctx.request, ctx.tenant)
    pdf = await run_in_threadpool(documents.invoice_pdf, application, await letterhead(ctx.request, ctx.tenant),
                                  payment_terms(branch))
    return pdf, application["invoice"]["number"].replace("/", "-") + ".pdf"


def payment_terms(branch: dict[str, Any]) -> dict[str, Any]:
    """How the asesi pays, as the branch's profile says: bank, account, payee and days until due."""
    return {"bank": branch.get("nama_bank") or "", "account": branch.get("nomor_rekening") or "",
            "payee": branch.get("atas_nama") or "", "due_days": int(branch.get("jatuh_tempo_hari") or 7)}


def due_date(invoice: dict[str, Any], terms: dict[str, Any]) -> str:
    """The invoice's due date (WIB): the day it was issued plus the branch's days until due."""
    return (as_wib(invoice["issued_at"]).date() + timedelta(days=terms["due_days"])).isoformat()


async def application_file(ctx: Context, case_id: str, file_id: str) -> tuple[dict[str, Any], bytes]:
    """A document of the application (its metadata and bytes), for the owner asesi or the office."""
    owner_or_office(ctx.user, "file")
    found(await queries.application_file(ctx.store, ctx.tenant, case_id, file_id, asesi_id=own_only(ctx.user)),
          "file")
    return await ctx.files().get(ctx.tenant, file_id)


async def outbox(ctx: Context, case_id: str | None = None) -> list[dict[str, Any]]:
    """E-mail notices: the branch's for its office, their own for an asesi; recipient and body opened."""
    own = None if ctx.user.role in (*STAFF, PLATFORM_ADMIN) else ctx.user.id
    notices = await queries.list_outbox(ctx.store, ctx.tenant, asesi_id=own, case_id=case_id)
    box = vault(ctx)
    return await run_in_threadpool(lambda: [box.open_fields(n, NOTICE_SEALED_FIELDS) for n in notices])


# ---- the asesi's steps --------------------------------------------------------------------------------

async def draft_application(ctx: Context, scheme_id: str, purpose: str) -> dict[str, Any]:
    await require_draft_room(ctx)
    case_id = await ctx.command(SERVICE, "draft_application", scheme_id=scheme_id, purpose=purpose)
    return {"id": case_id, "status": "draft", "version": 1}


async def update_personal_data(ctx: Context, case_id: str, fields: dict[str, Any],
                               expected_version: int | None = None) -> dict[str, Any]:
    # checked and sealed here, so the plain values never travel in the command (RPC over the broker);
    # the asesi is the subject: the command refuses tokens sealed for anyone but the application's asesi
    sealed = await run_in_threadpool(vault(ctx).seal_fields, ctx.user.id, check_personal_data(fields),
                                     SENSITIVE_FIELDS)
    version = await ctx.command(SERVICE, "update_personal_data", case_id=case_id, personal_data=sealed,
                                expected_version=expected_version)
    return {"id": case_id, "version": version}


# the part of a case (its own aggregate, with its own version) each command changes; the rest: the application
PARTS = {"submit_payment_proof": "payment", "reject_payment": "payment", "verify_payment": "payment",
         "confirm_tuk_equipment": "tuk_equipment", "attach_evidence": "self_assessment",
         "update_self_assessment": "self_assessment", "submit_self_assessment": "self_assessment",
         "review_feasibility": "self_assessment"}


async def upload(ctx: Context, name: str, case_id: str, file: UploadFile, **arguments: Any) -> dict[str, Any]:
    """Check the file (off the event loop), run the command that refers to it, and keep the file only
    if the command is accepted: a refused command (404, 409, 422) leaves no bytes behind."""
    limit = ctx.settings.upload_max_bytes
    content = await file.read(limit + 1)
    checked_upload = await checked(content, file.filename or "", limit)
    await require_asesi_quota(ctx, case_id, checked_upload)
    fields = {"file_id": checked_upload.sha256, "sha256": checked_upload.sha256,
              "media_type": checked_upload.media_type, "filename": checked_upload.filename,
              "size": checked_upload.size}
    async with keep_if_accepted(ctx.files(), ctx.tenant, checked_upload, content):
        version = await ctx.command(SERVICE, name, case_id=case_id, **arguments, **fields)
    return {"id": case_id, **fields, "version": version, "part": PARTS.get(name, "application")}


async def require_asesi_quota(ctx: Context, case_id: str, checked_upload: Upload) -> None:
    """The asesi's uploads over all their applications stay within their quota (the aggregate keeps
    each case within its own, atomically).

    Read from the read model, so not atomic: uploads racing one another, or the projection's lag, to
    different cases each see the total from before the others. That is acceptable: every case stays
    within its own quota and an asesi holds few drafts (require_draft_room), so the excess is at most
    one request's upload (upload_max_bytes) per racing request, bounded by those cases' quotas."""
    application = await queries.get_application(ctx.store, ctx.tenant, case_id, asesi_id=ctx.user.id) or {}
    if checked_upload.sha256 in (application.get("file_ids") or []):
        return  # the case has this file already: it costs nothing more
    quota = ctx.settings.upload_quota_per_asesi_mb
    uploaded = (await queries.asesi_summary(ctx.store, ctx.tenant, ctx.user.id)).get("uploaded_bytes") or {}
    if sum(uploaded.values()) + checked_upload.size > quota << 20:
        raise Invalid("your uploads would exceed your quota of {limit} MB over all your applications; upload "
                      "a smaller file (a compressed scan, for example)", field="file", limit=quota)


async def require_draft_room(ctx: Context) -> None:
    """An asesi holds a few drafts at once, which bounds the cases they can upload to at the same time
    (see require_asesi_quota). From the read model too: drafts opened within its lag are not seen yet."""
    limit = ctx.settings.asesi_max_drafts
    drafts = len((await queries.asesi_summary(ctx.store, ctx.tenant, ctx.user.id)).get("drafts") or [])
    if drafts >= limit:
        raise Conflict("you already have {count} draft applications (at most {limit}); finish and submit one "
                       "of them first", field="scheme_id", count=drafts, limit=limit)


async def step(ctx: Context, name: str, case_id: str, **arguments: Any) -> dict[str, Any]:
    """A command on one case; its answer as the API gives it (the new version, or what the command says)."""
    result = await ctx.command(SERVICE, name, case_id=case_id, **arguments)
    return {"id": case_id, "part": PARTS.get(name, "application"),
            **(result if isinstance(result, dict) else {"version": result})}


async def update_self_assessment(ctx: Context, case_id: str, answers: list[dict[str, Any]],
                                 expected_version: int | None = None) -> dict[str, Any]:
    return await step(ctx, "update_self_assessment", case_id, answers=answers, expected_version=expected_version)


# ---- the scheme catalogue -----------------------------------------------------------------------------

async def scheme_command(ctx: Context, name: str, scheme_id: str, **arguments: Any) -> dict[str, Any]:
    return {"id": scheme_id, "version": await ctx.command(SERVICE, name, scheme_id=scheme_id, **arguments)}


async def create_scheme(ctx: Context, content: dict[str, Any]) -> dict[str, Any]:
    scheme_id = await ctx.command(SERVICE, "create_scheme", **content)
    return {"id": scheme_id, "published": content.get("published", True), "version": 1}
