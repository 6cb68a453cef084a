"""Hostile and unusual requests to the web pages (probes kept from the hardening review): no page
answers 500, a form never makes the server loop over a count the client sends, and nothing is done
for a visitor who is not logged in. In-process embedded platform, driven over HTTP."""
import time

import pytest
from fastapi.testclient import TestClient

from services.gateway.main import create_app
from shared.settings import Settings
from tests.support.driver import ADMIN, login, open_branch, signup_asesi

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("page-probes")))
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as http:
        jkt = open_branch(http, login(http, *ADMIN), "JKT01")
        asesi = signup_asesi(http, "JKT01", "budi@contoh.co.id")
        scheme = asesi.ok(asesi.get("/api/schemes"))[0]
        draft = asesi.ok(asesi.post("/api/applications", {"scheme_id": scheme["id"]}), 201)["id"]
        yield {"http": http, "asesi": asesi, "draft": draft, "admin": jkt.admin}


def as_page_user(http: TestClient, token: str | None) -> TestClient:
    http.cookies.clear()
    if token:
        http.cookies.set("lsp_session", token)
    return http


def test_the_asesi_home_lists_a_draft(world):
    http = as_page_user(world["http"], world["asesi"].token)
    page = http.get("/asesi", headers=HTML)
    assert page.status_code == 200, page.text[:500]
    assert f"/asesi/permohonan/{world['draft']}" in page.text


def test_a_form_post_without_login_does_no_work_whatever_count_it_claims(world):
    http = as_page_user(world["http"], None)
    started = time.monotonic()
    response = http.post(f"/asesi/permohonan/{world['draft']}/apl02", data={"rows": str(10**7)}, headers=HTML)
    assert response.status_code == 303 and response.headers["location"] == "/masuk"
    assert time.monotonic() - started < 3  # the old loop over `rows` took about 10 s for this


@pytest.mark.parametrize("form", [{"rows": "banyak"}, {"rows": "-1", "answer-0": "K"},
                                  {"answer-0": "K"}, {"answer-99999999999999999999": "K"},
                                  {"answer-x": "K", "unit_code-x": "U"}])
def test_a_malformed_self_assessment_form_is_refused_with_a_message_not_a_500(world, form):
    http = as_page_user(world["http"], world["asesi"].token)
    response = http.post(f"/asesi/permohonan/{world['draft']}/apl02", data=form, headers=HTML)
    assert response.status_code == 303, response.text[:500]
    assert response.headers["location"].startswith(f"/asesi/permohonan/{world['draft']}")


@pytest.mark.parametrize("query", ["((*", "[a-", ".*" * 50, "\\", "x" * 120])
def test_the_case_search_takes_any_text_literally(world, query):
    """The admin's search is a literal match on the name (regular-expression characters are escaped)."""
    http = as_page_user(world["http"], world["admin"].token)
    page = http.get("/admin/kasus", params={"q": query, "status": "nonsense"}, headers=HTML)
    assert page.status_code == 200 and "0 kasus ditemukan" in page.text
    assert http.get("/admin/kasus", params={"q": "x" * 121}, headers=HTML).status_code == 422  # bounded
