"""Assessment HTTP API: the assessor's cases and their K/BK recommendation (FR.AK.02)."""
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from services.assessment import usecases
from shared.responses import AssessorRef, Competence, Person, Record, Saved, SchemeSnapshot, Timestamp, UnitResult
from shared.web import ADMIN_LSP, ASESOR, KETUA_LSP, MANAJER_SERTIFIKASI, Context, Versioned, acting

router = APIRouter(tags=["assessment"])
SERVICE = usecases.SERVICE
READERS = (ASESOR, ADMIN_LSP, KETUA_LSP, MANAJER_SERTIFIKASI)
Status = Literal["in_progress", "recommended"]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9./_-]+$")]


class UnitResultIn(BaseModel):
    code: Code
    result: Competence = Field(description="K = Kompeten, BK = Belum Kompeten")


class RecommendationIn(Versioned):
    units: list[UnitResultIn] = Field(min_length=1, max_length=100,
                                      description="one result for every unit of the scheme")


class Assessment(Record):
    """A case's assessment by its assigned asesor (the FR.AK.02 summary)."""
    asesi: Person
    scheme: SchemeSnapshot
    assessor: AssessorRef
    status: Status
    units: list[UnitResult] = Field(description="K/BK per unit; empty until recommended")
    recommendation: Competence | None = Field(description="K when every unit is K; null until recommended")
    opened_at: Timestamp
    recommended_at: Timestamp | None = Field(default=None, description="absent until recommended")
    tuk_verification: dict[str, str] | None = Field(
        default=None, description="the latest online TUK verification heard (SOP 2.4.1): schedule_id, conclusion; "
                                  "tidak_layak refuses the recommendation")
    updated_at: Timestamp


class Recommended(Saved):
    status: Literal["recommended"]
    recommendation: Competence = Field(description="K when every unit is K")


Reader = Annotated[Context, acting(*READERS)]


@router.get("/api/assessments", response_model=list[Assessment], response_model_exclude_unset=True)
async def list_assessments(ctx: Reader, status_: Annotated[Status | None, Query(alias="status")] = None) -> list[dict]:
    return await usecases.list_assessments(ctx, status_)


@router.get("/api/assessments/{case_id}", response_model=Assessment, response_model_exclude_unset=True)
async def get_assessment(case_id: str, ctx: Reader) -> dict:
    return await usecases.get_assessment(ctx, case_id)


@router.post("/api/assessments/{case_id}/recommendation", response_model=Recommended)
async def give_recommendation(case_id: str, body: RecommendationIn, ctx: Annotated[Context, acting(ASESOR)]) -> dict:
    return await usecases.give_recommendation(ctx, case_id, body.model_dump())
