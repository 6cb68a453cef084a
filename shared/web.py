"""FastAPI helpers every service router uses: who is calling, which branch, how to run a command.

The gateway installs the pieces on app.state (authenticator, command bus, read store);
service routers only depend on these functions, never on the gateway itself.
"""
import asyncio
import re
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field
from starlette.requests import HTTPConnection

from shared.aggregate import Actor
from shared.documents import Letterhead
from shared.errors import DomainError, Forbidden, Invalid, NotFound
from shared.files import FileStore, open_file_store
from shared.privacy import Vault
from shared.readstore import ReadStore
from shared.settings import Settings, get_settings

PLATFORM_ADMIN = "platform_admin"
ADMIN_LSP = "admin_lsp"
ASESI = "asesi"
ASESOR = "asesor"
KETUA_LSP = "ketua_lsp"
MANAJER_SERTIFIKASI = "manajer_sertifikasi"
ROLES = (PLATFORM_ADMIN, ADMIN_LSP, ASESI, ASESOR, KETUA_LSP, MANAJER_SERTIFIKASI,
         "asesor_penyelia", "komite_teknis")

STAFF = (ADMIN_LSP, MANAJER_SERTIFIKASI, KETUA_LSP)  # the branch's office, who see all its cases


class Versioned(BaseModel):
    """Body of a command on an existing record: optimistic concurrency from the client."""
    expected_version: int | None = Field(default=None, ge=1,
                                         description="the version you last read; a stale one answers 409")


SESSION_COOKIE = "lsp_session"  # the web UI's login, carrying the same token
# EventSource cannot send headers, so only the live stream may take its token as ?access_token=
# (and the access log redacts it, shared/privacy.py). Elsewhere a token in a URL would be logged.
QUERY_TOKEN_PATHS = frozenset({"/api/events/stream"})

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    role: str
    tenant: str | None  # None only for platform admins, who see every branch

    def actor(self) -> Actor:
        return {"id": self.id, "role": self.role, "name": self.name}


def api_token(request: HTTPConnection) -> str | None:
    """The token an API request carries: the Authorization header; on a GET also the web session
    (pages link to downloads; never a command: no cookie-borne writes) or, on the stream only,
    ?access_token=."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return token
    if request.scope.get("method") != "GET":
        return None
    if request.url.path in QUERY_TOKEN_PATHS and request.query_params.get("access_token"):
        return request.query_params["access_token"]
    return request.cookies.get(SESSION_COOKIE)


UNAUTHENTICATED = HTTPException(401, {"code": "unauthenticated", "message": "silakan masuk terlebih dahulu"},
                                headers={"WWW-Authenticate": "Bearer"})


async def current_user(request: Request, _: Annotated[str | None, Depends(oauth2_scheme)]) -> User:
    """The caller, as the gateway's admission check found them before the route ran (or found now).
    Async, so that a request already admitted costs no trip to the thread pool."""
    user = getattr(request.state, "user", None)
    if user is None:
        token = api_token(request)
        if not token:
            raise UNAUTHENTICATED
        user = request.state.user = await run_in_threadpool(request.app.state.authenticate, token)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require(*roles: str) -> Any:
    """Dependency admitting only the given roles (platform admins are admitted everywhere)."""
    async def check(user: CurrentUser) -> User:
        if user.role != PLATFORM_ADMIN and user.role not in roles:
            raise Forbidden("this needs one of the roles: {roles}", roles=list(roles))
        return user
    check.roles = roles  # type: ignore[attr-defined]  # read by the OpenAPI error documentation
    return Depends(check)


def branch_of(user: User, branch: str | None = None) -> str:
    """The tenant a request acts in: the user's own branch; a platform admin names one."""
    if user.tenant is not None:
        return user.tenant
    if not branch:
        raise Invalid("platform admins must say which branch (?branch=CODE)", field="branch")
    return branch


BranchParam = Annotated[str | None, Query(description="branch code (platform admins only)")]


def read_store(request: Request) -> ReadStore:
    return request.app.state.read_store


Store = Annotated[ReadStore, Depends(read_store)]


async def command(request: Request, service: str, name: str, /, **kwargs: Any) -> Any:
    """Run a service command off the event loop (embedded: direct call; distributed: RPC)."""
    return await run_in_threadpool(request.app.state.bus.call, service, name, **kwargs)


