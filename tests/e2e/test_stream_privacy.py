"""The live stream over HTTP on the embedded platform: two asesi of one branch listen while one of them
applies and her case runs to its certificate. Each asesi sees only their own case, the asesor only the
case assigned to them, the office the branch, and no stream carries anyone's personal data."""
import httpx

from tests.support import driver
from tests.support.driver import ADMIN, PERSONAL_DATA, login, open_branch, run_case, signup_asesi, wait_for
from tests.support.sse import EventCollector

# asesi Dewi's Bagian 1, her own values: anything of it on a stream is a leak
BAGIAN_1 = {**PERSONAL_DATA, "nama_lengkap": "Dewi Lestari Anggraini", "nik": "3174014505920002",
            "email": "dewi.lestari@contoh.co.id", "hp": "081298765432", "institusi": "PT Baja Pesisir Nusantara",
            "jabatan": "Ahli K3 Madya", "telp_kantor": "021-5550177", "email_kantor": "dewi@bajapesisir.co.id"}
PERSONAL = ("nama_lengkap", "nik", "tempat_lahir", "alamat_rumah", "hp", "email", "institusi", "jabatan",
            "alamat_kantor", "telp_kantor", "email_kantor")
MET = "MET.000.001668.2012"  # the asesor's registration, as open_branch makes it
SERVICES = {"registration", "scheduling", "assessment", "certification"}


def cases(collector: EventCollector) -> set[str]:
    return {event["correlation_id"] for event in collector.events}


def test_an_asesi_sees_only_their_own_case_and_no_stream_carries_personal_data(embedded, monkeypatch):
    http = httpx.Client(base_url=embedded.url, timeout=20)
    branch = open_branch(http, login(http, *ADMIN), "JKT01")
    dewi, andi = signup_asesi(http, "JKT01", "dewi@contoh.co.id"), signup_asesi(http, "JKT01", "andi@contoh.co.id")
    url = f"{embedded.url}/api/events/stream"
    streams = {name: EventCollector(url, session.token)
               for name, session in (("dewi", dewi), ("andi", andi), ("office", branch.admin),
                                     ("asesor", branch.asesor))}
    try:
        scheme_id = andi.ok(andi.get("/api/schemes"))[0]["id"]
        andis_case = andi.ok(andi.post("/api/applications", {"scheme_id": scheme_id, "purpose": "Sertifikasi"}),
                             201)["id"]
        monkeypatch.setattr(driver, "PERSONAL_DATA", BAGIAN_1)  # the driver fills Bagian 1 with it
        dewis_case = run_case(http, branch, dewi)["case_id"]
        for name in ("dewi", "office", "asesor"):
            wait_for(lambda seen=streams[name]: "CertificateIssued" in seen.types(),
                     what=f"the certificate on {name}'s stream")
    finally:
        for collector in streams.values():
            collector.close()

    # Dewi: her case from every service, her Bagian 1 steps included; Andi: his draft, nothing of hers
    assert cases(streams["dewi"]) == {dewis_case}
    assert {event["source"] for event in streams["dewi"].events} == SERVICES
    assert {"DraftUpdated", "ApplicationSubmitted"} <= set(streams["dewi"].types())
    assert streams["andi"].types() == ["ApplicationDrafted"] and cases(streams["andi"]) == {andis_case}
    # the asesor: from the assignment on; the office: the whole branch
    assert cases(streams["asesor"]) == {dewis_case} and streams["asesor"].types()[0] == "AssessorAppointed"
    assert cases(streams["office"]) >= {dewis_case, andis_case}

    # no data, no names: not the applicants', not the staff's
    names = ["Budi Santoso", *(f"{role.title()} JKT01" for role in ("admin_lsp", "asesor", "ketua_lsp"))]
    secrets = [BAGIAN_1[field] for field in PERSONAL] + names + [MET]
    for name, collector in streams.items():
        assert all("data" not in event and set(event["actor"]) == {"id", "role"} for event in collector.events), name
        assert not [secret for secret in secrets if any(secret in text for text in collector.wire)], name
