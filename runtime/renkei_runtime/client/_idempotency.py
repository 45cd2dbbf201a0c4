"""Idempotency keys: one per logical call, sent unchanged on every retry of that call."""

from __future__ import annotations

import uuid


def new_idempotency_key() -> str:
    """A fresh idempotency key: a random UUID (36 characters, within the standard's 1-40)."""
    return str(uuid.uuid4())