def public(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """A read-model document as an API response (Mongo's _id becomes id)."""
    if doc is None:
        return None
    out = {k: v for k, v in doc.items() if k != "_id"}
    out["id"] = doc["_id"]
    return out


def found(doc: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """The document, or a 404 that says what was not found (also for another branch's record)."""
    if doc is None:
        raise NotFound("{what} not found", what=what)
    return doc


async def branch_user(request: Request, user_id: str) -> User | None:
    """Look a user up in the gateway's identity store."""
    return await run_in_threadpool(request.app.state.identity.user, user_id)


async def branch_users(request: Request, tenant: str, *roles: str) -> list[dict[str, str]]:
    """The branch's accounts in these roles (id, name, role), by name, from the gateway's identity read model."""
    query: dict[str, Any] = {"tenant": tenant, **({"role": {"$in": list(roles)}} if roles else {})}
    docs = await request.app.state.read_store.find("identity", "users", query, sort=[("name", 1)], limit=None)
    return [{"id": doc["_id"], "name": doc.get("name", ""), "role": doc.get("role", "")} for doc in docs]


async def branch_name(request: Request, code: str) -> str:
    """The branch's name as documents print it (the code when the name is unknown)."""
    try:
        branch = await run_in_threadpool(request.app.state.identity.branch, code)
    except Exception:  # a document must not fail for want of a display name
        return code
    return f"{branch.name} ({code})"


# ---- the request context: what a use case acts with, the same behind a JSON route and a page ----

_opening = threading.Lock()


@dataclass(frozen=True)
class Context:
    """Who acts, in which branch, and the platform's means: commands, read models, files, vaults.
    Use cases take one; `acting(...)` gives it to a JSON route and `page_context(...)` to a page."""
    request: Request
    user: User
    tenant: str

    @property
    def actor(self) -> Actor:
        return self.user.actor()

    @property
    def store(self) -> ReadStore:
        return self.request.app.state.read_store

    @property
    def settings(self) -> Settings:
        return getattr(self.request.app.state, "settings", None) or get_settings()

    async def command(self, service: str, name: str, /, **kwargs: Any) -> Any:
        """A command of a service, in this context's branch and by its user."""
        return await command(self.request, service, name, tenant=self.tenant, actor=self.actor, **kwargs)

    def files(self) -> FileStore:
        return file_store(self.request)

    def vault(self, service: str) -> Vault:
        """A service's personal-data vault: the embedded service's own, or one on its store."""
        state = self.request.app.state
        with _opening:
            if getattr(state, "vaults", None) is None:
                state.vaults = {}
            vaults = state.vaults
            if service not in vaults:
                app = (getattr(getattr(state, "runtime", None), "apps", None) or {}).get(service)
                vaults[service] = getattr(app, "vault", None) or Vault.for_service(self.settings, service)
            return vaults[service]


def file_store(request: Request) -> FileStore:
    """The platform's file store (disk embedded, GridFS distributed), opened on first use."""
    state = request.app.state
    with _opening:
        if getattr(state, "file_store", None) is None:
            settings = getattr(state, "settings", None) or get_settings()
            state.file_store = open_file_store(settings, state.read_store)
        return state.file_store


def acting(*roles: str) -> Any:
    """Dependency: the context of a caller in one of these roles (any role when none is named);
    a platform admin names the branch with ?branch=."""
    async def build(request: Request, user: CurrentUser, branch: BranchParam = None) -> Context:
        if roles and user.role != PLATFORM_ADMIN and user.role not in roles:
            raise Forbidden("this needs one of the roles: {roles}", roles=list(roles))
        return Context(request, user, branch_of(user, branch))
    build.roles = roles  # type: ignore[attr-defined]  # read by the OpenAPI error documentation
    return Depends(build)


async def branch_profile(request: Request, code: str) -> dict[str, Any]:
    """The branch as its documents print it: name and code, and its profile (address, telephone, e-mail,
    BNSP licence, bank, account, payee, days until an invoice is due), empty where not filled in yet."""
    try:
        branch = await run_in_threadpool(request.app.state.identity.branch, code)
    except Exception:  # a document must not fail for want of a letterhead
        return {"code": code, "name": code}
    return {**(getattr(branch, "profile", None) or {}), "code": code, "name": branch.name}


async def letterhead(request: Request, code: str) -> Letterhead:
    """The branch's letterhead for its documents, from the profile its admin keeps (/admin/cabang)."""
    branch = await branch_profile(request, code)
    return Letterhead(name=f"{branch['name']} ({branch['code']})", address=branch.get("alamat", ""),
                      licence=branch.get("nomor_lisensi", ""), phone=branch.get("telepon", ""),
                      email=branch.get("email", ""), logo=await logo_of(request, code, branch.get("logo")))


async def logo_of(request: Request, code: str, logo: dict[str, Any] | None) -> bytes | None:
    if not logo:
        return None
    try:
        _, content = await file_store(request).get(code, logo["file_id"])
    except Exception:  # a document must not fail for want of its logo
        return None
    return content


# ---- pages: what a service's page routes use; the gateway installs the rendering and the session ----

LANGUAGES = ("id", "en")  # Bahasa Indonesia first
LANG_COOKIE = "lsp_lang"  # the web UI's language, chosen with ?lang=


def page_lang(request: Request) -> str:
    """?lang= (then remembered in a cookie), else the cookie, else Indonesian."""
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "id")
    return lang if lang in LANGUAGES else "id"

class LoginRequired(Exception):
    """Raised by page handlers; the app answers with a redirect to the login page."""


def page_user(request: Request) -> User | None:
    """The logged-in user of a page (its session cookie), or None."""
    return request.app.state.page_user(request)


def require_page_user(request: Request, *roles: str) -> User:
    user = page_user(request)
    if user is None:
        raise LoginRequired
    if roles and user.role not in roles:  # pages work in one branch: a platform admin has their own
        raise Forbidden("this page is not for your role")
    return user


def page_context(request: Request, *roles: str) -> Context:
    """A page's context: its logged-in user, in one of these roles, in their own branch."""
    user = require_page_user(request, *roles)
    return Context(request, user, user.tenant or "")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Any:
    """A page in the base layout and the reader's language (the gateway's renderer; a service's
    templates are found by the name of its package: "certification/check.html")."""
    return request.app.state.render(request, template, status_code=status_code, **context)


SCHEME_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def chosen_scheme(request: Request, form: Any = None) -> str:
    """The scheme an asesi chose in the catalogue (?skema=), carried through sign-up and login."""
    value = str((form or {}).get("skema") or request.query_params.get("skema") or "")
    return value if SCHEME_ID.fullmatch(value) else ""


async def case_view(request: Request, user: User, case_id: str, status: str) -> dict[str, Any]:
    """The case seen whole, for a case page: what each service shows of it (`case`), where it stands
    (`stage`, a text key; `status` is registration's), and its audit trail (`history`). The gateway composes it."""
    return await request.app.state.case_view(request, user, case_id, status)


def check_same_origin(request: Request) -> None:
    """Forms are protected against cross-site posting by SameSite=Lax plus this Origin check."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin and urlsplit(origin).netloc != request.url.netloc:
        raise Forbidden("cross-site request refused")


def error_text(request: Request, error: Exception) -> str:
    """What went wrong, in the reader's language (the gateway's catalogue)."""
    return request.app.state.error_text(error, page_lang(request))


def typed_values(form: Any, posted: Any) -> dict[str, str]:
    """What a page posted for a form definition's fields (shared.forms.Form), each bounded by its length."""
    return {f.name: str(posted.get(f.name) or "").strip()[:f.max_length + 1] for f in form.fields}


