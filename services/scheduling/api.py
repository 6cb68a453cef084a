"""Scheduling HTTP API: the assessor registry (Daftar Asesor) and assigning assessors to cases."""
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from services.scheduling import queries, usecases
from services.scheduling.forms import CEK_SISTEM, JADWAL, KETIDAKBERPIHAKAN, TUK, VERIFIKASI_TUK
from shared.responses import AssessorRef, Model, Person, Record, Saved, SchemeSnapshot, Signature, Timestamp
from shared.web import (
    ADMIN_LSP,
    ASESI,
    ASESOR,
    KETUA_LSP,
    MANAJER_SERTIFIKASI,
    STAFF,
    Context,
    Versioned,
    acting,
    found,
)

router = APIRouter(tags=["scheduling"])
SERVICE = usecases.SERVICE
CaseStatus = Literal["awaiting_assessor", "appointed", "assigned", "completed"]
SchemeNumber = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9./_-]+$")]


class AssessorIn(BaseModel):
    user_id: str = Field(min_length=1, max_length=64, description="an existing user with role asesor")
    met_number: str = Field(pattern=r"^MET\.\d{3}\.\d{6}[ .]\d{4}$", description="No. Reg. MET",
                            examples=["MET.000.001668.2012"])
    valid_until: date = Field(description="expiry of the MET registration")
    scheme_numbers: list[SchemeNumber] = Field(min_length=1, max_length=50)
    evidence: dict[SchemeNumber, Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict, max_length=50, description="technical-competence evidence per scheme number")
    institutions: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default_factory=list, max_length=10, description="institutions/companies the asesor belongs to: never "
        "assigned to an asesi of these (conflict of interest)")
    unavailable: list[date] = Field(default_factory=list, max_length=366, description="days they cannot assess")


class AssessorRevisionIn(Versioned):
    met_number: str = Field(pattern=r"^MET\.\d{3}\.\d{6}[ .]\d{4}$", description="No. Reg. MET")
    valid_until: date = Field(description="expiry of the MET registration (renewed by RCC)")
    scheme_numbers: list[SchemeNumber] = Field(min_length=1, max_length=50)
    evidence: dict[SchemeNumber, Annotated[str, Field(max_length=500)]] = Field(default_factory=dict, max_length=50)
    institutions: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(default_factory=list,
                                                                                   max_length=10)
    unavailable: list[date] = Field(default_factory=list, max_length=366, description="days they cannot assess")


class AssessorStatusIn(BaseModel):
    reason: str = Field(default="", max_length=500, description="required to deactivate")


DeclarationIn = KETIDAKBERPIHAKAN.request_model("DeclarationIn", doc="The impartiality declaration about this asesi")


class DeclineIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)
    conflict: Literal["", "melatih", "institusi_sama", "hubungan_keluarga", "kepentingan_lain"] = Field(
        default="", description="the conflict of interest, if that is why (melatih: recorded, never assigned again)")


class DelegateIn(Versioned):
    assessor_id: str = Field(min_length=1, max_length=64, description="the new assessor's user id")
    reason: str = Field(min_length=1, max_length=500)


class RescheduleIn(Versioned):
    schedule_id: str = Field(min_length=1, max_length=64, description="the new schedule")
    reason: str = Field(min_length=1, max_length=500)


class RulesIn(BaseModel):
    asesi_per_assessor: int = Field(ge=1, le=50, description="asesi per assessor in one session")


