"""Sliding-window counters in the database: one atomic upsert per hit, so that every worker shares them.

A bucket's count over the last `window` seconds is estimated from two fixed windows: all of the current
one plus the previous one weighted by how much of it the sliding window still covers (the "sliding window
counter" of Cloudflare and others). Rows are keyed by (bucket, window start); a hit is
`INSERT ... ON CONFLICT DO UPDATE SET hits = hits + 1 RETURNING hits`, atomic on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from renkei_sandbox.db.models import RateLimitCounter
from renkei_sandbox.limits.policies import Policy


@dataclass(frozen=True)
class Count:
    """A bucket's state at one moment."""

    policy: Policy
    previous: int
    current: int
    elapsed: float
    """Seconds since the current fixed window began."""

    @property
    def estimate(self) -> float:
        window = self.policy.window
        return self.previous * (window - self.elapsed) / window + self.current

    @property
    def over(self) -> bool:
        """More than the quota (the hit just counted included)."""
        return self.estimate > self.policy.quota

    @property
    def full(self) -> bool:
        """No room for one more."""
        return self.estimate + 1 > self.policy.quota

    @property
    def remaining(self) -> int:
        return max(0, math.floor(self.policy.quota - self.estimate))

    def seconds_until_room(self) -> int:
        """Whole seconds until one more hit fits in the quota (0: it fits now), counts as they are."""
        window, room = self.policy.window, self.policy.quota - 1
        if not self.full:
            return 0
        if self.current <= room:  # the previous window's share decays within the current one
            wait = window - self.elapsed - (room - self.current) * window / self.previous
        else:  # only the next window's decay of the current count makes room
            wait = window - self.elapsed + window - room * window / self.current
        return max(1, math.ceil(wait))

    def seconds_until_window_end(self) -> int:
        return max(1, math.ceil(self.policy.window - self.elapsed))


def _window(policy: Policy, now: float) -> tuple[int, float]:
    start = int(now // policy.window) * policy.window
    return start, now - start


def _increment(session: Session, bucket: str, start: int, window: int) -> int:
    values = {
        "bucket": bucket,
        "window_start": start,
        "hits": 1,
        "expires_at": datetime.fromtimestamp(start + 2 * window, UTC),
    }
    key = [RateLimitCounter.bucket, RateLimitCounter.window_start]
    increment = {"hits": RateLimitCounter.hits + 1}
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql_insert(RateLimitCounter).values(values)
        statement = pg.on_conflict_do_update(index_elements=key, set_=increment).returning(
            RateLimitCounter.hits
        )
    else:
        lite = sqlite_insert(RateLimitCounter).values(values)
        statement = lite.on_conflict_do_update(index_elements=key, set_=increment).returning(
            RateLimitCounter.hits
        )
    return int(session.execute(statement).scalar_one())


def _hits(session: Session, bucket: str, start: int) -> int:
    found = session.scalar(
        select(RateLimitCounter.hits).where(
            RateLimitCounter.bucket == bucket, RateLimitCounter.window_start == start
        )
    )
    return found or 0


def hit(session: Session, bucket: str, policy: Policy, now: float | None = None) -> Count:
    """Count one hit (committed with the session's transaction) and return the bucket's new state."""
    start, elapsed = _window(policy, time.time() if now is None else now)
    current = _increment(session, bucket, start, policy.window)
    return Count(policy, _hits(session, bucket, start - policy.window), current, elapsed)


def peek(session: Session, bucket: str, policy: Policy, now: float | None = None) -> Count:
    """The bucket's state, without counting."""
    start, elapsed = _window(policy, time.time() if now is None else now)
    current = _hits(session, bucket, start)
    return Count(policy, _hits(session, bucket, start - policy.window), current, elapsed)


def clear(session: Session, bucket: str) -> None:
    """Forget a bucket's hits (e.g. an account's failed logins once it logs in)."""
    session.execute(delete(RateLimitCounter).where(RateLimitCounter.bucket == bucket))
