"""Idempotency-Key handling (security-requirements §4.4, docs/spec.md): money that cannot be spent twice.

Same key + same body: the earlier outcome again (the transfer, or the error it got). Same key + another body:
422. Same key while a request works on it: 409. Missing key: 400. Keys are scoped to (client, customer) and
kept for 24 hours (`IDEMPOTENCY_WINDOW_SECONDS`); an expired key starts afresh.

A request with a key goes through three steps:

1. `register`, in its own short transaction: the key's record exists (committed), claimed by this request's
   claim id (`owner`, a random fencing token) when the key is new. Committing first lets a concurrent
   duplicate find a committed row to lock, instead of waiting on an uncommitted unique-index entry.
2. `claim`, first statement of the *ledger transaction*: lock the record and decide under the lock (a
   completed record is final until it expires: its outcome is read without the lock).
   PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED` (no row: a live transaction works on the key -> 409).
   SQLite: the ledger transaction began with BEGIN IMMEDIATE, the database's single write lock, so no other
   transaction is running at all. Under the lock: completed -> the earlier outcome (another body: 422); in
   progress and ours -> go on; in progress and someone else's -> take it over (owner := our claim id).
3. The transfer, its ledger postings and `complete` — `UPDATE ... WHERE owner = :ours AND state =
   'in_progress'`, 0 rows -> `LostClaim` and the whole transaction rolls back — commit as one transaction.
   An error the request answers with (422 insufficient funds, ...) is stored the same way by `fail`, after
   the transfer's savepoint rolled back, so that a retry gets the same error.

Why a transfer cannot run twice: a transfer commits only together with its owner's completion of the record,
and a record goes from in progress to completed once, under the lock. Taking over is safe because holding the
lock proves that no transaction of the earlier owner is running, and whatever it does later starts again at
step 2, where it finds the record completed (it replays) or locked (409): it can no longer commit.

Why a crash does not lock a key out: liveness is the lock, not a clock (there is no "abandoned after 120 s").
A worker that dies mid-transfer loses its connection; the database rolls its transaction back and releases
the row lock (on SQLite the file lock dies with the process), and the very next retry takes the claim over.
A request that hangs inside its transaction while connected keeps the key busy (409) until its connection
dies; on PostgreSQL, bound that with `idle_in_transaction_session_timeout`. On SQLite a duplicate never gets
409: it waits for the write lock (the busy timeout) and then replays.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
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

_KEY = re.compile(r"^[\x21-\x7e]{1,40}$")
IN_USE = "idempotency_key_in_use"
REUSED = "idempotency_key_reused"
CONFLICT_CODES = frozenset({IN_USE, REUSED})
"""Error codes of a key conflict (as opposed to the replay of an earlier request's error)."""


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


def new_owner() -> str:
    """A fresh claim id: the fencing token one request holds its claim by."""
    return secrets.token_hex(16)


def _in_use() -> Conflict:
    return Conflict("同じ Idempotency-Key のリクエストを処理中です。", code=IN_USE)


class LostClaim(Conflict):
    """The record is no longer this request's to complete: its transaction must roll back."""


@dataclass(frozen=True)
class Claim:
    """This request owns the key's record for the rest of the ledger transaction."""

    record_pk: int
    owner: str


@dataclass(frozen=True)
class Replay:
    """An earlier request with the key created this transfer."""

    transfer_pk: int


@dataclass(frozen=True)
class BulkItem:
    """The stored outcome of one item of a 一括振込: its transfer, or the error it got."""

    item_id: str
    transfer_pk: int | None
    error_code: str | None
    error_message: str | None


@dataclass(frozen=True)
class BulkReplay:
    """An earlier 一括振込 request with the key had these per-item outcomes."""

    items: tuple[BulkItem, ...]


def register(
    db: Database, client_pk: int, customer_id: int, key: str, print_: str, owner: str, now: datetime
) -> int:
    """Step 1: the id of the key's record, committed; a new key is claimed by `owner`."""
    for _ in range(3):
        try:
            with db.write_session() as session, session.begin():
                existing = session.scalar(
                    select(IdempotencyRecord.id).where(
                        IdempotencyRecord.client_pk == client_pk,
                        IdempotencyRecord.customer_id == customer_id,
                        IdempotencyRecord.key == key,
                    )
                )
                if existing is not None:
                    return existing
                record = IdempotencyRecord(
                    client_pk=client_pk,
                    customer_id=customer_id,
                    key=key,
                    fingerprint=print_,
                    state=IDEMPOTENCY_IN_PROGRESS,
                    owner=owner,
                    claimed_at=now,
                    transfer_pk=None,
                    response_status=None,
                    response_body=None,
                    created_at=now,
                    expires_at=now + timedelta(seconds=IDEMPOTENCY_WINDOW_SECONDS),
                )
                session.add(record)
                session.flush()
                return record.id
        except IntegrityError:
            continue  # a concurrent request registered it first: use its record
    raise _in_use()


def claim(
    session: Session, record_pk: int, print_: str, owner: str, now: datetime
) -> Claim | Replay | BulkReplay:
    """Step 2, in the ledger transaction: lock the record and own it, or the earlier outcome.

    Raises 409 (a live transaction works on the key), 422 (another body) or the earlier request's error.
    A completed record never changes again until it expires, so its outcome is read without the lock.
    """
    seen = _record(session, record_pk, lock=False)
    if seen is not None and seen.expires_at > now:
        if seen.fingerprint != print_:
            raise _reused()
        if seen.state == IDEMPOTENCY_COMPLETED:
            return _outcome_of(seen)
    record = _record(session, record_pk, lock=True)
    if record is None:
        raise _in_use()  # locked by a running transaction (or purged meanwhile: the retry starts afresh)
    if record.expires_at <= now:
        _restart(record, print_, now)
    elif record.fingerprint != print_:
        raise _reused()
    elif record.state == IDEMPOTENCY_COMPLETED:
        return _outcome_of(record)
    if record.owner != owner:
        # No transaction of the earlier owner is running (we hold the lock), and it can never complete the
        # record once we own it: take the claim over.
        record.owner = owner
        record.claimed_at = now
    session.flush()
    return Claim(record.id, owner)


def _record(session: Session, record_pk: int, lock: bool) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(IdempotencyRecord.id == record_pk)
    if lock:
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query.execution_options(populate_existing=True))


