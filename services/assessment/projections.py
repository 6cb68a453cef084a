"""Assessment read model: one document per case's assessment (FR.AK.02 summary)."""
from services.assessment.domain import AssessmentStatus
from shared.contracts import Envelope
from shared.readstore import ReadStore

SERVICE = "assessment"


async def assessment_opened(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "assessments", env.aggregate_id, env.aggregate_version, {
        "tenant": env.tenant, "asesi": env.data["asesi"], "scheme": env.data["scheme"],
        "assessor": env.data["assessor"], "status": AssessmentStatus.IN_PROGRESS.value, "units": [],
        "recommendation": None, "opened_at": env.occurred_at, "updated_at": env.occurred_at})


async def recommendation_given(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "assessments", env.aggregate_id, env.aggregate_version, {
        "status": AssessmentStatus.RECOMMENDED.value, "units": env.data["units"],
        "recommendation": env.data["recommendation"], "recommended_at": env.occurred_at,
        "updated_at": env.occurred_at})


async def assessor_changed(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "assessments", env.aggregate_id, env.aggregate_version, {
        "assessor": env.data["assessor"], "updated_at": env.occurred_at})

# ---- the online TUK verification (SOP 2.4.1) -----------------------------------------------------------------

async def tuk_verification_recorded(store: ReadStore, env: Envelope) -> None:
    await store.upsert_versioned(SERVICE, "assessments", env.aggregate_id, env.aggregate_version, {
        "tuk_verification": {"schedule_id": env.data["schedule_id"], "conclusion": env.data["conclusion"]},
        "updated_at": env.occurred_at})


PROJECTIONS = {
    "AssessorChanged": assessor_changed,
    "AssessmentOpened": assessment_opened,
    "RecommendationGiven": recommendation_given,
    "TukVerificationRecorded": tuk_verification_recorded,
}
