"""Base aggregate: every event carries the tenant (the LSP branch code) and its actor.

Domain modules build on this; it imports only eventsourcing's pure domain layer.
"""
from typing import Any, ClassVar, TypedDict
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict, Invalid


class Actor(TypedDict):
    id: str
    role: str
    name: str


SYSTEM_ROLE = "system"


def system_actor(service: str) -> Actor:
    return {"id": f"service:{service}", "role": SYSTEM_ROLE, "name": service}


def stable_id(*parts: str) -> UUID:
    """A deterministic id, so a retried command or replayed event addresses the same aggregate."""
    return uuid5(NAMESPACE_URL, "lsp:" + ":".join(parts))


def as_uuid(value: str | UUID, field: str) -> UUID:
    """Parse an id coming from outside; a malformed one is a 422 naming the field."""
    try:
        return UUID(str(value))
    except ValueError:
        raise Invalid("not a valid id", field=field) from None


class TenantAggregate(Aggregate):
    class Event(Aggregate.Event):
        tenant: str

    tenant: str

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        kwargs.setdefault("tenant", self.tenant)
        super().trigger_event(event_class, **kwargs)

    def check_version(self, expected_version: int | None) -> None:
        """Optimistic concurrency at the edge: a client that read version N may only write on N."""
        if expected_version is not None and expected_version != self.version:
            raise Conflict("record changed (version {version}, you sent {expected}); reload and retry",
                           field="expected_version", version=self.version, expected=expected_version)


def case_part_id(case_id: str | UUID, part: str) -> UUID:
    """The id of one part of a case (its payment, its self-assessment, a form): derived from the case id,
    so whoever knows the case finds every part without an index."""
    return uuid5(as_uuid(case_id, "case_id"), part)


class CasePart(TenantAggregate):
    """A part of a case that changes on its own (one person's form, the payment): its own version, so
    people working on different parts of one case never conflict. Its id is case_part_id(case, `part`);
    every event carries the case as `correlation_id` (the envelope's correlation id: not event data)."""

    part: ClassVar[str]  # its name; each subclass sets self.case_id (a str) in its __init__
    names: ClassVar[set[str]] = set()  # every part name declared by a loaded domain

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "part" in cls.__dict__:
            CasePart.names.add(cls.part)

    class Event(TenantAggregate.Event):
        correlation_id: str

    @classmethod
    def id_for(cls, case_id: str | UUID) -> UUID:
        return case_part_id(case_id, cls.part)

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        kwargs.setdefault("correlation_id", self.case_id)
        super().trigger_event(event_class, **kwargs)


def is_case_part(aggregate_id: str, case_id: str) -> bool:
    """Whether the aggregate is the case's own record or one of its parts (not a counter, a load, a notice
    that names the case)."""
    if aggregate_id == case_id:
        return True
    try:
        return any(aggregate_id == str(case_part_id(case_id, name)) for name in CasePart.names)
    except Invalid:
        return False


class YearlySequence(TenantAggregate):
    """Gap-free numbers per branch, kind (invoice, certificate, ...) and year.

    A number is taken in the same transaction as the document it numbers, so an aborted document
    leaves no gap, and a concurrent taker loses with a version conflict and retries.
    """

    @staticmethod
    def create_id(tenant: str, kind: str, year: int) -> UUID:
        return stable_id("sequence", kind, tenant, str(year))

    @event("SequenceOpened")
    def __init__(self, tenant: str, actor: Actor, kind: str, year: int):
        self.tenant = tenant
        self.kind = kind
        self.year = year
        self.last = 0

    @event("NumberTaken")
    def take(self, actor: Actor, case_id: str) -> None:
        self.last += 1
