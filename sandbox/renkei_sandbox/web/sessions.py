"""Server-side browser sessions: the cookie holds a random id, the database its hash and a CSRF token."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from renkei_sandbox.config import WEB_SESSION_TTL_SECONDS
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import WebSession
from renkei_sandbox.secrets_util import credential_hash, new_credential

COOKIE = "renkei_session"
SECURE_COOKIE = "__Host-renkei_session"
"""Over https: the `__Host-` prefix (Secure, path /, no Domain: no sibling host can set it)."""


def cookie_name(secure: bool) -> str:
    return SECURE_COOKIE if secure else COOKIE


def current_session(session: Session, request: Request) -> WebSession | None:
    """The customer's live session; over https only the `__Host-` cookie counts (a plain one could have been
    planted over http)."""
    secure = request.url.scheme == "https" or SECURE_COOKIE in request.cookies
    value = request.cookies.get(SECURE_COOKIE if secure else COOKIE)
    if not value:
        return None
    row = session.scalar(select(WebSession).where(WebSession.session_hash == credential_hash(value)))
    if row is None or row.expires_at <= utcnow():
        return None
    return row


def start_session(session: Session, customer_id: int | None) -> tuple[WebSession, str]:
    """A fresh session (also on login, against session fixation); returns the row and the cookie value."""
    value = new_credential()
    row = WebSession(
        session_hash=credential_hash(value),
        customer_id=customer_id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + timedelta(seconds=WEB_SESSION_TTL_SECONDS),
    )
    session.add(row)
    return row, value


def end_session(session: Session, row: WebSession) -> None:
    session.execute(delete(WebSession).where(WebSession.id == row.id))


def set_cookie(response: Response, value: str, secure: bool) -> None:
    response.set_cookie(
        cookie_name(secure),
        value,
        max_age=WEB_SESSION_TTL_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def csrf_ok(row: WebSession | None, submitted: str | None) -> bool:
    return row is not None and submitted is not None and hmac.compare_digest(row.csrf_token, submitted)
