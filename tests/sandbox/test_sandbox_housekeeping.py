"""Expired sessions, requests, codes, tokens and idempotency keys are purged; live ones stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sandbox_harness import fresh_database
from sqlalchemy import func, select

from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import IdempotencyRecord, WebSession
from renkei_sandbox.housekeeping import purge_expired
from renkei_sandbox.oauth.clients import find_client, register_client
from renkei_sandbox.seed.seeder import seed


def test_purge_expired(tmp_path: Path) -> None:
    db = fresh_database(tmp_path)
    now = utcnow()
    with db.write_session() as session, session.begin():
        seed(session, 1, 1)
        client = register_client(session, "app", ["https://app.example/cb"])
        session.add(
            WebSession(session_hash="a" * 64, customer_id=None, csrf_token="x", expires_at=now - timedelta(1))
        )
        session.add(
            WebSession(session_hash="b" * 64, customer_id=None, csrf_token="y", expires_at=now + timedelta(1))
        )
        registered = find_client(session, client.client_id)
        assert registered is not None
        session.add(
            IdempotencyRecord(
                client_pk=registered.id,
                customer_id=1,
                key="k",
                fingerprint="f",
                state="completed",
                owner="0" * 32,
                claimed_at=now - timedelta(days=2),
                transfer_pk=None,
                response_status=None,
                response_body=None,
                created_at=now - timedelta(days=2),
                expires_at=now - timedelta(days=1),
            )
        )
    with db.write_session() as session, session.begin():
        assert purge_expired(session) == 2
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(WebSession)) == 1
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    db.dispose()
