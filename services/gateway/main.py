"""The gateway's composition root: one FastAPI app over either runtime.

Embedded (default):   python -m services.gateway.main      (http://127.0.0.1:8000, LSP_PORT to change)
Distributed:          LSP_MODE=distributed uvicorn services.gateway.main:app \
                          --http services.gateway.http_protocol:HeadTimeoutProtocol   (request-head deadline)
"""
import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from services import DEFINITIONS
from services.gateway import api, docs, identity, profile, streams
from services.gateway.admission import Admission
from services.gateway.bootstrap import gateway_settings
from services.gateway.errors import domain_error, http_error, validation_error
from services.gateway.openapi import document_errors
from services.gateway.runtime import build_runtime
from services.gateway.web import pages, platform
from services.gateway.web.security import SecurityHeaders
from services.gateway.web.session import page_user
from shared.errors import DomainError
from shared.privacy import install_log_redaction
from shared.projector import Projector
from shared.settings import Settings, get_settings
from shared.web import LoginRequired, redirect

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = gateway_settings(settings or get_settings())  # refuses to start without a safe secret

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_log_redaction()  # also under uvicorn, whose logging is set up before this
        runtime = build_runtime(settings)
        ident = identity.build_identity(settings)
        await run_in_threadpool(ident.ensure_platform_admin, settings.platform_admin_email,
                                settings.platform_admin_password)
        authenticator = identity.Authenticator(ident, settings)
        for key, value in dict(settings=settings, runtime=runtime, bus=runtime.bus, identity=ident,
                               read_store=runtime.read_store, authenticator=authenticator,
                               authenticate=authenticator.authenticate).items():
            setattr(app.state, key, value)
        projectors = [Projector(ident, runtime.read_store, identity.PROJECTIONS)]
        ident.listeners.append(projectors[0].wake.set)
        runtime.start(projectors)
        for projector in projectors:  # read models are complete before the first request
            await projector.catch_up()
        stop = asyncio.Event()
        tasks = [asyncio.create_task(p.run(stop, settings.poll_interval)) for p in projectors]
        hub = streams.EventHub(runtime.broker_uri)
        hub.start()
        app.state.hub = hub
        log.info("platform ready (%s mode)", settings.mode)
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                task.cancel()
            hub.stop()
            runtime.stop()
            ident.close()

    app = FastAPI(title="LSP e-Asesmen Platform", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Sertifikasi kompetensi jarak jauh untuk cabang LSP (BNSP).")
    docs.mount(app)  # /docs with its scripts served from here, not from a CDN
    app.add_middleware(Admission, settings=settings)  # who is calling, and a bounded body, before any work
    app.add_middleware(SecurityHeaders, https=settings.public_url.startswith("https://"),  # outermost
                       docs_pages=docs.PAGES)
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(LoginRequired, lambda request, error: redirect("/masuk"))
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.mount("/static", StaticFiles(directory=pages.HERE / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(platform.router)
    app.include_router(profile.router)
    app.include_router(api.router)
    app.include_router(streams.router)
    # what services' pages render with, and how they say what went wrong
    app.state.render, app.state.page_user, app.state.error_text = pages.render, page_user, pages.validation_text
    app.state.case_view = pages.case_view
    for service in DEFINITIONS:  # each service's JSON API and pages, with their templates and texts
        pages.add_service_pages(service)
        for router in service.routers():
            app.include_router(router)
    document_errors(app)
    return app


def __getattr__(name: str) -> FastAPI:
    """`services.gateway.main:app` for uvicorn, built on first access from the environment."""
    if name == "app":
        globals()["app"] = create_app()
        return globals()["app"]
    raise AttributeError(name)


if __name__ == "__main__":
    import uvicorn

    from services.gateway.http_protocol import HeadTimeoutProtocol
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_redaction()
    settings = get_settings()
    print(f"LSP platform ({settings.mode}) at http://{settings.host}:{settings.port}  "
          f"(docs: /docs; data: {settings.data_dir.resolve()})", flush=True)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, timeout_graceful_shutdown=3,
                http=HeadTimeoutProtocol)