async def attempt(request: Request, problems: dict[str, str], run: Callable[[], Awaitable[Any]]) -> Any:
    """Run a page's step; a refusal becomes a problem beside the field it names (or the page's own, ""),
    in the reader's language, and the step's result is None."""
    try:
        return await run()
    except (DomainError, HTTPException) as error:
        problems[getattr(error, "field", None) or ""] = error_text(request, error)
        return None


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)  # after a POST, the browser GETs the next page


async def eventually(probe: Callable[[], Awaitable[Any]], timeout: float = 2.0) -> Any:
    """Read models follow commands within milliseconds: wait that long rather than show a gap."""
    for _ in range(int(timeout / 0.05)):
        if result := await probe():
            return result
        await asyncio.sleep(0.05)
    return None


async def form_step(request: Request, roles: tuple[str, ...], page: str, run: Callable[[Context], Awaitable[Any]],
                    done: str = "", settled: Callable[[Context], Awaitable[Any]] | None = None) -> RedirectResponse:
    """One step taken from a page's form: who may, from this site only; then back to the page saying
    what happened (?pesan=) or, in the reader's language, what went wrong (?galat=). `settled` says
    when the page's read model shows the step, so the page the user lands on shows it too."""
    ctx = page_context(request, *roles)
    check_same_origin(request)
    try:
        await run(ctx)
    except (DomainError, HTTPException, ValueError) as error:
        return redirect(f"{page}?{urlencode({'galat': error_text(request, error)})}")
    if settled is not None:
        await eventually(lambda: settled(ctx))
    return redirect(f"{page}?{urlencode({'pesan': done})}" if done else page)