def _reused() -> Unprocessable:
    return Unprocessable("同じ Idempotency-Key で異なる内容のリクエストが送られました。", code=REUSED)


def _restart(record: IdempotencyRecord, print_: str, now: datetime) -> None:
    """A key older than the window is a new key."""
    record.fingerprint = print_
    record.state = IDEMPOTENCY_IN_PROGRESS
    record.transfer_pk = None
    record.response_status = None
    record.response_body = None
    record.created_at = now
    record.expires_at = now + timedelta(seconds=IDEMPOTENCY_WINDOW_SECONDS)


def _outcome_of(record: IdempotencyRecord) -> Replay | BulkReplay:
    if record.transfer_pk is not None:
        return Replay(record.transfer_pk)
    error = json.loads(record.response_body or "{}")
    if record.response_status == 201 and "bulk" in error:
        return BulkReplay(tuple(BulkItem(**item) for item in error["bulk"]))
    cls = ERRORS_BY_STATUS.get(record.response_status or 400, InvalidRequest)
    raise cls(error.get("message", ""), code=error.get("code"), field=error.get("field"))


def complete(session: Session, claim: Claim, transfer_pk: int) -> None:
    """Step 3: the record names the transfer, in the transaction that created it (both commit, or neither)."""
    _finish(session, claim, transfer_pk=transfer_pk, response_status=201)


def complete_bulk(session: Session, claim: Claim, items: list[BulkItem]) -> None:
    """Step 3 of a 一括振込: the record keeps every item's outcome, in the transaction of its transfers."""
    body = json.dumps({"bulk": [asdict(item) for item in items]}, ensure_ascii=False)
    _finish(session, claim, response_status=201, response_body=body)


def fail(session: Session, claim: Claim, error: ServiceError) -> None:
    """Step 3 for a request answered with an error: a retry gets the same error."""
    body = json.dumps(
        {"code": error.code, "message": error.message, "field": error.field}, ensure_ascii=False
    )
    _finish(session, claim, response_status=error.status_code, response_body=body)


def _finish(session: Session, claim: Claim, **values: Any) -> None:
    done = session.execute(
        update(IdempotencyRecord)
        .where(
            IdempotencyRecord.id == claim.record_pk,
            IdempotencyRecord.owner == claim.owner,
            IdempotencyRecord.state == IDEMPOTENCY_IN_PROGRESS,
        )
        .values(state=IDEMPOTENCY_COMPLETED, **values)
        .returning(IdempotencyRecord.id)
    ).first()
    if done is None:
        raise LostClaim("同じ Idempotency-Key のリクエストを処理中です。", code=IN_USE)
