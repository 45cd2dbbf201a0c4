"""Opaque keyset cursors: the sort key of the last item returned, base64url-encoded JSON."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from renkei_sandbox.services.dates import DateWindow
from renkei_sandbox.services.errors import InvalidRequest

T = TypeVar("T")
MAX_LIMIT = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def encode_cursor(*key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int) -> tuple[str, ...] | None:
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as error:
        raise InvalidRequest("cursor が不正です。", field="query.cursor") from error
    if not isinstance(key, list) or len(key) != arity or not all(isinstance(k, str) for k in key):
        raise InvalidRequest("cursor が不正です。", field="query.cursor")
    return tuple(key)


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit は 1〜{MAX_LIMIT} で指定してください。", field="query.limit")
    return limit


def in_window_after(
    cursor: str | None,
    date_column: InstrumentedAttribute[date],
    id_column: InstrumentedAttribute[Any],
    window: DateWindow,
) -> tuple[ColumnElement[bool], ...]:
    """WHERE clauses for a list ordered by (date, id): inside `window` and after the cursor's key.

    The lower date bound is the later of the window's start and the cursor's date, so that the database
    seeks straight to the cursor instead of scanning from the window's start (deep pages stay fast).
    """
    after = decode_cursor(cursor, 2)
    if after is None:
        return (date_column >= window.date_from, date_column <= window.date_to)
    try:
        after_date = date.fromisoformat(after[0])
    except ValueError as error:
        raise InvalidRequest("cursor が不正です。", field="query.cursor") from error
    return (
        date_column >= max(window.date_from, after_date),
        date_column <= window.date_to,
        or_(date_column > after_date, and_(date_column == after_date, id_column > after[1])),
    )


def take_page(rows: list[T], limit: int, key: Callable[[T], tuple[str, ...]]) -> Page[T]:
    """The first `limit` of `rows` (fetched with `limit + 1`) and, when more remain, the next cursor."""
    has_next = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(*key(rows[-1])) if has_next and rows else None)
