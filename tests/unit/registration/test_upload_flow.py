"""Uploads through the API (embedded): a file is kept only once the command that refers to it is
accepted, within the quotas per case and per asesi, and a crash between the command and keeping the
file loses nothing."""
import asyncio
import uuid

import pytest
from eventsourcing.persistence import StoredEvent
from fastapi.exceptions import RequestValidationError

from services.registration import api
from services.registration.projections import PROJECTIONS
from shared.files import DiskFileStore
from shared.projector import Projector
from shared.settings import Settings
from tests.support.api import (
    OTHER,
    OWNER,
    SBY_ASESI,
    STAFF_ADMIN,
    TENANT,
    accepted_case,
    api_client,
    auth,
    validation_error,
)
from tests.support.samples import ADMIN, ASESI, pdf_of_size, tiny_pdf

PDF = "application/pdf"


@pytest.fixture
def client(app, store, tmp_path):
    client = api_client(api.router, {"registration": app}, store, STAFF_ADMIN, OWNER, OTHER, SBY_ASESI)
    client.app.add_exception_handler(RequestValidationError, validation_error)
    client.app.state.file_store = DiskFileStore(tmp_path / "files")
    client.app.state.settings = Settings(data_dir=tmp_path)
    client.app.state.vaults = {"registration": app.vault}
    return client


def stored(tmp_path) -> list[str]:
    """Every file under the store's directory: kept, staged or half-written."""
    root = tmp_path / "files"
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def kept(file_id: str) -> list[str]:
    return [f"{TENANT}/{file_id[:2]}/{file_id}", f"{TENANT}/{file_id[:2]}/{file_id}.json"]


def upload(client, user, path: str, content: bytes, **form):
    return client.post(path, headers=auth(user), data=form or None, files={"file": ("dok.pdf", content, PDF)})


def project(app, store) -> None:
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())


def draft(client, scheme_id: str) -> str:
    created = client.post("/api/applications", json={"scheme_id": scheme_id}, headers=auth(OWNER))
    assert created.status_code == 201, created.text
    return f"/api/applications/{created.json()['id']}"


def test_a_refused_upload_leaves_no_bytes_an_accepted_one_is_kept_and_served(app, store, client, scheme_id,
                                                                              tmp_path):
    base = draft(client, scheme_id)
    paying, _ = accepted_case(app, TENANT, ASESI, ADMIN, scheme_id)  # awaiting payment
    refused = [
        (SBY_ASESI, f"{base}/requirements/PD-01", {}, 404),  # another branch's case
        (OTHER, f"{base}/requirements/PD-01", {}, 409),  # another asesi's case
        (OWNER, f"/api/applications/{uuid.uuid4()}/requirements/PD-01", {}, 404),  # no such case
        (OWNER, f"{base}/requirements/XX-99", {}, 404),  # no such requirement
        (OWNER, f"{base}/requirements/PD-01", {"expected_version": "7"}, 409),  # a stale version
        (OWNER, f"{base}/evidence", {}, 409),  # a draft takes no portfolio evidence
        (OWNER, f"{base}/payment-proof", {"reference": "TRF-1", "amount": "100"}, 409),  # nothing to pay yet
        (OWNER, f"/api/applications/{paying}/payment-proof", {"reference": "TRF-1", "amount": "1"}, 422),
    ]
    for number, (user, path, form, status) in enumerate(refused):
        answer = upload(client, user, path, tiny_pdf(f"refused {number}"), **form)
        assert answer.status_code == status, (path, answer.text)
        assert stored(tmp_path) == [], path

    accepted = upload(client, OWNER, f"{base}/requirements/PD-01", tiny_pdf("KTP"))
    assert accepted.status_code == 200, accepted.text
    file_id = accepted.json()["file_id"]
    assert accepted.json()["size"] == len(tiny_pdf("KTP")) and stored(tmp_path) == kept(file_id)
    project(app, store)
    got = client.get(f"{base}/files/{file_id}", headers=auth(OWNER))
    assert got.status_code == 200 and got.content == tiny_pdf("KTP")


