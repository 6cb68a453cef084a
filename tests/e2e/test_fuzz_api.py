"""Schema-driven fuzzing of the whole JSON API (schemathesis), against the embedded platform run as
the README runs it, with a token of each role and none.

Every operation gets generated requests, valid and invalid, and each is sent once per caller.
A run fails on any 5xx, any status or body the OpenAPI document does not describe (the document
lists each operation's errors: services/gateway/openapi.py), and any 2xx that shows one branch's
records to another branch's user. A second test sends every operation that names a record in its
path to another branch's real records, with each role of this branch: never a 2xx.

Bounded to stay within a minute: LSP_FUZZ_EXAMPLES examples per operation (default 10, about 3,300
requests), the same ones each run (derandomized, so CI is reproducible); LSP_FUZZ_RANDOM=1 explores new ones.
"""
import os
import re
import tempfile
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.gateway.main import create_app
from shared.settings import Settings
from tests.support.driver import ADMIN, login, open_branch, run_case, signup_asesi, submit_application, wait_for
from tests.support.platform import EmbeddedPlatform

EXAMPLES = int(os.environ.get("LSP_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SENT: list[int] = []  # requests made, reported at the end of the module


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Two branches with staff, an asesi each and a finished case each (so ids are real)."""
    platform = EmbeddedPlatform(tmp_path_factory.mktemp("fuzz"))
    platform.start()
    http = httpx.Client(base_url=platform.url, timeout=30)
    try:
        admin = login(http, *ADMIN)
        branches, cases = {}, {}
        for code in ("JKT01", "SBY01"):
            branches[code] = open_branch(http, admin, code)
            asesi = signup_asesi(http, code, f"asesi.{code.lower()}@contoh.co.id")
            cases[code] = {**run_case(http, branches[code], asesi), "asesi": asesi}
            cases[code]["draft"] = submit_application(asesi)
        yield {"url": platform.url, "admin": admin, "branches": branches, "cases": cases, "http": http}
        print(f"\nfuzz: {sum(SENT)} requests sent")
    finally:
        http.close()
        platform.stop()


def callers(world, ends_session: bool = False) -> dict[str, dict[str, str]]:
    """Headers of each kind of caller: JKT01's people, the platform admin, and nobody (only nobody for
    an operation that ends the caller's session, which would end the other tests' sessions too)."""
    if ends_session:
        return {"anonymous": {}}
    jkt, case = world["branches"]["JKT01"], world["cases"]["JKT01"]
    people = {"asesi": case["asesi"], "admin_lsp": jkt.admin, "asesor": jkt.asesor, "ketua_lsp": jkt.ketua,
              "platform_admin": world["admin"]}
    return {**{role: session.headers for role, session in people.items()}, "anonymous": {}}


def operation_labels() -> list[str]:
    """Every operation of the OpenAPI document ("GET /api/..."), read at collection without a server."""
    with tempfile.TemporaryDirectory() as data_dir:  # building the app must leave nothing behind
        document = create_app(Settings(data_dir=data_dir)).openapi()
    return [f"{method.upper()} {path}" for path, methods in document["paths"].items() for method in methods
            if path != "/api/events/stream"]  # never ends: tests/e2e and tests/unit/gateway/test_streams.py cover it


@pytest.fixture(scope="module")
def operations(world) -> dict[str, Any]:
    """The operations of the document the running platform serves."""
    served = schemathesis.openapi.from_url(f"{world['url']}/openapi.json")
    found = [result.ok() for result in served.get_all_operations()]
    return {operation.label: operation for operation in found}


FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not os.environ.get("LSP_FUZZ_RANDOM"),
                suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("label", operation_labels())
def test_every_operation_answers_as_documented_for_every_role(label, operations, world):
    operation = operations[label]
    generated = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)

    @FUZZ
    @given(generated)
    def each(case: Any) -> None:
        for role, headers in callers(world, ends_session=label == "POST /api/auth/logout").items():
            response = case.call(headers=headers)
            SENT.append(1)
            case.validate_response(response, checks=CHECKS, headers=headers)
            if role not in ("platform_admin", "anonymous") and response.status_code < 300:
                assert not leaks_other_branch(response.text, world), (role, case.method, case.formatted_path)
    each()


def leaks_other_branch(body: str, world) -> bool:
    """Does a JKT01 user's answer name SBY01 or hold one of its record ids?"""
    sby = world["cases"]["SBY01"]
    return bool(re.search(r"\bSBY01\b", body)) or any(i in body for i in (sby["case_id"], sby["draft"]))


def other_branch_ids(world) -> dict[str, str]:
    """Real records of SBY01, by the path parameter names the API uses."""
    sby = world["cases"]["SBY01"]
    application = world["admin"].ok(world["admin"].get(f"/api/applications/{sby['case_id']}?branch=SBY01"))
    scheme = world["admin"].ok(world["admin"].get("/api/schemes?branch=SBY01"))[0]
    return {"case_id": sby["case_id"], "scheme_id": scheme["id"], "number": sby["certificate_number"],
            "file_id": application["documents"][0]["file_id"], "requirement_code": application["documents"][0]["code"],
            "code": "SBY01", "branch": "SBY01"}


@pytest.mark.parametrize("label", [label for label in operation_labels() if "{" in label
                                   and not label.split(" ")[1].startswith("/api/public/")])
def test_no_operation_reaches_another_branchs_records(label, operations, world):
    """Every record named in a path is another branch's real one (public ones are public by design)."""
    ids = other_branch_ids(world)

    @settings(max_examples=1, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(operations[label].as_strategy(GenerationMode.POSITIVE))
    def each(case: Any) -> None:
        case.path_parameters = {name: ids.get(name, value) for name, value in case.path_parameters.items()}
        for role, headers in callers(world).items():
            if role in ("platform_admin", "anonymous"):
                continue
            response = case.call(headers=headers)
            SENT.append(1)
            assert response.status_code >= 400, (role, case.method, case.formatted_path, response.status_code,
                                                 response.text[:300])
    each()


def test_the_world_is_real(world):
    """The cross-branch test means something only if SBY01's records exist and SBY01 can read them."""
    sby = world["branches"]["SBY01"]
    case_id = world["cases"]["SBY01"]["case_id"]
    assert wait_for(lambda: sby.admin.get(f"/api/applications/{case_id}").status_code == 200)
    assert world["branches"]["JKT01"].admin.get(f"/api/applications/{case_id}").status_code == 404