class Rules(Model):
    asesi_per_assessor: int = Field(description="asesi per assessor in one session")


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
    tuk_id: str
    tuk: dict[str, str] = Field(description="the TUK's id and name")
    tuk_id: str = Field(description="the TUK's id, as created")
    jarak_jauh: Literal["ya", "tidak"]
    tautan: str | None
    kuota_min: int
    kuota_maks: int
    status: Literal["terjadwal", "selesai", "dibatalkan"]
    seats: list[Seat]
    placed: int
    pendaftaran_dibuka: date | None = Field(default=None, description="registration window (placements)")
    pendaftaran_ditutup: date | None = None
    status_reason: str | None = Field(default=None, description="why it was cancelled")
    assessors: dict[str, list[str]] = Field(default_factory=dict, description="assessor id -> the cases they "
                                            "assess in this session (the peta penugasan)")
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
    status: Literal["aktif", "nonaktif"] = "aktif"
    evidence: dict[str, str] = Field(default_factory=dict, description="technical-competence evidence per scheme")
    institutions: list[str] = Field(default_factory=list)
    trainees: list[str] = Field(default_factory=list, description="asesi ids they declared they trained")
    conflicts: dict[str, str] = Field(default_factory=dict, description="asesi id -> another conflict they declared")
    unavailable: list[date] = Field(default_factory=list, description="days they cannot assess")
    status_reason: str | None = None
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
    assessor: AssessorRef | None = Field(description="null until appointed")
    schedule_id: str | None = Field(default=None, description="absent until placed")
    opened_at: Timestamp
    appointed_at: Timestamp | None = Field(default=None, description="absent until appointed")
    assigned_at: Timestamp | None = Field(default=None, description="absent until the assessor confirms")
    history: list[dict[str, Any]] = Field(default_factory=list, description="declined, delegated, rescheduled")
    institution: str = Field(default="", description="the asesi's institution as FR.APL.01 gives it")
    impartiality: dict[str, Any] | None = Field(default=None, description="the assessor's signed declaration")
    needs_reschedule: str | None = Field(default=None, description="why it waits for a new schedule "
                                                                    "(tuk_tidak_layak: SOP 2.4.1)")
    updated_at: Timestamp


class Session(Model):
    id: str
    tanggal: date
    mulai: str
    selesai: str
    tuk: dict[str, str]
    jarak_jauh: Literal["ya", "tidak"]
    tautan: str | None = None
    status: str


class MyAssignment(ScheduleCase):
    """One of the calling asesor's cases, with its session."""
    schedule: Session | None


class Assignment(Saved):
    status: Literal["appointed", "assigned", "awaiting_assessor"]
    assessor_id: str | None = Field(default=None, description="the asesor's user id")


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


@router.post("/api/scheduling/cases/{case_id}/assign", response_model=Assignment,
             summary="Appoint the assessor of a placed case for its session (they confirm or decline)")
async def assign_assessor(case_id: str, body: AssignIn,
                          ctx: Annotated[Context, acting(ADMIN_LSP, MANAJER_SERTIFIKASI)]) -> dict:
    return await usecases.assign_assessor(ctx, case_id, body.assessor_id, body.expected_version)


@router.post("/api/scheduling/cases/{case_id}/delegate", response_model=Assignment,
             summary="Hand the case to another assessor of its session")
async def delegate_assignment(case_id: str, body: DelegateIn,
                              ctx: Annotated[Context, acting(ADMIN_LSP, MANAJER_SERTIFIKASI)]) -> dict:
    return await usecases.delegate_assignment(ctx, case_id, body.assessor_id, body.reason, body.expected_version)


@router.post("/api/scheduling/cases/{case_id}/reschedule", response_model=Assignment,
             summary="Move the case to another session (kept in its history)")
async def reschedule_case(case_id: str, body: RescheduleIn,
                          ctx: Annotated[Context, acting(ADMIN_LSP, MANAJER_SERTIFIKASI)]) -> dict:
    return await usecases.reschedule_case(ctx, case_id, body.schedule_id, body.reason, body.expected_version)


Asesor = Annotated[Context, acting(ASESOR)]


@router.get("/api/asesor/assignments", response_model=list[MyAssignment], response_model_exclude_unset=True,
            summary="The calling asesor's own assignments")
async def my_assignments(ctx: Asesor) -> list[dict]:
    return await queries.list_assignments(ctx.store, ctx.tenant, ctx.user.id)


@router.post("/api/asesor/assignments/{case_id}/confirm", response_model=Assignment,
             summary="Confirm an appointment, signing the impartiality declaration")
async def confirm_assignment(case_id: str, body: DeclarationIn, ctx: Asesor) -> dict:
    return await usecases.confirm_assignment(ctx, case_id, body.model_dump())


@router.post("/api/asesor/assignments/{case_id}/decline", response_model=Assignment,
             summary="Decline an appointment with a reason (the case goes back to the queue)")
async def decline_assignment(case_id: str, body: DeclineIn, ctx: Asesor) -> dict:
    return await usecases.decline_assignment(ctx, case_id, body.reason, body.conflict)