def test_quota_exceeded_answers_422_naming_file_and_stores_nothing(app, store, client, scheme_id, tmp_path):
    app.upload_quota_mb = 1  # per case
    client.app.state.settings = Settings(upload_quota_per_asesi_mb=2)
    first, big = draft(client, scheme_id), pdf_of_size(700_000)
    assert upload(client, OWNER, f"{first}/requirements/PD-01", big).status_code == 200
    assert upload(client, OWNER, f"{first}/requirements/PD-02", big).status_code == 200  # stored once, counted once
    over_case = upload(client, OWNER, f"{first}/requirements/PD-03", pdf_of_size(400_000))
    assert over_case.status_code == 422 and over_case.json()["detail"]["field"] == "file"
    assert over_case.json()["detail"]["template"].startswith("the uploads of this application would exceed")
    assert over_case.json()["detail"]["message"].startswith("Unggahan permohonan ini akan melebihi kuotanya, 1 MB")
    project(app, store)
    second = draft(client, scheme_id)
    assert upload(client, OWNER, f"{second}/requirements/PD-01", pdf_of_size(900_000)).status_code == 200
    project(app, store)  # the asesi's total is read from the read model: 1.6 MB of 2
    third = draft(client, scheme_id)
    over_asesi = upload(client, OWNER, f"{third}/requirements/PD-01", pdf_of_size(600_000))
    assert over_asesi.status_code == 422 and over_asesi.json()["detail"]["field"] == "file"
    assert over_asesi.json()["detail"]["params"] == {"limit": "2"}
    assert over_asesi.json()["detail"]["template"].startswith("your uploads would exceed your quota")
    project(app, store)
    documents = [d for path in (first, second) for d in client.get(path, headers=auth(OWNER)).json()["documents"]]
    files = {d["file_id"] for d in documents if d["file_id"]}
    assert len(files) == 2 and stored(tmp_path) == sorted(p for file_id in files for p in kept(file_id))


def test_a_crash_after_the_command_before_the_file_is_kept_loses_nothing(app, store, client, scheme_id, tmp_path,
                                                                         monkeypatch):
    async def gateway_dies(self, staged):
        raise RuntimeError("the gateway process died here")

    base = draft(client, scheme_id)
    monkeypatch.setattr(DiskFileStore, "promote", gateway_dies)
    with pytest.raises(RuntimeError):
        upload(client, OWNER, f"{base}/requirements/PD-01", tiny_pdf("KTP"))
    monkeypatch.undo()
    client.app.state.file_store = DiskFileStore(tmp_path / "files")  # a new process on the same directory
    project(app, store)
    (document,) = [d for d in client.get(base, headers=auth(OWNER)).json()["documents"] if d["code"] == "PD-01"]
    assert document["file_id"]  # the event was saved, and refers to the file ...
    got = client.get(f"{base}/files/{document['file_id']}", headers=auth(OWNER))
    assert got.status_code == 200 and got.content == tiny_pdf("KTP")  # ... which is served from its staged copy
    assert upload(client, OWNER, f"{base}/requirements/PD-02", tiny_pdf("KTP")).status_code == 200
    assert kept(document["file_id"]) == [p for p in stored(tmp_path) if "pending" not in p]


def test_an_asesi_holds_a_bounded_number_of_drafts(app, store, client, scheme_id):
    client.app.state.settings = Settings(asesi_max_drafts=2)
    draft(client, scheme_id)
    draft(client, scheme_id)
    project(app, store)
    third = client.post("/api/applications", json={"scheme_id": scheme_id}, headers=auth(OWNER))
    assert third.status_code == 409 and third.json()["detail"]["params"] == {"count": "2", "limit": "2"}


def test_events_recorded_before_sizes_were_replay_as_size_0(app, scheme_id):
    case_id = app.draft_application(TENANT, ASESI, scheme_id, "Sertifikasi")
    app.attach_requirement_document(TENANT, ASESI, case_id, "PD-01", file_id="ab" * 32, sha256="ab" * 32,
                                    media_type=PDF, filename="a.pdf", size=1234)
    aggregate = None
    for stored in app.recorder.select_events(uuid.UUID(case_id)):
        state = app.mapper.transcoder.decode(stored.state)
        state.pop("size", None)  # as the event was written before this change
        old = StoredEvent(stored.originator_id, stored.originator_version, stored.topic,
                          app.mapper.transcoder.encode(state))
        aggregate = app.mapper.to_domain_event(old).mutate(aggregate)
    assert aggregate.uploads == {"ab" * 32: 0} and aggregate.documents["PD-01"]["filename"] == "a.pdf"
    assert app.repository.get(uuid.UUID(case_id)).uploaded_bytes == 1234


def test_the_asesi_summary_follows_drafts_and_uploads_and_replays_to_the_same(app, store, client, scheme_id):
    """The draft cap and the asesi quota read one summary document; it is set, never counted up, so a
    replay of the log (a rebuilt read model, a projector restarted mid-batch) gives the same one."""
    first, second = draft(client, scheme_id), draft(client, scheme_id)
    assert upload(client, OWNER, f"{first}/requirements/PD-01", pdf_of_size(300_000)).status_code == 200
    project(app, store)
    summary = asyncio.run(store.find_one("registration", "asesi", {"_id": f"{TENANT}:{ASESI['id']}"}))
    first_id, second_id = first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]
    assert sorted(summary["drafts"]) == sorted([first_id, second_id])
    assert summary["uploaded_bytes"] == {first_id: 300_000, second_id: 0}
    positions = store.client[f"{store.prefix}_registration"]["_positions"]
    asyncio.run(positions.delete_many({}))  # forget how far it got: every event is applied again
    project(app, store)
    again = asyncio.run(store.find_one("registration", "asesi", {"_id": f"{TENANT}:{ASESI['id']}"}))
    assert again == summary
