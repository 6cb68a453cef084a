"""Consumer runtime: every inbound integration event goes through Inbox.handle.

- idempotent: the (source, position) tracking row is written with the effect; a redelivery is a no-op;
- retried with exponential back-off (NotReady: it came before what it depends on; conflicts; I/O);
- then parked as a DeadLetter in the service's own store, which an operator lists and replays.
It only returns once the event is processed, known, or parked, so the caller may ack; it raises
only when even parking failed (the caller must then not ack).
"""
import logging
import time
from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from shared.aggregate import system_actor
from shared.contracts import Envelope, parse_data
from shared.deadletters import DeadLetter
from shared.errors import Conflict, DomainError, NotReady
from shared.eventstore import ServiceApplication

log = logging.getLogger(__name__)

# A policy turns an inbound event into changed aggregates of this service (not yet saved).
Policy = Callable[[Envelope, Any], list[Any]]

_RETRYABLE = (NotReady, IntegrityError, OSError)


class Inbox:
    def __init__(self, app: ServiceApplication, policies: dict[str, Policy],
                 attempts: int = 5, base_delay: float = 0.2,
                 sleep: Callable[[float], None] = time.sleep):
        self.app = app
        self.policies = policies
        self.attempts = attempts
        self.base_delay = base_delay
        self.sleep = sleep

    def subscriptions(self) -> list[tuple[str, str]]:
        """(source, event type) pairs this service consumes, from the policy keys "source:Type"."""
        return [tuple(key.split(":", 1)) for key in self.policies]  # type: ignore[misc]

    def handle(self, body: dict[str, Any]) -> str:
        envelope = Envelope.model_validate(body)
        tracking = Tracking(envelope.source, envelope.position)
        if self.app.is_tracked(tracking):
            return "duplicate"
        error: Exception | None = None
        for attempt in range(self.attempts):
            try:
                self._apply(envelope, tracking)
                return "processed"
            except IntegrityError as exc:
                if self.app.is_tracked(tracking):
                    return "duplicate"  # a concurrent delivery won the race
                error = exc
            except _RETRYABLE as exc:
                error = exc
            except DomainError as exc:  # the event can never apply: park it now
                error = exc
                break
            except Exception as exc:  # a bug: retry in case it is transient, then park
                log.exception("policy failed for %s", envelope.id)
                error = exc
            self.sleep(self.base_delay * 2 ** attempt)
        return self._park(envelope, tracking, error, attempt + 1)

    def _apply(self, envelope: Envelope, tracking: Tracking) -> None:
        self.app.save_tracked(tracking, *self._run_policy(envelope))

    def _park(self, envelope: Envelope, tracking: Tracking, error: Exception | None, attempts: int) -> str:
        reason = f"{type(error).__name__}: {error}"
        log.error("parking %s after %d attempts: %s", envelope.id, attempts, reason)
        letter = DeadLetter(tenant=envelope.tenant, actor=system_actor(self.app.name),
                            envelope=envelope.model_dump(mode="json"), error=reason, attempts=attempts)
        try:
            self.app.save_tracked(tracking, letter)
        except IntegrityError:
            if not self.app.is_tracked(tracking):
                raise
        return "parked"

    def replay(self, letter_id: Any, actor: dict) -> str:
        """Run a parked event's policy again; its tracking row already exists, so no tracking now."""
        letter = self.app.get_owned(letter_id, None, "dead letter")
        if letter.replayed:
            return "already replayed"
        envelope = Envelope.model_validate(letter.envelope)
        try:
            aggregates = self._run_policy(envelope)
        except Exception as exc:  # still failing: keep it parked, record why, tell the operator
            reason = f"{type(exc).__name__}: {exc}"
            letter.record_failed_replay(actor=actor, error=reason)
            self.app.save(letter)
            raise Conflict("still failing, left parked: {reason}", reason=reason) from exc
        letter.mark_replayed(actor=actor)
        self.app.save(letter, *aggregates)
        return "replayed"

    def _run_policy(self, envelope: Envelope) -> list[Any]:
        policy = self.policies[f"{envelope.source}:{envelope.type}"]
        return policy(envelope, parse_data(envelope.type, envelope.schema_version, envelope.data))
