"""Registration (SOP 1.1-1.3, 2.1): the scheme catalogue, FR.APL.01 and FR.APL.02, the invoice and
payment, the feasibility review, and the e-mail notices to the asesi."""
from shared.service import ServiceDefinition


def application() -> type:
    from services.registration.application import RegistrationApp
    return RegistrationApp


def build(settings):
    from services.registration.application import build_application
    return build_application(settings)


def projections() -> dict:
    from services.registration.projections import PROJECTIONS
    return PROJECTIONS


def routers() -> list:
    from services.registration import api
    return [api.router]


def workers(app, settings) -> list:
    from services.registration.notices import background_workers  # the mailer of its notices
    return background_workers(app, settings)


definition = ServiceDefinition(name="registration", nameko_module=f"{__name__}.service", application=application,
                               build=build, projections=projections, routers=routers, workers=workers)
