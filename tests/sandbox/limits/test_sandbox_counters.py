"""The counters on a real database (SQLite, or PostgreSQL with DATABASE_URL): atomic under concurrent
hits, the sliding-window estimate, `Retry-After` that really leaves room, and housekeeping."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sandbox_harness import fresh_database
from sqlalchemy import func, select

from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import RateLimitCounter
from renkei_sandbox.housekeeping import purge_expired
from renkei_sandbox.limits.counters import clear, hit, peek
from renkei_sandbox.limits.policies import LoginLockout, Policy, RateLimits, parse_policy

T0 = 1_800_000_000.0  # a multiple of 60, 100 and 900: the start of a window of each


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = fresh_database(tmp_path)
    yield database
    database.dispose()


def _hit(db: Database, bucket: str, policy: Policy, now: float) -> int:
    with db.write_session() as session, session.begin():
        return hit(session, bucket, policy, now).current


def test_fifty_concurrent_hits_are_fifty_distinct_counts(db: Database) -> None:
    policy = Policy(1000, 60)
    with ThreadPoolExecutor(10) as pool:
        counts = list(pool.map(lambda _: _hit(db, "token:client:a", policy, T0 + 1), range(50)))
    assert sorted(counts) == list(range(1, 51))
    with db.session() as session:
        assert session.scalar(select(func.sum(RateLimitCounter.hits))) == 50


def test_the_previous_window_counts_by_its_overlap(db: Database) -> None:
    policy = Policy(10, 100)
    for _ in range(10):
        _hit(db, "b", policy, T0 + 50)
    with db.session() as session:
        assert peek(session, "b", policy, T0 + 99).full
        later = peek(session, "b", policy, T0 + 125)  # a quarter into the next window: 10 * 0.75
        assert later.estimate == pytest.approx(7.5)
        assert not later.full and later.remaining == 2
        assert peek(session, "b", policy, T0 + 200).estimate == 0  # two windows on: forgotten


def test_retry_after_is_exactly_when_there_is_room_again(db: Database) -> None:
    policy = Policy(4, 100)
    for _ in range(6):  # over the quota: the refused hits count too
        _hit(db, "c", policy, T0 + 10)
    with db.session() as session:
        wait = peek(session, "c", policy, T0 + 10).seconds_until_room()
        # room for one more when 6 * (1 - e / 100) + 1 <= 4 in the next window: e = 50, so 90 + 50 s
        assert wait == 140
        assert peek(session, "c", policy, T0 + 10 + wait).full is False
        assert peek(session, "c", policy, T0 + 10 + wait - 2).full is True


def test_clear_and_housekeeping_delete_counters(db: Database) -> None:
    policy = Policy(5, 60)
    _hit(db, "d", policy, T0)
    _hit(db, "e", policy, T0)
    with db.write_session() as session, session.begin():
        clear(session, "d")
    with db.session() as session:
        assert session.scalars(select(RateLimitCounter.bucket)).all() == ["e"]
    with db.write_session() as session, session.begin():  # its window ended long ago (T0 is in 2027)
        assert purge_expired(session) == 0
    _hit(db, "old", policy, 1_000_000_000.0)
    with db.write_session() as session, session.begin():
        assert purge_expired(session) == 1


def test_policies_from_the_environment() -> None:
    env = {"RENKEI_RATE_LIMIT_TOKEN": "300/10", "RENKEI_RATE_LIMIT_NAME_INQUIRY": "off"}
    limits = RateLimits.from_env(env)
    assert limits.token == Policy(300, 10) and limits.name_inquiry is None
    assert limits.introspection == RateLimits().introspection
    assert RateLimits.from_env({"RENKEI_RATE_LIMITS": "off"}) == RateLimits.off()
    lockout = LoginLockout.from_env({"RENKEI_LOGIN_LOCKOUT_ACCOUNT": "5/600"})
    assert lockout.per_account == Policy(5, 600) and lockout.per_source == LoginLockout().per_source
    with pytest.raises(ValueError, match="QUOTA/WINDOW_SECONDS"):
        parse_policy("lots", "RENKEI_RATE_LIMIT_TOKEN")
    with pytest.raises(ValueError):
        Policy(0, 60)
