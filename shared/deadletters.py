"""A parked inbound event: listable, replayable, and itself an audited record."""
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from shared.aggregate import TenantAggregate, stable_id


class DeadLetter(TenantAggregate):
    @staticmethod
    def create_id(envelope: dict) -> UUID:
        return stable_id("dead-letter", envelope["id"])  # an event parks at most once per service

    @event("DeadLetterParked")
    def __init__(self, tenant: str, actor: dict, envelope: dict, error: str, attempts: int):
        self.tenant = tenant
        self.envelope = envelope
        self.error = error
        self.attempts = attempts
        self.replayed = False

    @event("DeadLetterReplayed")
    def mark_replayed(self, actor: dict) -> None:
        self.replayed = True

    @event("DeadLetterReplayFailed")
    def record_failed_replay(self, actor: dict, error: str) -> None:
        self.error = error
        self.attempts += 1


def dead_letter_summary(letter: Any) -> dict[str, Any]:
    return {"id": str(letter.id), "tenant": letter.tenant, "type": letter.envelope["type"],
            "envelope_id": letter.envelope["id"], "error": letter.error,
            "attempts": letter.attempts, "replayed": letter.replayed}
