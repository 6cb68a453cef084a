"""Login, accounts, tokens and sessions over HTTP: each test tries an attack that used to work.

In-process embedded platform (TestClient); the last test runs the real process to read its access log.
The in-process platform trusts X-Forwarded-For from the test client only, so each request can come from
an address of its own.
"""
import os
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient

from services.gateway.bootstrap import ADMIN_PASSWORD_FILE, SECRET_FILE
from services.gateway.main import create_app
from shared.settings import Settings
from tests.support.driver import ADMIN, login

PUBLISHED_DEFAULT = "dev-only-secret-change-me-in-production-0123456789"


def from_address(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def token_of(http, email: str, password: str, address: str = "198.51.100.1", branch: str | None = None):
    form = {"username": email, "password": password, **({"branch": branch} if branch else {})}
    return http.post("/api/auth/token", data=form, headers=from_address(address))


def signup(http, branch: str, email: str, password: str, name: str = "Budi Santoso"):
    return http.post("/api/auth/register", json={"branch": branch, "email": email, "name": name,
                                                 "password": password})


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("sessions"), trusted_proxies="testclient"))
    with TestClient(app, follow_redirects=False) as http:
        admin = login(http, *ADMIN)
        for code in ("JKT01", "SBY01"):
            admin.ok(admin.post("/api/branches", {"code": code, "name": f"LSP {code}"}), 201)
        yield {"http": http, "admin": admin}


def test_guesses_from_one_address_do_not_lock_the_platform_admin_out(world):
    http = world["http"]
    for _ in range(5):
        assert token_of(http, ADMIN[0], "tebakan-salah", "198.51.100.7").status_code == 401
    assert token_of(http, ADMIN[0], ADMIN[1], "198.51.100.8").status_code == 200  # the admin, elsewhere
    refused = token_of(http, ADMIN[0], ADMIN[1], "198.51.100.7")  # the guesser's address waits
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_signing_up_with_a_branch_code_that_does_not_exist_names_the_field(world):
    refused = signup(world["http"], "ZZZ99", "fajar@contoh.co.id", "rahasia123")
    assert refused.status_code == 422 and refused.json()["detail"]["field"] == "branch"  # was a 404


def test_signing_up_in_another_branch_tells_nothing_about_the_first(world):
    http, admin = world["http"], world["admin"]
    assert signup(http, "JKT01", "dewi@contoh.co.id", "rahasia123").status_code == 201
    other_branch = signup(http, "SBY01", "dewi@contoh.co.id", "sandi-lain-42")
    assert other_branch.status_code == 201, other_branch.text  # was 409: "this e-mail is already registered"
    again = signup(http, "JKT01", "dewi@contoh.co.id", "rahasia123")
    assert again.status_code == 409 and again.json()["detail"]["field"] == "email"  # within a branch: fine
    # nor does staff creation: a JKT01 asesi's e-mail becomes a new SBY01 asesor
    assert signup(http, "JKT01", "eko@contoh.co.id", "rahasia123", "Eko Prasetyo").status_code == 201
    staff = admin.post("/api/branches/SBY01/users", {"email": "eko@contoh.co.id", "name": "Eko Prasetyo",
                                                     "password": "rahasia123", "role": "asesor"})
    assert staff.status_code == 201, staff.text
    # the password says which account; one password for both needs the branch code
    sby = token_of(http, "dewi@contoh.co.id", "sandi-lain-42").json()["access_token"]
    assert http.get("/api/me", headers={"Authorization": f"Bearer {sby}"}).json()["branch"] == "SBY01"
    ambiguous = token_of(http, "eko@contoh.co.id", "rahasia123")
    assert ambiguous.status_code == 422 and ambiguous.json()["detail"]["field"] == "branch"
    jkt = token_of(http, "eko@contoh.co.id", "rahasia123", branch="jkt01").json()["access_token"]
    assert http.get("/api/me", headers={"Authorization": f"Bearer {jkt}"}).json()["role"] == "asesi"


@pytest.mark.parametrize("password, name, message", [
    ("rahasia", "Budi Santoso", "password: minimal 10 karakter"),
    ("qwertyuiop", "Budi Santoso", "kata sandi ini terlalu umum; pilih yang lain"),
    ("santoso2025!", "Budi Santoso", "kata sandi tidak boleh memuat nama atau e-mail Anda"),
    ("fajar.n-2025", "Fajar Nugroho", "kata sandi tidak boleh memuat nama atau e-mail Anda"),
])
def test_weak_passwords_are_refused_in_indonesian_naming_the_field(world, password, name, message):
    response = signup(world["http"], "JKT01", "fajar.n@contoh.co.id", password, name)
    assert response.status_code == 422 and response.json()["detail"]["field"] == "password"
    assert response.json()["detail"]["message"] == message
    staff = world["admin"].post("/api/branches/JKT01/users", {"email": "fajar.n@contoh.co.id", "name": name,
                                                              "password": password, "role": "asesor"})
    assert staff.status_code == 422 and staff.json()["detail"]["field"] == "password"


def forged(claims: dict, secret: str) -> str:
    now = datetime.now(UTC)
    return jwt.encode({"iat": now, "exp": now + timedelta(minutes=5), **claims}, secret, algorithm="HS256")


