"""Jinja templates of the consent pages (no CDN: the stylesheet is served from /static)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from renkei_sandbox.clock import JST

TEMPLATES_DIR = Path(__file__).resolve().parent / "web" / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def jst(moment: datetime, with_time: bool = True) -> str:
    """A stored moment (UTC; naive ones as read back from SQLite) as the customer reads it: JST."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone(JST)
    day = f"{local.year}年{local.month}月{local.day}日"
    return f"{day} {local:%H:%M}" if with_time else day


templates.env.filters["jst"] = jst

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
    return render_page(request, "error.html", {"message": message, "status": status_code}, status_code)
