"""Assessment (SOP 2.x-4.2): the assigned asesor's assessment and recommendation."""
from shared.service import declare

definition = declare(__name__, "AssessmentApp", pages=True)
