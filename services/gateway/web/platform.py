"""The platform admin's pages: the LSP branches, and each branch's staff accounts.

A form that is refused comes back with what was typed (the password aside) and the reason beside it.
"""
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from services.gateway import api as gateway_api
from services.gateway.identity import STAFF_ROLES
from shared.errors import DomainError, NotFound
from shared.web import (
    PLATFORM_ADMIN,
    check_same_origin,
    error_text,
    eventually,
    redirect,
    render,
    require_page_user,
)

router = APIRouter(include_in_schema=False)
HOME = "/platform"
Text = Annotated[str, Form(max_length=200)]


async def branches(request: Request) -> list[dict[str, Any]]:
    return await request.app.state.read_store.find("identity", "branches", {}, sort=[("code", 1)], limit=None)


async def staff_of(request: Request, code: str) -> list[dict[str, Any]]:
    return await request.app.state.read_store.find("identity", "users", {"tenant": code},
                                                   sort=[("role", 1), ("name", 1)], limit=None)


@router.get(HOME, response_class=HTMLResponse)
async def home(request: Request) -> Response:
    require_page_user(request, PLATFORM_ADMIN)
    return render(request, "platform_branches.html", branches=await branches(request), form={},
                  notice=request.query_params.get("pesan"))


@router.post(HOME + "/cabang")
async def open_branch(request: Request, code: Text, name: Text) -> Response:
    user = require_page_user(request, PLATFORM_ADMIN)
    check_same_origin(request)
    form = {"code": code.strip().upper(), "name": name.strip()}
    try:
        await gateway_api.open_branch(request, user, gateway_api.BranchIn(**form))
    except (DomainError, HTTPException, ValueError) as error:
        return refused(request, error, "platform_branches.html", form=form, branches=await branches(request))
    await eventually(lambda: request.app.state.read_store.find_one("identity", "branches", {"_id": form["code"]}))
    return redirect(f"{HOME}/cabang/{form['code']}?pesan=branch_opened")


@router.get(HOME + "/cabang/{code}", response_class=HTMLResponse)
async def branch(request: Request, code: str) -> Response:
    require_page_user(request, PLATFORM_ADMIN)
    return await branch_page(request, code, form={}, notice=request.query_params.get("pesan"))


async def branch_page(request: Request, code: str, status_code: int = 200, **context: Any) -> Response:
    found = await request.app.state.read_store.find_one("identity", "branches", {"_id": code})
    if found is None:
        raise NotFound("{what} not found", what="branch")
    return render(request, "platform_branch.html", status_code=status_code, branch=found,
                  staff=await staff_of(request, code), roles=STAFF_ROLES, **context)


@router.post(HOME + "/cabang/{code}/staf")
async def add_staff(request: Request, code: str, email: Text, name: Text, role: Text, password: Text) -> Response:
    user = require_page_user(request, PLATFORM_ADMIN)
    check_same_origin(request)
    form = {"email": email.strip(), "name": name.strip(), "role": role}
    try:
        created = await gateway_api.add_staff(request, user, code, gateway_api.StaffIn(**form, password=password))
    except (DomainError, HTTPException, ValueError) as error:
        return await branch_page(request, code, status_code=422, form=form, problem=problem(request, error))
    await eventually(lambda: request.app.state.read_store.find_one("identity", "users", {"_id": created["id"]}))
    return redirect(f"{HOME}/cabang/{code}?pesan=staff_added")


def refused(request: Request, error: Exception, template: str, **context: Any) -> Response:
    return render(request, template, status_code=422, problem=problem(request, error), **context)


def problem(request: Request, error: Exception) -> dict[str, str]:
    """What went wrong, in the reader's language, and the form field it is about (shown beside it)."""
    errors = getattr(error, "errors", None)
    field = str(errors()[0]["loc"][-1]) if callable(errors) else getattr(error, "field", None) or ""
    return {"field": field, "text": error_text(request, error)}
