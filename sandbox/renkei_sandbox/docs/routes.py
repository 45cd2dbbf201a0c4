"""Routes of the reference, the documents and the console; `mount_reference` adds them to the app."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from renkei_sandbox.docs.documents import APIS, REFERENCE_DIR, SLUGS, document_index, served_document
from renkei_sandbox.rendering import templates

router = APIRouter()

CONSOLE_ASSETS = "/docs/console/assets"
_CONSOLE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    # Swagger UI sets inline styles and shows data: icons; every script and request stays on this origin.
    "Content-Security-Policy": (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
}


def swagger_ui_dir() -> Path:
    """Swagger UI's files as the fastapi-offline package ships them (no CDN)."""
    return Path(str(files("fastapi_offline") / "static"))


@router.get("/openapi.json", include_in_schema=False)
async def documents() -> JSONResponse:
    return JSONResponse(document_index())


def _document_route(slug: str) -> None:
    async def document(request: Request) -> JSONResponse:
        return JSONResponse(served_document(slug, str(request.base_url)))

    router.add_api_route(f"/{slug}/openapi.json", document, methods=["GET"], include_in_schema=False)


for _api in APIS:
    _document_route(_api.slug)


@router.get("/docs", include_in_schema=False)
async def docs_root() -> RedirectResponse:
    return RedirectResponse("/docs/", status_code=308)


@router.get("/docs/console/{slug}", include_in_schema=False)
async def console(slug: str, request: Request) -> Response:
    if slug not in SLUGS:
        raise HTTPException(status_code=404, detail="no such API")
    context = {"slug": slug, "apis": APIS, "assets": CONSOLE_ASSETS}
    return templates.TemplateResponse(request, "console.html", context, headers=_CONSOLE_HEADERS)


def mount_reference(app: FastAPI) -> None:
    """The routes above, Swagger UI's files and the static reference (mounted last: it takes /docs/...)."""
    app.include_router(router)
    app.mount(CONSOLE_ASSETS, StaticFiles(directory=str(swagger_ui_dir())), name="console-assets")
    app.mount("/docs", StaticFiles(directory=str(REFERENCE_DIR), html=True), name="reference")
