"""Delete rows that can never be used again: expired sessions, requests, codes, tokens, idempotency keys,
rate-limit counters and remembered jti values."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import (
    AuthorizationCode,
    AuthorizationRequest,
    IdempotencyRecord,
    RateLimitCounter,
    SeenJti,
    Token,
    WebSession,
)


def purge_expired(session: Session) -> int:
    """Returns how many rows were deleted."""
    now = utcnow()
    deleted = 0
    for model, column in (
        (WebSession, WebSession.expires_at),
        (AuthorizationRequest, AuthorizationRequest.expires_at),
        (AuthorizationCode, AuthorizationCode.expires_at),
        (Token, Token.expires_at),
        (IdempotencyRecord, IdempotencyRecord.expires_at),
    ):
        result = session.execute(delete(model).where(column <= now).returning(model.id))
        deleted += len(result.all())
    counters = session.execute(
        delete(RateLimitCounter).where(RateLimitCounter.expires_at <= now).returning(RateLimitCounter.bucket)
    )
    deleted += len(counters.all())
    seen = session.execute(delete(SeenJti).where(SeenJti.expires_at <= now).returning(SeenJti.jti_hash))
    deleted += len(seen.all())
    return deleted