def test_tokens_signed_with_the_published_default_or_missing_claims_answer_401(world):
    http = world["http"]
    admin_claims = {"sub": "x", "email": "evil@example.com", "name": "Evil", "role": "platform_admin",
                    "tenant": None, "jti": "j"}
    secret = world["http"].app.state.settings.secret_key
    for token in (forged(admin_claims, PUBLISHED_DEFAULT), forged({"sub": "x"}, secret),
                  forged({**admin_claims, "name": 1}, secret)):
        assert http.get("/api/branches", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_in_the_query_is_refused_outside_the_event_stream(world):
    token = world["admin"].token
    assert world["http"].get(f"/api/me?access_token={token}").status_code == 401
    assert world["http"].get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_api_logout_ends_the_token(world):
    http = world["http"]
    token = token_of(http, ADMIN[0], ADMIN[1], "198.51.100.9").json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert http.get("/api/me", headers=bearer).status_code == 200
    assert http.post("/api/auth/logout", headers=bearer).status_code == 204
    assert http.get("/api/me", headers=bearer).status_code == 401
    assert http.post("/api/auth/logout", headers=bearer).status_code == 401


def test_page_logout_ends_the_session_not_only_the_cookie(world):
    http = world["http"]
    assert signup(http, "JKT01", "gita@contoh.co.id", "rahasia123").status_code == 201
    page = http.post("/masuk", data={"email": "gita@contoh.co.id", "password": "rahasia123"})
    assert page.status_code == 303 and page.headers["location"] == "/asesi"
    session = http.cookies["lsp_session"]
    assert http.get("/asesi").status_code == 200
    assert http.post("/keluar").headers["location"] == "/masuk"
    http.cookies.set("lsp_session", session)  # a copy of the cookie taken before logout
    assert http.get("/asesi").headers["location"] == "/masuk"
    assert http.get("/api/me", headers={"Authorization": f"Bearer {session}"}).status_code == 401
    http.cookies.clear()


def test_the_login_page_asks_for_the_branch_and_passes_on_retry_after(world):
    http = world["http"]
    assert signup(http, "JKT01", "hadi@contoh.co.id", "rahasia123").status_code == 201
    assert signup(http, "SBY01", "hadi@contoh.co.id", "rahasia123").status_code == 201
    ambiguous = http.post("/masuk", data={"email": "hadi@contoh.co.id", "password": "rahasia123"})
    assert ambiguous.status_code == 422 and "isi kode cabang" in ambiguous.text
    chosen = http.post("/masuk", data={"email": "hadi@contoh.co.id", "password": "rahasia123", "branch": "sby01"})
    assert chosen.status_code == 303
    http.cookies.clear()
    for _ in range(5):
        http.post("/masuk", data={"email": "hadi@contoh.co.id", "password": "salah-sandi"},
                  headers=from_address("198.51.100.30"))
    locked = http.post("/masuk", data={"email": "hadi@contoh.co.id", "password": "rahasia123"},
                       headers=from_address("198.51.100.30"))
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_cookies_are_secure_when_served_over_https(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, public_url="https://e-asesmen.example.id"))
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as http:
        page = http.post("/masuk", data={"email": ADMIN[0], "password": ADMIN[1]})
        assert page.status_code == 303 and "secure" in page.headers["set-cookie"].lower()
        assert "secure" in http.get("/masuk?lang=en").headers["set-cookie"].lower()


def test_cookies_over_plain_http_are_not_marked_secure(world):
    page = world["http"].get("/masuk?lang=id")
    assert "lsp_lang=id" in page.headers["set-cookie"] and "secure" not in page.headers["set-cookie"].lower()


def test_embedded_first_start_generates_the_admin_password_and_says_where(tmp_path, caplog):
    app = create_app(Settings(data_dir=tmp_path, platform_admin_password=""))
    with TestClient(app) as http:
        password = (tmp_path / ADMIN_PASSWORD_FILE).read_text().strip()
        assert login(http, ADMIN[0], password)
        assert token_of(http, ADMIN[0], "admin12345").status_code == 401
    assert str((tmp_path / ADMIN_PASSWORD_FILE).resolve()) in caplog.text
    assert os.stat(tmp_path / ADMIN_PASSWORD_FILE).st_mode & 0o777 == 0o600


def test_the_access_log_never_shows_a_token_or_a_holders_name(embedded):
    """The real process under uvicorn: the stream takes ?access_token=, and its log line hides it;
    so is the name asked for by the public certificate check."""
    http = httpx.Client(base_url=embedded.url, timeout=10)
    checked = http.get("/api/public/certificates/LSP-JKT01-2026-00001", params={"name": "Siti Nurhaliza"})
    assert checked.status_code == 404
    token = login(http, *ADMIN).token
    with httpx.stream("GET", f"{embedded.url}/api/events/stream?access_token={token}", timeout=10) as stream:
        assert stream.status_code == 200
        assert next(line for line in stream.iter_lines() if line.startswith("event:")) == "event: ready"
    elsewhere = http.get(f"/api/me?access_token={token}")
    log = (embedded.data_dir / "platform.log").read_text()
    assert token not in log and token.split(".")[2] not in log
    assert "GET /api/events/stream?access_token=[redacted]" in log and "/api/me?access_token=[redacted]" in log
    assert elsewhere.status_code == 401
    assert "Nurhaliza" not in log and "certificates/LSP-JKT01-2026-00001?name=[redacted]" in log
    assert os.stat(embedded.data_dir / SECRET_FILE).st_mode & 0o777 == 0o600
