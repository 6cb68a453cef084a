"""SOP 1.2.1: once the application is in, the asesi is asked to prepare the TUK equipment of the
scheme (remote assessment happens at their own place) and ticks what is ready."""
import asyncio
from uuid import UUID

import pytest
from fastapi.exceptions import RequestValidationError

from services.registration import api
from services.registration.notices import notice_policies
from services.registration.projections import PROJECTIONS
from services.registration.seed import REMOTE_REQUIREMENTS
from shared.errors import Conflict, Invalid
from shared.messaging.inbox import Inbox
from shared.projector import Projector
from tests.support.api import (
    OTHER,
    OWNER,
    SBY_ASESI,
    STAFF_ADMIN,
    TENANT,
    api_client,
    auth,
    published,
    submitted_case,
    validation_error,
)
from tests.support.samples import ADMIN, ASESI


@pytest.fixture
def case_id(app, scheme_id):
    return submitted_case(app, TENANT, ASESI, scheme_id)


def kinds(app, case_id: str) -> list[str]:
    parts = {str(part) for part in app.case_parts(TENANT, case_id)}  # the case's aggregates (TUK list included)
    return [e.type for e in published(app) if e.aggregate_id in parts]


def test_submitting_asks_once_for_the_schemes_equipment(app, case_id):
    assert kinds(app, case_id)[-2:] == ["ApplicationSubmitted", "TukEquipmentRequested"]
    requested = next(e for e in published(app) if e.type == "TukEquipmentRequested")
    assert requested.data["items"] == REMOTE_REQUIREMENTS and requested.actor.role == "system"
    app.verify_document(TENANT, ADMIN, case_id, "PD-01", "tidak_memenuhi", "buram")
    for code in ("PD-02", "PD-03", "ADM-01", "ADM-02", "ADM-03"):
        app.verify_document(TENANT, ADMIN, case_id, code, "memenuhi")
    app.recommend_application(TENANT, ADMIN, case_id, "tidak_diterima", "PD-01 buram")
    app.submit_application(TENANT, ASESI, case_id)  # resubmitted: not asked again
    assert kinds(app, case_id).count("TukEquipmentRequested") == 1


def test_the_asesi_ticks_what_is_ready_in_the_lists_order(app, case_id):
    version = app.confirm_tuk_equipment(TENANT, ASESI, case_id, [REMOTE_REQUIREMENTS[2], REMOTE_REQUIREMENTS[0]])
    confirmed = [e for e in published(app) if e.type == "TukEquipmentConfirmed"][-1]
    assert confirmed.data == {"ready": [REMOTE_REQUIREMENTS[0], REMOTE_REQUIREMENTS[2]], "complete": False}
    assert app.confirm_tuk_equipment(TENANT, ASESI, case_id, [REMOTE_REQUIREMENTS[0], REMOTE_REQUIREMENTS[2]]) \
        == version  # nothing changed, nothing recorded
    app.confirm_tuk_equipment(TENANT, ASESI, case_id, list(REMOTE_REQUIREMENTS))
    assert [e for e in published(app) if e.type == "TukEquipmentConfirmed"][-1].data["complete"] is True


def test_only_the_asesi_confirms_and_only_what_was_asked(app, case_id, settings):
    with pytest.raises(Invalid) as unknown:
        app.confirm_tuk_equipment(TENANT, ASESI, case_id, ["Printer"])
    assert unknown.value.field == "ready" and "Printer" in unknown.value.message
    with pytest.raises(Conflict):
        app.confirm_tuk_equipment(TENANT, {**ASESI, "id": "asesi-2"}, case_id, [])
    draft = app.draft_application(TENANT, ASESI, app.seed_schemes(TENANT, ADMIN)[0], "Sertifikasi")
    with pytest.raises(Conflict):  # not asked before the application is in
        app.confirm_tuk_equipment(TENANT, ASESI, draft, [])
    assert "TukEquipmentConfirmed" not in kinds(app, case_id)


def test_the_request_is_told_by_e_mail_with_the_list(app, case_id):
    inbox = Inbox(app, notice_policies(app), attempts=2, sleep=lambda _: None)
    envelope = next(e for e in published(app) if e.type == "TukEquipmentRequested")
    assert inbox.handle(envelope.model_dump(mode="json")) == "processed"
    notice = next(n for n in published(app) if n.type == "NoticeQueued")
    message = app.repository.get(UUID(notice.aggregate_id)).message(app.vault)
    assert message.subject == "Siapkan perlengkapan asesmen jarak jauh untuk skema Ahli K3 Umum"
    assert f"- {REMOTE_REQUIREMENTS[0]}" in message.body and "tandai setiap perlengkapan" in message.body


def test_over_http_the_owner_confirms_others_are_refused(app, case_id, store):
    client = api_client(api.router, {"registration": app}, store, OWNER, STAFF_ADMIN, OTHER, SBY_ASESI)
    client.app.add_exception_handler(RequestValidationError, validation_error)
    client.app.state.vaults = {"registration": app.vault}
    path = f"/api/applications/{case_id}/tuk-equipment"
    done = client.put(path, json={"ready": REMOTE_REQUIREMENTS[:2]}, headers=auth(OWNER))
    assert done.status_code == 200
    asyncio.run(Projector(app, store, PROJECTIONS).catch_up())
    shown = client.get(f"/api/applications/{case_id}", headers=auth(STAFF_ADMIN)).json()["tuk_equipment"]
    assert (shown["items"], shown["ready"], shown["complete"]) == (REMOTE_REQUIREMENTS, REMOTE_REQUIREMENTS[:2], False)
    assert client.put(path, json={"ready": []}, headers=auth(STAFF_ADMIN)).status_code == 403  # the asesi's to say
    assert client.put(path, json={"ready": []}, headers=auth(OTHER)).status_code == 409  # not theirs
    assert client.put(path, json={"ready": []}, headers=auth(SBY_ASESI)).status_code == 404  # another branch
    bad = client.put(path, json={"ready": "semua"}, headers=auth(OWNER))
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "ready"
