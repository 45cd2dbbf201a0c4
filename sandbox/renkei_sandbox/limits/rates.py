"""Rate limits of named endpoints: count a request, decide, and the headers that tell the client.

Headers follow draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "token";q=60;w=60` and
`RateLimit: "token";r=12;t=40` on every limited response, plus `Retry-After` (RFC 9110 §10.2.3) on a 429.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from renkei_sandbox.limits.counters import Count, hit, peek
from renkei_sandbox.limits.policies import Policy, RateLimits

RATE_LIMITED_MESSAGE = "しばらく時間をおいて再度お試しください。"
"""The standard error body's message for a 429 (the spec's TooManyRequests example)."""


@dataclass(frozen=True)
class Verdict:
    name: str
    count: Count
    refused: bool = False
    """Refused without counting this request (`refused_already`)."""

    @property
    def allowed(self) -> bool:
        return not self.count.over and not self.refused

    @property
    def retry_after(self) -> int:
        return self.count.seconds_until_room()

    def headers(self) -> dict[str, str]:
        policy = self.count.policy
        reset = self.count.seconds_until_window_end() if self.allowed else self.retry_after
        headers = {
            "RateLimit-Policy": f'"{self.name}";q={policy.quota};w={policy.window}',
            "RateLimit": f'"{self.name}";r={self.count.remaining};t={reset}',
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


def policy_of(limits: RateLimits, name: str) -> Policy | None:
    policy = getattr(limits, name)
    assert policy is None or isinstance(policy, Policy)
    return policy


def count_request(session: Session, limits: RateLimits, name: str, partition: str) -> Verdict | None:
    """Count a request to endpoint `name` from `partition` (`client:<id>`, `source:<address>`) at
    `limits.clock()`; None when that endpoint is not limited. The hit commits with the session's
    transaction."""
    policy = policy_of(limits, name)
    if policy is None:
        return None
    return Verdict(name.replace("_", "-"), hit(session, f"{name}:{partition}", policy, limits.clock()))


def refused_already(session: Session, limits: RateLimits, name: str, partition: str) -> Verdict | None:
    """The verdict when `partition` has no room left at endpoint `name` (without counting); else None.
    For callers that count only failures (unauthenticated requests per source address)."""
    policy = policy_of(limits, name)
    if policy is None:
        return None
    count = peek(session, f"{name}:{partition}", policy, limits.clock())
    return Verdict(name.replace("_", "-"), count, refused=True) if count.full else None
