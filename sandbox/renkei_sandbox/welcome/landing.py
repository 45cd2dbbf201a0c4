"""The landing page at `/`: what the sandbox is, in Japanese and English, with the links a newcomer needs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.routing import BaseRoute

from renkei_sandbox.rendering import render_page
from renkei_sandbox.seed.seeder import DEMO_PASSWORD
from renkei_sandbox.state import sandbox_state
from renkei_sandbox.welcome.demo_logins import demo_logins

router = APIRouter()

DOCS_PATH = "/docs"


def serves_docs(routes: list[BaseRoute]) -> bool:
    """Whether the app serves the API reference at /docs (it is linked only then)."""
    return any(getattr(route, "path", "").rstrip("/") == DOCS_PATH for route in routes)


@router.get("/", response_model=None)
def landing(request: Request) -> Response:
    state = sandbox_state(request)
    with state.db.session() as session:
        logins = demo_logins(session)
    context = {
        "issuer": state.settings.issuer,
        "logins": logins,
        "password": DEMO_PASSWORD,
        "docs": serves_docs(request.app.routes),
    }
    return render_page(request, "landing.html", context)
