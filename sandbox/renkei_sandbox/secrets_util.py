"""Random credentials and their stored form (SHA-256 hex)."""

from __future__ import annotations

import hashlib
import secrets

CREDENTIAL_BYTES = 32
"""256 bits of entropy for codes, tokens, client secrets and session ids."""


def new_credential() -> str:
    return secrets.token_urlsafe(CREDENTIAL_BYTES)


def credential_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
