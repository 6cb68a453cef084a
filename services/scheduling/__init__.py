"""Scheduling (SOP 1.4-1.6, 2.4.1, 3.1-3.2): assessors, and assigning them to feasible cases."""
from pathlib import Path

from shared.service import ServiceDefinition


def application() -> type:
    from services.scheduling.application import SchedulingApp
    return SchedulingApp


def build(settings):
    from services.scheduling.application import build_application
    return build_application(settings)


def projections() -> dict:
    from services.scheduling.projections import PROJECTIONS
    return PROJECTIONS


def routers() -> list:
    from services.scheduling import api, web
    return [api.router, web.router]


def case_part():  # what this service shows of a case on the case pages
    from services.scheduling.queries import case_part
    return case_part


def texts() -> dict:
    from services.scheduling.texts import TEXT
    return TEXT


definition = ServiceDefinition(name="scheduling", nameko_module=f"{__name__}.service", application=application,
                               build=build, projections=projections, routers=routers,
                               case_part=case_part, templates=Path(__file__).parent / "templates", texts=texts)
