"""Scheduling HTTP API: the assessor registry (Daftar Asesor) and assigning assessors to cases."""
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from services.scheduling import queries, usecases
from services.scheduling.forms import CEK_SISTEM, JADWAL, TUK, VERIFIKASI_TUK
from shared.responses import AssessorRef, Model, Person, Record, Saved, SchemeSnapshot, Timestamp
from shared.web import ADMIN_LSP, ASESI, ASESOR, MANAJER_SERTIFIKASI, STAFF, Context, Versioned, acting, found

router = APIRouter(tags=["scheduling"])
SERVICE = usecases.SERVICE
CaseStatus = Literal["awaiting_assessor", "assigned", "completed"]
SchemeNumber = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9./_-]+$")]


class AssessorIn(BaseModel):
    user_id: str = Field(min_length=1, max_length=64, description="an existing user with role asesor")
    met_number: str = Field(pattern=r"^MET\.\d{3}\.\d{6}[ .]\d{4}$", description="No. Reg. MET",
                            examples=["MET.000.001668.2012"])
    valid_until: date = Field(description="expiry of the MET registration")
    scheme_numbers: list[SchemeNumber] = Field(min_length=1, max_length=50)


TukIn = TUK.request_model("TukIn", doc="A TUK for the branch's registry (SOP 1.4)")
TukRevisionIn = TUK.request_model("TukRevisionIn", base=Versioned, doc="The TUK's whole data, revised")


class TukRecord(Record):
    """A TUK of the branch's registry."""
    nama: str
    jenis: Literal["sewaktu", "tempat_kerja", "mandiri"]
    jarak_jauh: Literal["ya", "tidak"] = Field(description="ya: remote (online); tidak: on site")
    alamat: str | None
    kapasitas: int = Field(description="candidates per session")
    nomor_sk: str | None = Field(description="the decree (SK) that set the TUK up")
    sk_berlaku_sampai: date | None
    status: Literal["aktif", "nonaktif"]
    registered_at: Timestamp
    updated_at: Timestamp


class TukState(Saved):
    status: Literal["aktif", "nonaktif"] | None = None


JadwalIn = JADWAL.request_model("JadwalIn", doc="An assessment session of one scheme at a TUK (SOP 1.6.1)")


class Seat(Model):
    case_id: str
    asesi: Person
    placed_at: Timestamp


class JadwalRecord(Record):
    """A schedule with its seats."""
    skema: str
    tanggal: date
    mulai: str = Field(description="WIB, HH:MM")
    selesai: str = Field(description="WIB, HH:MM")
    tuk: dict[str, str] = Field(description="the TUK's id and name")
    tuk_id: str = Field(description="the TUK's id, as created")
    jarak_jauh: Literal["ya", "tidak"]
    tautan: str | None
    kuota_min: int
    kuota_maks: int
    status: Literal["terjadwal", "selesai", "dibatalkan"]
    seats: list[Seat]
    placed: int
    created_at: Timestamp
    updated_at: Timestamp


class JadwalState(Saved):
    status: Literal["terjadwal", "selesai", "dibatalkan"]


class PlaceIn(Versioned):
    case_id: str = Field(min_length=1, max_length=64, description="a paid, feasible case of the schedule's scheme")


class Placed(Saved):
    case_id: str


class AssignIn(Versioned):
    assessor_id: str = Field(min_length=1, max_length=64, description="the assessor's user id")


class Assessor(Record):
    """An entry of the Daftar Asesor, with the cases the asesor holds now."""
    user_id: str = Field(description="the asesor's user id")
    name: str
    met_number: str = Field(description="No. Reg. MET")
    valid_until: date = Field(description="expiry of the MET registration")
    scheme_numbers: list[str] = Field(description="the schemes the asesor is competent in")
    active_cases: list[str] = Field(description="case ids assigned and not yet recommended")
    load: int = Field(description="how many active cases")
    registered_at: Timestamp


class AssessorRegistered(Model):
    id: str = Field(description="the registry entry's id")
    user_id: str


class ScheduleCase(Record):
    """A case found feasible, waiting for (or given) its asesor."""
    asesi: Person
    scheme: SchemeSnapshot
    invoice_number: str
    status: CaseStatus
    assessor: AssessorRef | None = Field(description="null until assigned")
    opened_at: Timestamp
    assigned_at: Timestamp | None = Field(default=None, description="absent until assigned")
    schedule_id: str | None = Field(default=None, description="its schedule, once placed")
    needs_reschedule: str | None = Field(default=None, description="why it waits for a new schedule "
                                                                    "(tuk_tidak_layak: SOP 2.4.1)")
    updated_at: Timestamp


class Assignment(Saved):
    status: Literal["assigned"]
    assessor_id: str = Field(description="the asesor's user id")