@router.put("/api/assessors/{user_id}", response_model=Saved, summary="Revise a registry entry (e.g. after RCC)")
async def revise_assessor(user_id: str, body: AssessorRevisionIn, ctx: Annotated[Context, acting(ADMIN_LSP)]
                          ) -> dict:
    return await usecases.revise_assessor(ctx, user_id, body.model_dump(mode="json"))


@router.post("/api/assessors/{user_id}/{action}", response_model=Saved,
             summary="Take an assessor off the active list (deactivate, with a reason) or back (activate)")
async def set_assessor_active(user_id: str, action: Literal["activate", "deactivate"], body: AssessorStatusIn,
                              ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.set_assessor_active(ctx, user_id, action == "activate", body.reason)


@router.put("/api/scheduling/rules", response_model=Rules, summary="The branch's limit of asesi per assessor")
async def set_rules(body: RulesIn, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.set_asesi_per_assessor(ctx, body.asesi_per_assessor)


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


class ScheduleStatusIn(BaseModel):
    status: Literal["dibatalkan", "selesai"]
    reason: str = Field(default="", max_length=500, description="required to cancel")


@router.post("/api/schedules/{schedule_id}/status", response_model=JadwalState,
             summary="Cancel a schedule nobody is seated in (with why), or mark it held from its date on")
async def set_schedule_status(schedule_id: str, body: ScheduleStatusIn,
                              ctx: Annotated[Context, acting(ADMIN_LSP, MANAJER_SERTIFIKASI)]) -> dict:
    return await usecases.set_schedule_status(ctx, schedule_id, body.status, body.reason)


@router.post("/api/schedules/{schedule_id}/cases", response_model=Placed,
             summary="Place a case into a seat; a full schedule answers 409")
async def place_case(schedule_id: str, body: PlaceIn,
                     ctx: Annotated[Context, acting(ADMIN_LSP, MANAJER_SERTIFIKASI)]) -> dict:
    return await usecases.place_case(ctx, schedule_id, body.case_id, body.expected_version)


# ---- the batch placement proposal (SOP 1.6.1-1.6.4) ----------------------------------------------------------

class PlanRow(Model):
    case_id: str
    schedule_id: str
    assessor_id: str = Field(description="the asesor's user id")
    seated: bool = Field(default=False, description="already in this seat: only its assessor is applied")
    asesi: Person
    assessor_name: str


class Reason(Model):
    id: str = Field(description="Bahasa Indonesia")
    en: str


class PlanUnplaced(Model):
    case_id: str
    asesi: Person
    scheme_number: str
    reason: str = Field(description="plan_no_schedule, plan_schedules_full, plan_asesi_busy or plan_no_assessor")
    text: Reason


class PlanSchedule(Model):
    id: str
    skema: str
    tanggal: date
    mulai: str
    selesai: str
    kuota_maks: int
    placed: int = Field(description="seats taken before the plan")
    planned: int = Field(description="seats the plan adds")


class PlanLoad(Model):
    user_id: str
    name: str
    load: int = Field(description="active cases before the plan")
    planned: int = Field(description="cases the plan adds")


class Proposal(Model):
    """A placement proposal: not applied until POST /api/schedules/proposal/apply with its plan_hash."""
    scheme: str = Field(description="the scheme it covers; empty: all")
    plan_hash: str = Field(description="send it back to apply exactly this plan")
    rows: list[PlanRow]
    unplaced: list[PlanUnplaced]
    schedules: list[PlanSchedule]
    assessors: list[PlanLoad]


class ApplyIn(BaseModel):
    skema: str = Field(default="", max_length=64, pattern=r"^[A-Za-z0-9./_-]*$", description="empty: all schemes")
    plan_hash: str = Field(min_length=16, max_length=16, pattern=r"^[0-9a-f]{16}$")


class Refusal(Model):
    field: str | None
    template: str = Field(description="the domain's English template")
    params: dict[str, str | list[str]]
    text: Reason = Field(description="the refusal in Bahasa Indonesia and English")


class RefusedRow(Model):
    case_id: str
    schedule_id: str
    assessor_id: str
    asesi: Person
    step: Literal["place", "assign"]
    error: Refusal


class Batch(Model):
    """Applying a proposal: rows done of total, each refused row with the domain's reason."""
    id: str
    scheme: str
    plan_hash: str
    total: int
    done: int
    applied: int
    refused: list[RefusedRow]
    finished: bool


def proposal_out(found: dict) -> dict:
    return {**{k: found[k] for k in ("scheme", "plan_hash", "rows", "unplaced", "assessors")},
            "schedules": [{**{k: s[k] for k in ("id", "skema", "tanggal", "mulai", "selesai", "kuota_maks", "placed")},
                           "planned": len(s["planned"])} for s in found["schedules"]]}


def batch_out(batch: dict) -> dict:
    return {k: batch[k] for k in Batch.model_fields}


Planners = Annotated[Context, acting(ADMIN_LSP, MANAJER_SERTIFIKASI)]


@router.get("/api/schedules/proposal", response_model=Proposal,
            summary="A proposal placing the waiting cases in open schedules with assessors (nothing applied)")
async def get_proposal(ctx: Planners, skema: Annotated[str, Query(max_length=64, pattern=r"^[A-Za-z0-9./_-]*$")] = ""
                       ) -> dict:
    return proposal_out(await usecases.proposal(ctx, skema))


# before GET /api/schedules/{schedule_id}, which would otherwise take "proposal" for a schedule id
router.routes.insert(next(i for i, r in enumerate(router.routes) if getattr(r, "path", "") == "/api/schedules/"
                          "{schedule_id}"), router.routes.pop())


@router.post("/api/schedules/proposal/apply", status_code=status.HTTP_202_ACCEPTED, response_model=Batch,
             summary="Apply the proposal with this plan_hash row by row (409 if the plan changed since)")
async def apply_proposal(body: ApplyIn, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return batch_out(await usecases.apply_proposal(ctx, body.skema, body.plan_hash))


@router.get("/api/schedules/proposal/batches/{batch_id}", response_model=Batch)
async def get_batch(batch_id: str, ctx: Planners) -> dict:
    return batch_out(usecases.get_batch(ctx, batch_id))

# ---- official letters (SOP 1.4, 1.6.5-1.6.6) ------------------------------------------------------------------

LetterKind = Literal["sk_tuk", "spt_asesor", "spt_verifikasi"]
LetterStatus = Literal["draft", "signed", "received", "revoked"]
Id = Annotated[str, Field(min_length=1, max_length=64)]


class LetterIn(BaseModel):
    """sk_tuk: `tuk_id` (and `valid_until` unless the TUK's registry entry has its decree's validity);
    spt_asesor: `schedule_id` and the assessor's `user_id`; spt_verifikasi: `schedule_id` and the verifier's
    `user_id` (an asesor or admin LSP of the branch)."""
    kind: LetterKind
    tuk_id: Id | None = None
    schedule_id: Id | None = None
    user_id: Id | None = Field(default=None, description="the addressee (an SPT's)")
    valid_until: date | None = Field(default=None, description="an SK TUK's validity")


class LetterIssued(Saved):
    kind: LetterKind
    number: str = Field(description="as the branch numbers this kind of letter, e.g. 007/SPT/LSP-K3/XI/2026")
    status: LetterStatus
    created: bool = Field(description="false: the letter was already issued (no second number is taken)")


class LetterState(Saved):
    status: LetterStatus
    signature: Signature | None = None


class Letterhead(Model):
    name: str
    address: str
    licence: str
    phone: str
    email: str


class LetterRecord(Record):
    """An official letter: its number, what it says (`data`: its form's fields, what the ketua LSP signs), its
    addressee (an SPT's), and where it stands: draft (issued), signed (by the ketua LSP), received."""
    kind: LetterKind
    number: str
    year: int
    status: LetterStatus
    subject: dict[str, str] = Field(description="tuk_id, or schedule_id and user_id")
    addressee: Person | None
    data: dict[str, str | None] = Field(description="the letter's fields as issued (forms.py)")
    letterhead: Letterhead
    signature: Signature | None
    issued_at: Timestamp
    issued_by: Person
    signed_at: Timestamp | None = None
    received_at: Timestamp | None = None
    revoked_at: Timestamp | None = None
    revoked_because: str | None = None
    updated_at: Timestamp


class NumberingIn(Versioned):
    pola: str = Field(min_length=1, max_length=80, examples=["{nomor}/SPT/{kode}/{bulan_romawi}/{tahun}"],
                      description="placeholders: {nomor} {kode} {bulan_romawi} {bulan} {tahun}")
    kode: str = Field(pattern=r"^[A-Za-z0-9.-]{1,20}$", examples=["LSP-K3"])
    lebar: int = Field(ge=1, le=6, description="digits of the running number, zero-padded")
    reset_tahunan: bool = Field(description="the running number restarts at 1 every year")

    def settings(self) -> dict[str, str]:
        return {"pola": self.pola, "kode": self.kode, "lebar": str(self.lebar),
                "reset_tahunan": "ya" if self.reset_tahunan else "tidak"}


class Numbering(Model):
    """How the branch numbers one kind of letter, and the number its next letter would take today."""
    kind: LetterKind
    pola: str
    kode: str
    lebar: int
    reset_tahunan: bool
    next_number: str
    year: int
    version: int = Field(description="0 while the branch uses the defaults")


Letters = Annotated[Context, acting(*STAFF, ASESOR)]


@router.get("/api/letters/numbering", response_model=list[Numbering], summary="The branch's letter numbering")
async def letter_numbering(ctx: Office) -> list[dict]:
    return await usecases.letter_numbering(ctx)


@router.put("/api/letters/numbering/{kind}", response_model=Numbering,
            summary="Set how the branch numbers a kind of letter (from its next letter on)")
async def set_letter_numbering(kind: LetterKind, body: NumberingIn,
                               ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.set_letter_numbering(ctx, kind, body.settings(), body.expected_version)


@router.get("/api/letters", response_model=list[LetterRecord], response_model_exclude_unset=True,
            summary="The branch's letters (an asesor: those addressed to them), the latest first")
async def list_letters(ctx: Letters, kind: LetterKind | None = None,
                       status_: Annotated[LetterStatus | None, Query(alias="status")] = None) -> list[dict]:
    return await usecases.list_letters(ctx, kind, status_)


@router.post("/api/letters", status_code=status.HTTP_201_CREATED, response_model=LetterIssued,
             responses={200: {"model": LetterIssued, "description": "already issued: the same letter"}},
             summary="Issue a letter (numbered once; issuing it again answers the same letter)")
async def issue_letter(body: LetterIn, response: Response, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    issued = await usecases.issue_letter(ctx, body.kind, body.tuk_id, body.schedule_id, body.user_id,
                                         body.valid_until.isoformat() if body.valid_until else None)
    if not issued["created"]:
        response.status_code = status.HTTP_200_OK
    return issued


@router.get("/api/letters/{letter_id}", response_model=LetterRecord, response_model_exclude_unset=True)
async def get_letter(letter_id: str, ctx: Letters) -> dict:
    return await usecases.get_letter(ctx, letter_id)


class RevokeIn(Versioned):
    reason: str = Field(min_length=1, max_length=500)


@router.post("/api/letters/{letter_id}/revoke", response_model=LetterState,
             summary="Withdraw a letter, saying why (a new one may then be issued for the same subject)")
async def revoke_letter(letter_id: str, body: RevokeIn, ctx: Annotated[Context, acting(ADMIN_LSP)]) -> dict:
    return await usecases.revoke_letter(ctx, letter_id, body.reason, body.expected_version)


@router.post("/api/letters/{letter_id}/sign", response_model=LetterState,
             summary="The ketua LSP signs the letter (the SHA-256 of its content)")
async def sign_letter(letter_id: str, body: Versioned, ctx: Annotated[Context, acting(KETUA_LSP)]) -> dict:
    return await usecases.sign_letter(ctx, letter_id, body.expected_version)


@router.post("/api/letters/{letter_id}/receipt", response_model=LetterState,
             summary="The addressee confirms receiving a signed SPT")
async def confirm_receipt(letter_id: str, body: Versioned, ctx: Annotated[Context, acting()]) -> dict:
    return await usecases.confirm_receipt(ctx, letter_id, body.expected_version)


@router.get("/api/letters/{letter_id}/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}},
            summary="The letter as PDF (DRAF until signed): the branch's office and the addressee")
async def letter_pdf(letter_id: str, ctx: Letters) -> Response:
    pdf, filename = await usecases.letter_pdf(ctx, letter_id)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})

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
