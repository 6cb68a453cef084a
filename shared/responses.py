"""Response shapes the services' HTTP APIs share (each api.py declares its own on top of these).

Every response model forbids undeclared fields: a field the code adds to a response without declaring
it here fails validation (FastAPI answers 500, which the fuzz test catches) instead of being dropped
from the answer or left out of the OpenAPI document. Routes returning read-model documents whose
fields appear as the case moves on set response_model_exclude_unset=True, so a field the document
does not hold yet stays absent, as it is in the document.
"""
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def in_utc(moment: datetime) -> datetime:
    """Read models hold UTC; the embedded read store (mongomock) gives it back without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# A read-model time: always with its zone (2026-01-05T03:00:00.120000Z), in either runtime.
Timestamp = Annotated[datetime, AfterValidator(in_utc)]
# A time an event recorded as text, passed on as it is (2026-01-05T03:00:00.120000+00:00).
IsoTime = Annotated[str, Field(description="ISO 8601, UTC", json_schema_extra={"format": "date-time"})]


class Model(BaseModel):
    """Base of the response models."""
    model_config = ConfigDict(extra="forbid")


class Saved(Model):
    """A command's result: the record and its version after the change."""
    id: str
    version: int = Field(description="send it back as expected_version with your next change")


class Record(Model):
    """A read-model document of a branch."""
    id: str
    tenant: str = Field(description="the branch's code")
    version: int = Field(description="the record's version: expected_version for a command on it")


class Person(Model):
    id: str = Field(description="user id")
    name: str


class Actor(Person):
    """Who did a step: the user (or service:<name> for the platform itself) in their role then."""
    role: str


class AssessorRef(Person):
    """The asesor of a case."""
    met_number: str = Field(description="No. Reg. MET")


class Signature(Model):
    """An e-signature: who, in which role, when, over the SHA-256 of exactly what was signed."""
    signer: Person
    role: str
    signed_at: IsoTime
    sha256: str = Field(description="SHA-256 of the canonical JSON of the signed content")


class UnitRef(Model):
    code: str
    title: str


class SchemeSnapshot(Model):
    """The scheme version a case applied for, as it travels between services."""
    id: str
    number: str
    title: str
    version: int
    units: list[UnitRef]
    validity_years: int = Field(description="how long a certificate of this scheme is valid")


Competence = Literal["K", "BK"]  # K = Kompeten, BK = Belum Kompeten


class UnitResult(Model):
    code: str = Field(description="unit code")
    result: Competence = Field(description="K = Kompeten, BK = Belum Kompeten")
