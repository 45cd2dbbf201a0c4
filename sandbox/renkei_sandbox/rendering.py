"""Jinja templates of the consent pages (no CDN: the stylesheet is served from /static)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

TEMPLATES_DIR = Path(__file__).resolve().parent / "web" / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))

_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self' http: https:",
    "Referrer-Policy": "no-referrer",
}


def render_page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(
        request, template, context, status_code=status_code, headers=_PAGE_HEADERS
    )


def render_error_page(request: Request, message: str, status_code: int = 400) -> HTMLResponse:
    return render_page(request, "error.html", {"message": message}, status_code)
