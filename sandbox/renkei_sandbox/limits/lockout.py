"""Login lockout: failed logins counted per login id and per source address; a full count refuses the
next attempts before any password is checked, until the sliding window has room again.

Login ids are counted whether or not they exist (a lock reveals nothing about the account) and only as a
hash (the counters table never holds a login id). A successful login clears its login id's count, never
the source address's (an attacker must not reset it with an account of their own).
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from renkei_sandbox.limits.counters import clear, hit, peek
from renkei_sandbox.limits.policies import LoginLockout


def _account_bucket(login_id: str) -> str:
    return "login-failure:account:" + hashlib.sha256(login_id.encode()).hexdigest()[:40]


def _source_bucket(source: str) -> str:
    return f"login-failure:source:{source}"


def seconds_locked(session: Session, lockout: LoginLockout, login_id: str, source: str) -> int:
    """Seconds until `login_id` may try again from `source`; 0 when it may now."""
    waits = [
        peek(session, _account_bucket(login_id), lockout.per_account).seconds_until_room(),
        peek(session, _source_bucket(source), lockout.per_source).seconds_until_room(),
    ]
    return max(waits)


def record_failure(session: Session, lockout: LoginLockout, login_id: str, source: str) -> None:
    hit(session, _account_bucket(login_id), lockout.per_account)
    hit(session, _source_bucket(source), lockout.per_source)


def record_success(session: Session, login_id: str) -> None:
    clear(session, _account_bucket(login_id))
