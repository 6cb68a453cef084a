"""Registration's FR.APL.01 Bagian 1 as declared in its forms.py: the domain's rules come from it and the API
reports every problem at once (every form's own checks: tests/unit/shared/test_forms.py)."""
import pytest

from shared.errors import Invalid


def test_registration_derives_its_bagian_1_rules_from_the_definition():
    from services.registration import domain
    from services.registration.forms import BAGIAN_1

    assert domain.APPLICANT_FIELDS == BAGIAN_1.names and domain.REQUIRED_FIELDS == BAGIAN_1.required
    assert domain.SENSITIVE_FIELDS == BAGIAN_1.sealed and "nama_lengkap" not in domain.SENSITIVE_FIELDS
    with pytest.raises(Invalid) as error:
        domain.check_personal_data({"nik": "12", "kode_pos": "1", "hp": "x"})
    assert error.value.field == "nik" and error.value.params["fields"] == ["nik", "kode_pos", "hp"]


# ---- the API reports every problem of Bagian 1 at once -----------------------------------------------------

def test_the_api_names_every_problem_of_bagian_1_in_the_readers_language(settings, store):
    from fastapi.exceptions import RequestValidationError

    from services.registration import api
    from services.registration.application import build_application
    from tests.support.api import TENANT, api_client, as_user, auth, validation_error
    from tests.support.samples import ADMIN, ASESI

    app = build_application(settings)
    owner = as_user(ASESI)
    client = api_client(api.router, {"registration": app}, store, as_user(ADMIN), owner)
    client.app.add_exception_handler(RequestValidationError, validation_error)
    client.app.state.vaults = {"registration": app.vault}
    try:
        scheme_id = app.seed_schemes(TENANT, ADMIN)[0]
        case_id = client.post("/api/applications", json={"scheme_id": scheme_id}, headers=auth(owner)).json()["id"]
        bad = {"nik": "12", "kode_pos": "4011", "jenis_kelamin": "X", "tanggal_lahir": "1850-01-01", "email": "siti"}
        answer = client.put(f"/api/applications/{case_id}/personal-data", json=bad, headers=auth(owner))
        assert answer.status_code == 422
        detail = answer.json()["detail"]
        assert detail["field"] == "nik"
        by_field = {e["field"]: e["message"] for e in detail["errors"]}
        assert set(by_field) == set(bad)
        assert by_field["kode_pos"] == "bukan kode pos 5 digit yang valid"
        assert by_field["jenis_kelamin"] == "harus salah satu dari: L, P"
        english = client.put(f"/api/applications/{case_id}/personal-data", json=bad,
                             headers={**auth(owner), "Accept-Language": "en"}).json()["detail"]
        assert {e["field"]: e["message"] for e in english["errors"]}["kode_pos"] == "not a valid 5-digit postcode"
        for value in ("1850-01-01", "siti"):
            assert value not in answer.text  # the values are not echoed back (they may be personal data)
        saved = client.put(f"/api/applications/{case_id}/personal-data",
                           json={"nama_lengkap": "  Siti   Rahayu ", "telp_rumah": ""}, headers=auth(owner))
        assert saved.status_code == 200, saved.text
    finally:
        app.close()
