"""Certification (SOP 4.3-4.4): the LSP's decision, certificates and their public verification."""
from pathlib import Path

from shared.service import ServiceDefinition


def application() -> type:
    from services.certification.application import CertificationApp
    return CertificationApp


def build(settings):
    from services.certification.application import build_application
    return build_application(settings)


def projections() -> dict:
    from services.certification.projections import PROJECTIONS
    return PROJECTIONS


def routers() -> list:
    from services.certification import api, web
    return [api.router, web.router]


def case_part():  # what this service shows of a case on the case pages
    from services.certification.queries import case_part
    return case_part


def texts() -> dict:
    from services.certification.texts import TEXT
    return TEXT


definition = ServiceDefinition(name="certification", nameko_module=f"{__name__}.service", application=application,
                               build=build, projections=projections, routers=routers,
                               case_part=case_part, templates=Path(__file__).parent / "templates", texts=texts)
