"""What every adapter needs: the caller's principal, domain errors as ApiProblem, work off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from renkei_runtime.server import ApiProblem, RequestContext
from renkei_sandbox import audit
from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.db.engine import Database
from renkei_sandbox.services.errors import Denied, ServiceError

T = TypeVar("T")


def principal_of(ctx: RequestContext) -> AccessPrincipal:
    """The principal our TokenVerifier attached to the verified token."""
    principal = ctx.token.extra.get("principal") if ctx.token is not None else None
    if not isinstance(principal, AccessPrincipal):
        raise ApiProblem(401, "invalid_token", "アクセストークンが無効です。")
    return principal


def as_problem(error: ServiceError) -> ApiProblem:
    details = None
    if error.field is not None:
        details = [
            {
                "errorDetailsCode": error.code,
                "errorDetailsMessage": error.message,
                "errorDetailsField": error.field,
            }
        ]
    return ApiProblem(error.status_code, error.code, error.message, details)


async def call(work: Callable[[], T], db: Database) -> T:
    """Run blocking database work in the thread pool; domain errors become the standard error body.

    A denial (a resource outside the token's consent) is audited in its own transaction, after the work's
    transaction ended, and answered like an unknown resource."""
    try:
        return await run_in_threadpool(work)
    except Denied as error:
        await run_in_threadpool(_record_denial, db, error)
        raise as_problem(error) from None
    except ServiceError as error:
        raise as_problem(error) from None


def _record_denial(db: Database, error: Denied) -> None:
    principal = error.principal
    with db.write_session() as session, session.begin():
        audit.record_event(
            session,
            audit.ACCESS_DENIED,
            client_id=principal.client_id,
            customer_id=principal.customer_id,
            bank_code=principal.bank_code,
            resource=error.resource,
            details={"reason": error.reason},
        )


def jst(moment: datetime) -> datetime:
    """Timestamps go out in JST (`+09:00`)."""
    from renkei_sandbox.clock import JST

    return moment.astimezone(JST)
