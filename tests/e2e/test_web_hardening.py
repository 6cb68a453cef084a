"""Web hardening on the running platform (`python -m services.gateway.main`, a real uvicorn):
security headers on every kind of response, the request-head deadline, and public certificate
checks that cannot be used to list holders."""
import socket
import time

import httpx
import pytest

from tests.support.driver import ADMIN, login, open_branch, run_case, signup_asesi, verify_certificate, wait_for
from tests.support.platform import EmbeddedPlatform

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:  # a short deadline, so the test need not wait 10 s
        env.setenv("LSP_HEADER_READ_TIMEOUT", "1")
        platform = EmbeddedPlatform(tmp_path_factory.mktemp("hardened"))
        platform.start()
    yield platform
    platform.stop()


@pytest.fixture(scope="module")
def certified(platform):
    """One certificate in MDN01 (holder Budi Santoso), another asesi of MDN01, and branch SBY02."""
    http = httpx.Client(base_url=platform.url, timeout=20)
    admin = login(http, *ADMIN)
    branch, other_branch = open_branch(http, admin, "MDN01"), open_branch(http, admin, "SBY02")
    holder = signup_asesi(http, "MDN01", "budi@contoh.co.id")
    number = run_case(http, branch, holder)["certificate_number"]
    [certificate] = wait_for(lambda: holder.ok(holder.get("/api/certificates")), what="the certificate")
    return {"http": http, "number": number, "certificate": certificate, "holder": holder,
            "branch": branch, "other_branch": other_branch,
            "other_asesi": signup_asesi(http, "MDN01", "andi@contoh.co.id")}


def test_a_slow_request_head_is_cut_off_and_normal_requests_are_answered(platform):
    with socket.create_connection(("127.0.0.1", platform.port)) as slow:
        start = time.monotonic()
        try:
            for byte in b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n":  # 4 s at this pace
                slow.sendall(bytes([byte]))
                time.sleep(0.1)
            slow.settimeout(5)
            assert slow.recv(1024) == b""
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert 0.9 < time.monotonic() - start < 2.5
    assert httpx.get(f"{platform.url}/health", timeout=5).status_code == 200


def test_pages_api_answers_and_error_pages_carry_the_security_headers(platform):
    http = httpx.Client(base_url=platform.url, timeout=10)
    page = {"Accept": "text/html"}
    responses = [http.get("/masuk"), http.get("/health"), http.get("/static/app.css"),
                 http.get("/api/public/certificates/LSP-MDN01-2026-00099", params={"name": "x"}),
                 http.get("/sertifikat/bukan-token", headers=page), http.get("/sertifikat")]
    for response in responses:
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
    assert [r.status_code for r in responses] == [200, 200, 200, 404, 404, 200]
    assert "Halaman tidak ditemukan" in responses[4].text  # the error page


def test_counting_certificate_numbers_reveals_no_holder(certified):
    http, number = certified["http"], certified["number"]
    unknown = http.get(f"/api/public/certificates/{number[:-5]}99999", params={"name": "Budi Santoso"})
    assert unknown.status_code == 404
    for params in ({}, {"name": "Andi"}, {"name": ""}):
        answer = http.get(f"/api/public/certificates/{number}", params=params)
        assert (answer.status_code, answer.content) == (404, unknown.content), params
    certificate = verify_certificate(http, number, "BUDI santoso")
    assert certificate["status"] == "berlaku" and certificate["holder"] == {"name": "Budi Santoso"}


def test_the_qr_token_shows_the_certificate_and_only_its_holder_and_office_get_the_qr(certified):
    http, number, token = certified["http"], certified["number"], certified["certificate"]["verification_token"]
    shown = http.get(f"/api/public/certificates/by-token/{token}").json()
    assert shown == verify_certificate(http, number) and shown["scheme"]["title"] == "Ahli K3 Umum"
    assert http.get(f"/api/public/certificates/by-token/{token[::-1]}").status_code == 404
    qr = f"/api/certificates/{number}/qr.svg"
    for allowed in (certified["holder"], certified["branch"].admin, certified["branch"].ketua):
        answer = allowed.get(qr)
        assert answer.status_code == 200 and answer.content.startswith(b"<svg"), answer.text
    assert certified["other_asesi"].get(qr).status_code == 404
    assert certified["other_branch"].admin.get(qr).status_code == 404
    assert http.get(qr).status_code == 401


def head_only(platform, head: bytes) -> bytes:
    """Send a request head that announces a large body, send none of the body, and read the answer:
    a server that reads (or waits for) the body before answering never answers here."""
    with socket.create_connection(("127.0.0.1", platform.port)) as connection:
        connection.sendall(head)
        connection.settimeout(5)
        return connection.recv(4096)


@pytest.mark.parametrize("path, answer", [
    ("/api/applications/x/requirements/PD-01", b"HTTP/1.1 401"),  # an upload, without a token
    ("/asesi/permohonan/x/apl02", b"HTTP/1.1 303"),  # a page's form, without a session: to the login page
])
def test_a_stranger_is_answered_before_the_body_is_read(platform, path, answer):
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {100 * 1024 * 1024}\r\n\r\n").encode()
    assert head_only(platform, head).startswith(answer)


def test_a_body_larger_than_its_kind_needs_is_refused_from_its_length(platform, certified):
    holder = certified["holder"]
    token = holder.headers["Authorization"]
    json_head = (f"PUT /api/applications/x/personal-data HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\n"
                 f"Content-Type: application/json\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n").encode()
    assert head_only(platform, json_head).startswith(b"HTTP/1.1 413")
    upload_head = (f"POST /api/applications/x/evidence HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\n"
                   f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {11 * 1024 * 1024}\r\n\r\n")
    assert head_only(platform, upload_head.encode()).startswith(b"HTTP/1.1 413")
    big = holder.put("/api/applications/x/personal-data", json={"nama_lengkap": "x" * (1024 * 1024)})
    assert big.status_code == 413 and big.json()["detail"]["code"] == "too_large"
