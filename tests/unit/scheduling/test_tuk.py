"""The TUK registry (SOP 1.4): the domain's rules, each tried; the API's roles and branches; the page
keeps what was typed and names every problem beside its field."""
from uuid import UUID

import pytest

from services.scheduling import api
from services.scheduling.forms import TUK
from shared.errors import Conflict, Invalid, NotFound
from shared.signing import verify
from tests.support.api import api_client, as_user, auth
from tests.support.samples import ADMIN, ASESI, TENANT

ONLINE = {"nama": "TUK Sewaktu Daring", "jenis": "sewaktu", "jarak_jauh": "ya", "kapasitas": "20"}
ON_SITE = {"nama": "TUK Tempat Kerja PT Aman", "jenis": "tempat_kerja", "jarak_jauh": "tidak",
           "alamat": "Jl. Industri No. 5, Cikarang", "kapasitas": "12", "nomor_sk": "SK/TUK/007/2026",
           "sk_berlaku_sampai": "2029-12-31"}




def test_a_tuk_is_registered_revised_and_taken_out_of_use(app):
    tuk_id = app.register_tuk(TENANT, ADMIN, ON_SITE)
    tuk = app.repository.get(UUID(tuk_id))
    assert tuk.data["kapasitas"] == 12 and tuk.data["alamat"] == ON_SITE["alamat"] and tuk.status == "aktif"
    assert app.revise_tuk(TENANT, ADMIN, tuk_id, {**ON_SITE, "kapasitas": "15"}, expected_version=1) == 2
    with pytest.raises(Conflict):  # a stale version
        app.revise_tuk(TENANT, ADMIN, tuk_id, ON_SITE, expected_version=1)
    assert app.set_tuk_active(TENANT, ADMIN, tuk_id, False) == 3
    with pytest.raises(Conflict):  # already out of use: the table has no such move
        app.set_tuk_active(TENANT, ADMIN, tuk_id, False)
    with pytest.raises(NotFound):  # another branch's TUK does not exist for this one
        app.revise_tuk("SBY01", ADMIN, tuk_id, ON_SITE)


@pytest.mark.parametrize("values, field", [
    ({**ON_SITE, "alamat": ""}, "alamat"),  # on site without an address
    ({**ON_SITE, "sk_berlaku_sampai": ""}, "sk_berlaku_sampai"),  # a decree without its validity
    ({**ONLINE, "sk_berlaku_sampai": "2029-01-01"}, "nomor_sk"),  # a validity without its decree
    ({**ONLINE, "kapasitas": "0"}, "kapasitas"),
    ({**ONLINE, "kapasitas": "banyak"}, "kapasitas"),
    ({**ONLINE, "jenis": "kantor"}, "jenis"),
    ({**ONLINE, "nama": ""}, "nama"),
])
def test_every_rule_refuses_by_the_field_it_is_about(app, values, field):
    with pytest.raises(Invalid) as refused:
        app.register_tuk(TENANT, ADMIN, values)
    assert refused.value.field == field


def test_the_api_admits_the_admin_of_the_branch_only(app, store):
    admin, asesi, other = as_user(ADMIN), as_user(ASESI), as_user({**ADMIN, "id": "admin-sby"}, "SBY01")
    client = api_client(api.router, {"scheduling": app}, store, admin, asesi, other)
    created = client.post("/api/tuk", json=ONLINE, headers=auth(admin))
    assert created.status_code == 201, created.text
    tuk_id = created.json()["id"]
    assert client.post("/api/tuk", json=ONLINE, headers=auth(asesi)).status_code == 403
    refused = client.post("/api/tuk", json={**ON_SITE, "alamat": ""}, headers=auth(admin))
    assert refused.status_code == 422 and refused.json()["detail"]["field"] == "alamat"
    assert client.put(f"/api/tuk/{tuk_id}", json=ON_SITE, headers=auth(other)).status_code == 404
    assert client.post(f"/api/tuk/{tuk_id}/deactivate", json={}, headers=auth(other)).status_code == 404
    assert client.post(f"/api/tuk/{tuk_id}/deactivate", json={"expected_version": 1},
                       headers=auth(admin)).json()["status"] == "nonaktif"


def test_the_admin_signs_what_was_recorded_checkable_from_the_event_alone(app):
    tuk_id = app.register_tuk(TENANT, ADMIN, ON_SITE)
    tuk = app.repository.get(UUID(tuk_id))
    assert verify(tuk.signature, TUK.content(tuk.data), role="admin_lsp")
    assert tuk.signature["signer"]["id"] == ADMIN["id"]
    assert not verify(tuk.signature, TUK.content({**tuk.data, "kapasitas": 99}))
