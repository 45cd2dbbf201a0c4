"""What every adapter needs: the caller's principal, domain errors as ApiProblem, work off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from renkei_runtime.server import ApiProblem, RequestContext
from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.services.errors import ServiceError

T = TypeVar("T")


def principal_of(ctx: RequestContext) -> AccessPrincipal:
    """The principal our TokenVerifier attached to the verified token."""
    principal = ctx.token.extra.get("principal") if ctx.token is not None else None
    if not isinstance(principal, AccessPrincipal):
        raise ApiProblem(401, "unauthorized", "アクセストークンが無効です。")
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


async def call(work: Callable[[], T]) -> T:
    """Run blocking database work in the thread pool; domain errors become the standard error body."""
    try:
        return await run_in_threadpool(work)
    except ServiceError as error:
        raise as_problem(error) from None


def jst(moment: datetime) -> datetime:
    """Timestamps go out in JST (`+09:00`)."""
    from renkei_sandbox.clock import JST

    return moment.astimezone(JST)
