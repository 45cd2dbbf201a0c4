"""`jti` single use across workers: the first insert of (purpose, hash) wins, any later one is a replay."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from renkei_sandbox.db.models import SeenJti

MAX_JTI_LENGTH = 256


def first_use(session: Session, purpose: str, jti: str, keep_until: datetime) -> bool:
    """True when `jti` had not been seen for `purpose`; it is remembered (as a SHA-256 hash) until
    `keep_until`. Concurrent callers with the same value: exactly one gets True (primary key)."""
    jti_hash = hashlib.sha256(jti.encode()).hexdigest()
    if session.scalar(
        select(SeenJti.jti_hash).where(SeenJti.purpose == purpose, SeenJti.jti_hash == jti_hash)
    ):
        return False
    try:
        with session.begin_nested():
            session.add(SeenJti(purpose=purpose, jti_hash=jti_hash, expires_at=keep_until))
    except IntegrityError:
        return False
    return True
