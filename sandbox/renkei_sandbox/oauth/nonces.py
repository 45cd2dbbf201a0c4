"""DPoP server nonces (RFC 9449 §8, §9) without per-nonce state: a nonce is a time slot and its HMAC under
a secret kept in the database, so every worker issues and accepts the same nonces. A nonce stays valid for
the current and the previous slot (one to two slots)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from renkei_sandbox.db.models import ServerSecret

NONCE_SLOT_SECONDS = 120
_SECRET_NAME = "dpop_nonce"


def _secret(session: Session) -> bytes:
    value = session.scalar(select(ServerSecret.value).where(ServerSecret.name == _SECRET_NAME))
    if value is None:
        try:
            with session.begin_nested():
                session.add(ServerSecret(name=_SECRET_NAME, value=secrets.token_hex(32)))
        except IntegrityError:
            pass
        value = session.scalar(select(ServerSecret.value).where(ServerSecret.name == _SECRET_NAME))
    assert value is not None
    return bytes.fromhex(value)


def _for_slot(secret: bytes, slot: int) -> str:
    mac = hmac.new(secret, str(slot).encode(), hashlib.sha256).hexdigest()[:32]
    return f"{slot:x}.{mac}"


def current_nonce(session: Session, clock: Callable[[], float] = time.time) -> str:
    return _for_slot(_secret(session), int(clock() // NONCE_SLOT_SECONDS))


def nonce_is_valid(session: Session, nonce: str, clock: Callable[[], float] = time.time) -> bool:
    slot_text, _, _ = nonce.partition(".")
    try:
        slot = int(slot_text, 16)
    except ValueError:
        return False
    now_slot = int(clock() // NONCE_SLOT_SECONDS)
    if slot not in (now_slot, now_slot - 1):
        return False
    return hmac.compare_digest(_for_slot(_secret(session), slot), nonce)
