"""Assessment (SOP 2.x-4.2): the assigned asesor's assessment and recommendation."""
from pathlib import Path

from shared.service import ServiceDefinition


def application() -> type:
    from services.assessment.application import AssessmentApp
    return AssessmentApp


def build(settings):
    from services.assessment.application import build_application
    return build_application(settings)


def projections() -> dict:
    from services.assessment.projections import PROJECTIONS
    return PROJECTIONS


def routers() -> list:
    from services.assessment import api, web
    return [api.router, web.router]


def case_part():  # what this service shows of a case on the case pages
    from services.assessment.queries import case_part
    return case_part


def texts() -> dict:
    from services.assessment.texts import TEXT
    return TEXT


definition = ServiceDefinition(name="assessment", nameko_module=f"{__name__}.service", application=application,
                               build=build, projections=projections, routers=routers,
                               case_part=case_part, templates=Path(__file__).parent / "templates", texts=texts)
