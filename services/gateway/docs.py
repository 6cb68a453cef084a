"""The API documentation page (/docs, Swagger UI) with its scripts served from here.

FastAPI's own page loads Swagger UI from a CDN, so on a network without internet (an LSP office, an
exam room) /docs stayed blank. The scripts come from the fastapi-offline package (pinned, installed
from PyPI like every other dependency) and are served under /docs-static. There is no /redoc: ReDoc
still fetches its logo from its CDN, and Swagger UI shows the same document.
"""
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-static"
PAGES = ("/docs", "/docs/oauth2-redirect")  # they start Swagger UI with an inline script


def mount(app: FastAPI) -> None:
    """Documentation pages for an app built with docs_url=None and redoc_url=None."""
    app.mount(ASSETS, StaticFiles(directory=Path(fastapi_offline.__file__).parent / "static"), name="docs-static")
    router = APIRouter(include_in_schema=False)

    @router.get("/docs", response_class=HTMLResponse)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} - API",
                                   oauth2_redirect_url="/docs/oauth2-redirect",
                                   swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{ASSETS}/favicon.png")

    @router.get("/docs/oauth2-redirect", response_class=HTMLResponse)
    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    app.include_router(router)
