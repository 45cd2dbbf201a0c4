"""Rate limits of API operations (name inquiry, fee check): per client, 429 with the standard error body."""

from __future__ import annotations

from renkei_runtime.server import ApiProblem
from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.db.engine import Database
from renkei_sandbox.limits.policies import RateLimits
from renkei_sandbox.limits.rates import RATE_LIMITED_MESSAGE, count_request
from renkei_sandbox.logs import audit


def count_api_call(db: Database, limits: RateLimits, name: str, principal: AccessPrincipal) -> dict[str, str]:
    """Count a call of operation `name` against its client's quota (in its own committed transaction, so
    that refused calls count too). Over the quota: ApiProblem 429 with `Retry-After`. Returns the
    `RateLimit` headers for the response (none when the operation is not limited). Blocking: call it from
    the thread pool."""
    with db.write_session() as session, session.begin():
        verdict = count_request(session, limits, name, f"client:{principal.client_id}")
    if verdict is None:
        return {}
    if not verdict.allowed:
        audit(name, "rate_limited", client_id=principal.client_id)
        raise ApiProblem(429, "too_many_requests", RATE_LIMITED_MESSAGE, headers=verdict.headers())
    return verdict.headers()
