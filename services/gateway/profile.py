"""A branch's profile: what its documents print (the letterhead: address, telephone, e-mail, BNSP licence
number) and how an asesi pays its invoices (bank, account, payee, days until due). The admin LSP keeps it
on /admin/cabang, or through the API; the services read it when they render a document.

The model below is the one declaration: the API's body and answer, the page's fields and labels, and the
errors beside them all come from it."""
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.gateway.web.i18n import validation_message
from shared.errors import DomainError, Invalid, NotFound
from shared.files import checked, keep_if_accepted
from shared.responses import Model
from shared.web import (
    ADMIN_LSP,
    KETUA_LSP,
    MANAJER_SERTIFIKASI,
    Context,
    User,
    Versioned,
    check_same_origin,
    error_text,
    eventually,
    page_lang,
    redirect,
    render,
    require,
    require_page_user,
)

router = APIRouter(tags=["branches"])
PAGE = "/admin/cabang"
Short = Annotated[str, Field(max_length=120)]


class BranchProfile(BaseModel):
    """Each field's title is its label on the page: Indonesian / English."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    alamat: str = Field(default="", max_length=300, title="Alamat kantor / Office address")
    telepon: str = Field(default="", max_length=40, pattern=r"^[0-9+() -]*$", title="Telepon / Telephone")
    email: str = Field(default="", max_length=120, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$",
                       title="E-mail")
    nomor_lisensi: Short = Field(default="", title="Nomor lisensi BNSP / BNSP licence number")
    nama_bank: Short = Field(default="", title="Bank")
    nomor_rekening: str = Field(default="", max_length=40, pattern=r"^[0-9 .-]*$",
                                title="Nomor rekening / Account number")
    atas_nama: Short = Field(default="", title="Atas nama rekening / Account holder")
    jatuh_tempo_hari: int = Field(default=7, ge=1, le=90,
                                  title="Jatuh tempo tagihan (hari) / Invoice due (days)")


class BranchProfileIn(BranchProfile, Versioned):
    """The whole profile (a field left out takes its default)."""


class BranchProfileRecord(Model):
    code: str
    name: str
    profile: BranchProfile
    logo: bool = Field(default=False, description="whether a logo is set (PUT .../logo)")
    version: int = Field(description="send it back as expected_version when you change the profile")


def label(name: str, lang: str) -> str:
    title = BranchProfile.model_fields[name].title or name
    indonesian, _, english = title.partition(" / ")
    return english or indonesian if lang == "en" else indonesian


def branch_code(user: User, code: str) -> str:
    """Staff see and change their own branch only; a platform admin any."""
    if user.tenant is not None and user.tenant != code:
        raise NotFound("{what} not found", what="branch")
    return code


async def read_profile(request: Request, code: str) -> dict[str, Any]:
    branch = await run_in_threadpool(request.app.state.identity.branch, code)
    profile = {k: v for k, v in branch.profile.items() if k != "logo"}
    return {"code": code, "name": branch.name, "profile": BranchProfile(**profile).model_dump(),
            "logo": bool(branch.profile.get("logo")), "version": branch.version}


async def change_profile(request: Request, user: User, code: str, body: BranchProfileIn) -> int:
    branch = await run_in_threadpool(request.app.state.identity.branch, code)
    logo = {"logo": branch.profile["logo"]} if branch.profile.get("logo") else {}
    profile = {**body.model_dump(exclude={"expected_version"}), **logo}
    return await run_in_threadpool(request.app.state.identity.change_branch_profile, user.actor(), code, profile,
                                   body.expected_version)


@router.get("/api/branches/{code}/profile", response_model=BranchProfileRecord,
            summary="The branch's letterhead and payment details")
async def get_profile(code: str, request: Request,
                      user: User = require(ADMIN_LSP, MANAJER_SERTIFIKASI, KETUA_LSP)) -> dict:
    return await read_profile(request, branch_code(user, code))


@router.put("/api/branches/{code}/profile", response_model=BranchProfileRecord,
            summary="Change the branch's letterhead and payment details (the admin LSP)")
async def put_profile(code: str, body: BranchProfileIn, request: Request, user: User = require(ADMIN_LSP)) -> dict:
    await change_profile(request, user, branch_code(user, code), body)
    return await read_profile(request, code)


LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = ("image/png", "image/jpeg")


async def change_logo(request: Request, user: User, code: str, file: Any, expected_version: int | None) -> int:
    """The letterhead's logo (PNG or JPEG, at most 512 KB, checked by its content); kept only once the
    profile records it."""
    content = await file.read(LOGO_MAX_BYTES + 1)
    upload = await checked(content, file.filename or "", LOGO_MAX_BYTES)
    if upload.media_type not in LOGO_TYPES:
        raise Invalid("the logo must be a PNG or JPEG image", field="logo")
    branch = await run_in_threadpool(request.app.state.identity.branch, code)
    profile = {**BranchProfile(**{k: v for k, v in branch.profile.items() if k != "logo"}).model_dump(),
               "logo": {"file_id": upload.sha256, "media_type": upload.media_type}}
    ctx = Context(request, user, code)
    async with keep_if_accepted(ctx.files(), code, upload, content):
        return await run_in_threadpool(request.app.state.identity.change_branch_profile, user.actor(), code,
                                       profile, expected_version)


@router.put("/api/branches/{code}/logo", response_model=BranchProfileRecord,
            summary="Set the logo the branch's documents print in their letterhead (PNG or JPEG, at most 512 KB)")
async def put_logo(code: str, request: Request, file: Annotated[UploadFile, File()],
                   expected_version: Annotated[int | None, Form(ge=1)] = None,
                   user: User = require(ADMIN_LSP)) -> dict:
    await change_logo(request, user, branch_code(user, code), file, expected_version)
    return await read_profile(request, code)


# ---- the admin LSP's page -----------------------------------------------------------------------------

def page(request: Request, record: dict[str, Any], form: dict[str, Any], problems: dict[str, str],
         status_code: int = 200) -> Response:
    lang = page_lang(request)
    fields = [{"name": name, "label": label(name, lang), "value": form.get(name, ""),
               "type": "number" if name == "jatuh_tempo_hari" else "email" if name == "email" else "text",
               "problem": problems.get(name)} for name in BranchProfile.model_fields]
    return render(request, "branch_profile.html", status_code=status_code, branch=record, fields=fields,
                  problems=problems, version=record["version"], notice=request.query_params.get("pesan"))


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
async def profile_page(request: Request) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    record = await read_profile(request, user.tenant or "")
    return page(request, record, record["profile"], {})


@router.post(PAGE, include_in_schema=False)
async def save_profile_page(request: Request) -> Response:
    """Every problem at once, beside its field, with what was typed kept."""
    user = require_page_user(request, ADMIN_LSP)
    check_same_origin(request)
    posted = await request.form()
    form = {name: str(posted.get(name, ""))[:400] for name in BranchProfile.model_fields}
    record = await read_profile(request, user.tenant or "")
    lang = page_lang(request)
    try:
        given = {name: value for name, value in form.items() if value != "" or name != "jatuh_tempo_hari"}
        version = str(posted.get("expected_version", ""))
        body = BranchProfileIn(**given, expected_version=int(version) if version.isdecimal() else None)
        version = await change_profile(request, user, user.tenant or "", body)
    except ValidationError as error:
        problems = {str(e["loc"][-1]): validation_message(e, lang) for e in error.errors()}
        return page(request, record, form, problems, status_code=422)
    except (DomainError, HTTPException) as error:
        return page(request, record, form, {"": error_text(request, error)}, status_code=409)

    await shown(request, user.tenant or "", version)
    return redirect(f"{PAGE}?pesan=saved")


async def shown(request: Request, code: str, version: int) -> None:
    """The page the admin lands on shows the profile just saved."""
    async def reached() -> bool:
        doc = await request.app.state.read_store.find_one("identity", "branches", {"_id": code})
        return bool(doc and doc.get("version", 0) >= version)
    await eventually(reached)


@router.post(PAGE + "/logo", include_in_schema=False)
async def save_logo_page(request: Request, logo: Annotated[UploadFile, File()]) -> Response:
    user = require_page_user(request, ADMIN_LSP)
    check_same_origin(request)
    try:
        version = await change_logo(request, user, user.tenant or "", logo, None)
    except (DomainError, HTTPException) as error:
        record = await read_profile(request, user.tenant or "")
        problem = error_text(request, error)
        return page(request, record, record["profile"], {"logo": problem}, status_code=422)
    await shown(request, user.tenant or "", version)
    return redirect(f"{PAGE}?pesan=saved")
