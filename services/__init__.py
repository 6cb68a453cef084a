"""The four domain services, in the SOP's order. Everything that runs them reads these definitions."""
from services import assessment, certification, registration, scheduling

DEFINITIONS = (registration.definition, scheduling.definition, assessment.definition, certification.definition)
NAMES = tuple(definition.name for definition in DEFINITIONS)