Office = Annotated[Context, acting(*STAFF)]


@router.post("/api/assessors", status_code=status.HTTP_201_CREATED, response_model=AssessorRegistered)
async def register_assessor(body: AssessorIn, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.register_assessor(ctx, body.model_dump(mode="json"))


@router.get("/api/assessors", response_model=list[Assessor])
async def list_assessors(ctx: Office, scheme_number: Annotated[str | None, Query(max_length=64)] = None) -> list[dict]:
    return await queries.list_assessors(ctx.store, ctx.tenant, scheme_number)


@router.get("/api/scheduling/cases", response_model=list[ScheduleCase], response_model_exclude_unset=True)
async def list_cases(ctx: Office, status_: Annotated[CaseStatus | None, Query(alias="status")] = None) -> list[dict]:
    return await queries.list_cases(ctx.store, ctx.tenant, status_)


@router.get("/api/scheduling/cases/{case_id}", response_model=ScheduleCase, response_model_exclude_unset=True)
async def get_case(case_id: str, ctx: Office) -> dict:
    return found(await queries.get_case(ctx.store, ctx.tenant, case_id), "case")


@router.post("/api/scheduling/cases/{case_id}/assign", response_model=Assignment)
async def assign_assessor(case_id: str, body: AssignIn,
                          ctx: Annotated[Context, acting(ADMIN_LSP, MANAJER_SERTIFIKASI)]) -> dict:
    return await usecases.assign_assessor(ctx, case_id, body.assessor_id, body.expected_version)


# ---- the TUK registry (SOP 1.4) ----------------------------------------------------------------------------

@router.get("/api/tuk", response_model=list[TukRecord], summary="The branch's TUK registry")
async def list_tuks(ctx: Office, status_: Annotated[Literal["aktif", "nonaktif"] | None, Query(alias="status")] = None
                    ) -> list[dict]:
    return await queries.list_tuks(ctx.store, ctx.tenant, status_)


@router.get("/api/tuk/{tuk_id}", response_model=TukRecord)
async def get_tuk(tuk_id: str, ctx: Office) -> dict:
    return found(await queries.get_tuk(ctx.store, ctx.tenant, tuk_id), "TUK")


@router.post("/api/tuk", status_code=status.HTTP_201_CREATED, response_model=TukState,
             summary="Register a TUK (the domain names every rule it breaks)")
async def register_tuk(body: TukIn, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.register_tuk(ctx, body.model_dump())


@router.put("/api/tuk/{tuk_id}", response_model=TukState)
async def revise_tuk(tuk_id: str, body: TukRevisionIn, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.revise_tuk(ctx, tuk_id, body.model_dump(exclude={"expected_version"}),
                                     body.expected_version)


@router.post("/api/tuk/{tuk_id}/{action}", response_model=TukState,
             summary="Take a TUK out of use (deactivate) or back into use (activate)")
async def set_tuk_active(tuk_id: str, action: Literal["activate", "deactivate"], body: Versioned,
                         ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.set_tuk_active(ctx, tuk_id, action == "activate", body.expected_version)


# ---- schedules (SOP 1.6.1-1.6.4) ----------------------------------------------------------------------------

@router.get("/api/schedules", response_model=list[JadwalRecord], summary="The branch's schedules, soonest first")
async def list_schedules(ctx: Office) -> list[dict]:
    return await queries.list_schedules(ctx.store, ctx.tenant)


@router.get("/api/schedules/{schedule_id}", response_model=JadwalRecord)
async def get_schedule(schedule_id: str, ctx: Office) -> dict:
    return found(await queries.get_schedule(ctx.store, ctx.tenant, schedule_id), "schedule")


@router.post("/api/schedules", status_code=status.HTTP_201_CREATED, response_model=JadwalState,
             summary="Create a schedule (the domain names every rule it breaks)")
async def create_schedule(body: JadwalIn, ctx: Annotated[Context, acting(ADMIN_LSP, MANAJER_SERTIFIKASI)]) -> dict:
    return await usecases.create_schedule(ctx, body.model_dump())


@router.post("/api/schedules/{schedule_id}/cases", response_model=Placed,
             summary="Place a case into a seat; a full schedule answers 409")
async def place_case(schedule_id: str, body: PlaceIn,
                     ctx: Annotated[Context, acting(ADMIN_LSP, MANAJER_SERTIFIKASI)]) -> dict:
    return await usecases.place_case(ctx, schedule_id, body.case_id, body.expected_version)


# ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------------

CekSistemIn = CEK_SISTEM.request_model("CekSistemIn", doc="The admin LSP's systems check of a remote session")
VerifikasiTukIn = VERIFIKASI_TUK.request_model("VerifikasiTukIn", doc="One participant's online TUK checklist")
RoomName = Annotated[str, Field(min_length=1, max_length=60)]


class RundownLine(Model):
    waktu: str = Field(max_length=20, description="WIB, HH:MM or HH:MM-HH:MM", examples=["08:00-08:30"])
    kegiatan: str = Field(max_length=200, description="the activity", examples=["Pembukaan dan pengarahan"])


class RoomPlanIn(BaseModel):
    rooms: dict[str, RoomName] = Field(max_length=999, description="case id -> its breakout room, every seat one")
    rundown: list[RundownLine] = Field(default_factory=list, max_length=30)


class VerifierIn(BaseModel):
    user_id: str = Field(min_length=1, max_length=64, description="a user of the branch: asesor or admin LSP")


class PlanSaved(Saved):
    pass


class VerifierSaved(Saved):
    verifier: Person


class TukVerificationSaved(Model):
    case_id: str
    conclusion: Literal["layak", "layak_dengan_perbaikan", "tidak_layak"]
    version: int


class Participant(Model):
    case_id: str
    asesi: Person
    room: str | None
    assessor: AssessorRef | None = Field(description="the case's assessor (null until assigned)")
    needs_reschedule: str | None = Field(description="why the case waits for a new schedule, if it does")
    verification: dict | None = Field(description="the latest TUK verification: conclusion, data, verifier, "
                                                  "verified_at, signature")


class SessionPlanRecord(Model):
    """A remote schedule's preparation: systems check, rooms (the saved plan, else the proposal), rundown,
    verifier and each participant's verification."""
    schedule_id: str
    verifiable: bool = Field(description="a remote TUK Sewaktu: its participants' places are verified online")
    systems_check: dict | None
    rooms_saved: bool = Field(description="false: the rooms are the default proposal, not yet saved")
    planned_at: Timestamp | None
    rundown: list[RundownLine]
    verifier: dict | None
    participants: list[Participant]


ICS = {200: {"content": {"text/calendar": {}}}}
PDF = {200: {"content": {"application/pdf": {}}}}


@router.post("/api/schedules/{schedule_id}/systems-check", response_model=PlanSaved,
             summary="Record the systems check of a remote session (SOP 3.1); again, it replaces it")
async def check_systems(schedule_id: str, body: CekSistemIn, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.check_systems(ctx, schedule_id, body.model_dump())


@router.get("/api/schedules/{schedule_id}/session-plan", response_model=SessionPlanRecord,
            summary="A remote session's preparation (the office, and the schedule's TUK verifier)")
async def session_plan(schedule_id: str, ctx: Annotated[Context, acting(*STAFF, ASESOR)]) -> dict:
    return await usecases.session_plan(ctx, schedule_id)


@router.put("/api/schedules/{schedule_id}/rooms", response_model=PlanSaved,
            summary="Save the breakout rooms and rundown (SOP 3.2); each seated asesi is invited")
async def plan_rooms(schedule_id: str, body: RoomPlanIn, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.plan_rooms(ctx, schedule_id, dict(body.rooms),
                                     [line.model_dump() for line in body.rundown])


@router.post("/api/schedules/{schedule_id}/verifier", response_model=VerifierSaved,
             summary="Appoint the schedule's TUK verifier (SOP 2.4.1)")
async def appoint_verifier(schedule_id: str, body: VerifierIn, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.appoint_verifier(ctx, schedule_id, body.user_id)


@router.post("/api/schedules/{schedule_id}/cases/{case_id}/tuk-verification", response_model=TukVerificationSaved,
             summary="Sign one participant's online TUK verification (the appointed verifier only)")
async def verify_tuk(schedule_id: str, case_id: str, body: VerifikasiTukIn,
                     ctx: Annotated[Context, acting(ASESOR, ADMIN_LSP)]) -> dict:
    return await usecases.verify_tuk(ctx, schedule_id, case_id, body.model_dump())


@router.get("/api/cases/{case_id}/undangan.ics", response_class=Response, responses=ICS,
            summary="The asesi's session invitation as a calendar file (the asesi, the branch's staff)")
async def invitation_ics(case_id: str, ctx: Annotated[Context, acting(ASESI, *STAFF)]) -> Response:
    return Response(await usecases.invitation_ics(ctx, case_id), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="undangan.ics"',
                             "Cache-Control": "private, no-store"})


@router.get("/api/cases/{case_id}/kartu-peserta.pdf", response_class=Response, responses=PDF,
            summary="The participant card (the asesi, the branch's staff)")
async def kartu_peserta(case_id: str, ctx: Annotated[Context, acting(ASESI, *STAFF)]) -> Response:
    return Response(await usecases.kartu_peserta(ctx, case_id), media_type="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="kartu-peserta.pdf"',
                             "Cache-Control": "private, no-store"})
