"""Idempotency-Key handling (security-requirements §4.4, docs/spec.md).

Same key + same body: the same transfer again. Same key + another body: 422. Same key still in
progress: 409. Missing key: 400. Keys are scoped to (client, customer) and kept for 24 hours.
A claim is committed before the work starts, so a concurrent duplicate meets the unique index
and gets 409 instead of running twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from renkei_sandbox.config import IDEMPOTENCY_WINDOW_SECONDS
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import IdempotencyRecord
from renkei_sandbox.db.models.transfers import IDEMPOTENCY_COMPLETED, IDEMPOTENCY_IN_PROGRESS
from renkei_sandbox.services.errors import (
    ERRORS_BY_STATUS,
    Conflict,
    InvalidRequest,
    ServiceError,
    Unprocessable,
)

ABANDONED_AFTER_SECONDS = 120
"""An in-progress claim older than this belongs to a request that died; a retry may take it over."""
_KEY = re.compile(r"^[\x21-\x7e]{1,40}$")


def fingerprint(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str | None) -> str:
    if key is None or key == "":
        raise InvalidRequest(
            "Idempotency-Key ヘッダーが必要です。",
            code="idempotency_key_missing",
            field="header.Idempotency-Key",
        )
    if not _KEY.fullmatch(key):
        raise InvalidRequest(
            "Idempotency-Key は 1〜40 文字の印字可能な ASCII で指定してください。",
            code="invalid_idempotency_key",
            field="header.Idempotency-Key",
        )
    return key


@dataclass(frozen=True)
class Claim:
    """Either a fresh claim (`record_pk`) or the outcome of an earlier request with the same key."""

    record_pk: int | None
    replay_transfer_pk: int | None = None


def claim(db: Database, client_pk: int, customer_id: int, key: str, print_: str, now: datetime) -> Claim:
    """Claim the key, or replay/refuse according to the earlier request. Raises 409/422/stored errors."""
    for _ in range(3):
        try:
            with db.write_session() as session, session.begin():
                existing = session.scalar(
                    select(IdempotencyRecord).where(
                        IdempotencyRecord.client_pk == client_pk,
                        IdempotencyRecord.customer_id == customer_id,
                        IdempotencyRecord.key == key,
                    )
                )
                if existing is not None and existing.expires_at <= now:
                    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == existing.id))
                    session.flush()
                    existing = None
                if existing is not None and _abandoned(existing, now):
                    # The request that claimed it died before finishing (its work rolled back): take over.
                    existing.created_at = now
                    return Claim(existing.id)
                if existing is not None:
                    return _outcome_of(existing, print_)
                record = IdempotencyRecord(
                    client_pk=client_pk,
                    customer_id=customer_id,
                    key=key,
                    fingerprint=print_,
                    state=IDEMPOTENCY_IN_PROGRESS,
                    transfer_pk=None,
                    response_status=None,
                    response_body=None,
                    created_at=now,
                    expires_at=now + timedelta(seconds=IDEMPOTENCY_WINDOW_SECONDS),
                )
                session.add(record)
                session.flush()
                return Claim(record.id)
        except IntegrityError:
            continue  # a concurrent request claimed it first: read its state
    raise Conflict("同じ Idempotency-Key のリクエストを処理中です。", code="idempotency_key_in_use")


def _abandoned(existing: IdempotencyRecord, now: datetime) -> bool:
    return existing.state == IDEMPOTENCY_IN_PROGRESS and existing.created_at <= now - timedelta(
        seconds=ABANDONED_AFTER_SECONDS
    )


def _outcome_of(existing: IdempotencyRecord, print_: str) -> Claim:
    if existing.fingerprint != print_:
        raise Unprocessable(
            "同じ Idempotency-Key で異なる内容のリクエストが送られました。", code="idempotency_key_reused"
        )
    if existing.state == IDEMPOTENCY_IN_PROGRESS:
        raise Conflict("同じ Idempotency-Key のリクエストを処理中です。", code="idempotency_key_in_use")
    if existing.transfer_pk is not None:
        return Claim(None, existing.transfer_pk)
    error = json.loads(existing.response_body or "{}")
    cls = ERRORS_BY_STATUS.get(existing.response_status or 400, InvalidRequest)
    raise cls(error.get("message", ""), code=error.get("code"), field=error.get("field"))


def complete(session: Session, record_pk: int, transfer_pk: int) -> None:
    """Mark the claim done inside the transaction that created the transfer (both commit, or neither)."""
    session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == record_pk)
        .values(state=IDEMPOTENCY_COMPLETED, transfer_pk=transfer_pk, response_status=201)
    )


def record_failure(db: Database, record_pk: int, error: ServiceError) -> None:
    body = json.dumps(
        {"code": error.code, "message": error.message, "field": error.field}, ensure_ascii=False
    )
    with db.write_session() as session, session.begin():
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == record_pk)
            .values(state=IDEMPOTENCY_COMPLETED, response_status=error.status_code, response_body=body)
        )


def release(db: Database, record_pk: int) -> None:
    """Forget a claim whose request failed unexpectedly, so that a retry can run."""
    with db.write_session() as session, session.begin():
        session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_pk))
