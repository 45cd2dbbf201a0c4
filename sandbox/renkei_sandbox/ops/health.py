"""`/healthz` (the process answers) and `/readyz` (the database answers and its schema is at the newest
migration): for load balancers and orchestrators. Neither needs a token, neither is rate limited."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from renkei_sandbox.db.errors import describe_database_error
from renkei_sandbox.ops.schema import current_revisions, head_revisions
from renkei_sandbox.state import sandbox_state

router = APIRouter()
_NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz", include_in_schema=False)
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers=_NO_STORE)


@router.get("/readyz", include_in_schema=False)
def readyz(request: Request) -> JSONResponse:
    db = sandbox_state(request).db
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = current_revisions(connection)
    except SQLAlchemyError as error:
        return _not_ready("database_unreachable", describe_database_error(error))
    heads = head_revisions()
    if current != heads:
        detail = f"schema at {sorted(current) or 'no revision'}, the code expects {sorted(heads)}"
        return _not_ready("migrations_pending", detail + " (run `renkei sandbox migrate`)")
    return JSONResponse({"status": "ready", "migration": sorted(current)}, headers=_NO_STORE)


def _not_ready(reason: str, detail: str) -> JSONResponse:
    return JSONResponse({"status": "not_ready", "reason": reason, "detail": detail}, 503, headers=_NO_STORE)
