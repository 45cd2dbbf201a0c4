"""PKCE (RFC 7636) with S256 only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


def is_valid_challenge(challenge: str | None) -> bool:
    return challenge is not None and _CHALLENGE.fullmatch(challenge) is not None


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).decode().rstrip("=")


def verifier_matches(verifier: str | None, challenge: str) -> bool:
    if verifier is None or _VERIFIER.fullmatch(verifier) is None:
        return False
    return hmac.compare_digest(s256(verifier), challenge)
