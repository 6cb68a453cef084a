"""Integration-event contracts shared by all services: the envelope and versioned data models."""
from shared.contracts.envelope import ActorRef, Envelope
from shared.contracts.events import CONTRACTS, current_version, parse_data

__all__ = ["ActorRef", "Envelope", "CONTRACTS", "current_version", "parse_data"]
