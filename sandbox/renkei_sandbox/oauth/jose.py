"""JOSE for the authorization and resource servers, through joserfc only, with the FAPI 2.0 algorithm
allow-list (PS256, ES256; RFC 8725): RS256, HS256 and `none` never verify."""

from __future__ import annotations

import json
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, Key, KeySet, RSAKey, import_key
from joserfc.jws import JWSRegistry

ALLOWED_ALGORITHMS = ("PS256", "ES256")
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256


class _Registry(JWSRegistry):
    max_header_length = 4096
    """An RSA-2048 `jwk` in a DPoP header is larger than joserfc's default of 512 bytes."""
    max_payload_length = 8192


REGISTRY = _Registry(algorithms=list(ALLOWED_ALGORITHMS), strict_check_header=False)
"""Extra header parameters are ignored, not refused (RFC 9449 §4.3, OIDF dpop-negative-tests)."""


class JoseInvalid(ValueError):
    """A JWT that is malformed, unsigned, signed with a disallowed algorithm or with another key."""


def parse_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims of a compact JWS, *not* verified: only to find the key that verifies it."""
    try:
        obj = jws.extract_compact(token.encode("ascii"), None, REGISTRY)
        claims = json.loads(obj.payload or b"")
    except (JoseError, ValueError, UnicodeError) as error:
        raise JoseInvalid("not a well-formed JWT") from error
    if not isinstance(claims, dict):
        raise JoseInvalid("the JWT payload is not a JSON object")
    return dict(obj.headers()), claims


def verify_signature(token: str, key: Key | KeySet) -> None:
    """Raises JoseInvalid unless `token` is signed by `key` (or a key of the set) with PS256 or ES256."""
    try:
        jws.deserialize_compact(token.encode("ascii"), key, registry=REGISTRY)
    except (JoseError, ValueError, UnicodeError) as error:
        raise JoseInvalid(f"the signature does not verify ({error.__class__.__name__})") from error


def public_key_from_jwk(value: object) -> Key:
    """A public EC P-256 or RSA ≥ 2048 key from a JWK dict; JoseInvalid for anything else (a private key
    included: RFC 9449 §4.3 step 7)."""
    if not isinstance(value, dict):
        raise JoseInvalid("jwk is not a JSON object")
    try:
        key = import_key(value)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise JoseInvalid("jwk is not a valid JSON Web Key") from error
    check_key_strength(key)
    if key.is_private:
        raise JoseInvalid("jwk contains a private key")
    return key


def check_key_strength(key: Key) -> None:
    if isinstance(key, RSAKey):
        if key.raw_value.key_size < MIN_RSA_BITS:
            raise JoseInvalid(f"RSA keys must have at least {MIN_RSA_BITS} bits")
    elif isinstance(key, ECKey):
        if key.get("crv") != "P-256":
            raise JoseInvalid("EC keys must be on the P-256 curve (ES256)")
    else:
        raise JoseInvalid("keys must be RSA (PS256) or EC P-256 (ES256)")


def key_set_from_json(text: str | bytes) -> KeySet:
    """A JWK set of public keys (JoseInvalid when malformed, private, weak or with duplicate `kid`s)."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise JoseInvalid("the JWK set is not JSON") from error
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or not keys:
        raise JoseInvalid('a JWK set is an object with a non-empty "keys" array')
    imported = [public_key_from_jwk(k) for k in keys]
    kids = [k.kid for k in imported if k.kid is not None]
    if len(kids) != len(set(kids)):
        raise JoseInvalid("the JWK set has duplicate kid values")
    return KeySet(imported)


def thumbprint(key: Key) -> str:
    """RFC 7638 SHA-256 thumbprint (the DPoP `jkt`)."""
    return key.thumbprint()
