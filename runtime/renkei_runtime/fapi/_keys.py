"""Keys and the two JWTs a FAPI 2.0 client signs: DPoP proofs (RFC 9449) and client assertions (RFC 7523)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, Key, RSAKey, import_key
from joserfc.jws import JWSRegistry

ALGORITHMS = ("ES256", "PS256")


class _Registry(JWSRegistry):
    max_header_length = 4096


_REGISTRY = _Registry(algorithms=list(ALGORITHMS))


def generate_key(alg: str = "ES256") -> Key:
    """A new private signing key: EC P-256 for ES256, RSA 2048 for PS256."""
    if alg == "ES256":
        return ECKey.generate_key("P-256", {"alg": "ES256"}, private=True)
    if alg == "PS256":
        return RSAKey.generate_key(2048, {"alg": "PS256"}, private=True)
    raise ValueError(f"FAPI 2.0 signs with {' or '.join(ALGORITHMS)}, not {alg}")


def algorithm_of(key: Key) -> str:
    alg = key.alg
    if alg in ALGORITHMS:
        return str(alg)
    return "ES256" if isinstance(key, ECKey) else "PS256"


def public_jwk(key: Key) -> dict[str, object]:
    """The public half as a JWK dict (what is registered with the provider, or sent in a DPoP header)."""
    data: dict[str, object] = dict(key.as_dict(private=False))
    data.setdefault("alg", algorithm_of(key))
    data.setdefault("use", "sig")
    return data


def load_key(path: str | os.PathLike[str]) -> Key:
    """A private key from a JWK (JSON) file, as `renkei sandbox clients add --generate-key` writes it."""
    return private_key_from_json(Path(path).read_text(), str(path))


def private_key_from_json(text: str, source: str = "the JWK") -> Key:
    """A private signing key from a JWK in JSON; ValueError when it is not one."""
    try:
        key = import_key(json.loads(text))
    except (ValueError, TypeError, KeyError, JoseError) as error:
        raise ValueError(f"{source} is not a JSON Web Key: {error}") from None
    if not key.is_private:
        raise ValueError(f"{source} holds a public key; signing needs the private key")
    return key


def write_private_key(key: Key, path: str | os.PathLike[str]) -> None:
    """Write the private JWK to `path`, readable by its owner only (0600), never replacing a file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(dict(key.as_dict(private=True)), out, indent=2)
        out.write("\n")


def _b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def access_token_hash(access_token: str) -> str:
    """The `ath` claim: base64url(SHA-256(access token))."""
    return _b64(hashlib.sha256(access_token.encode("ascii")).digest())


def _htu(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class DPoPProver:
    """Signs a fresh DPoP proof (new `jti`, current `iat`) per request with one key pair."""

    def __init__(self, key: Key | None = None, clock: Callable[[], float] = time.time) -> None:
        self.key = key if key is not None else generate_key("ES256")
        self.alg = algorithm_of(self.key)
        self._jwk = dict(self.key.as_dict(private=False))
        self._clock = clock

    @property
    def jkt(self) -> str:
        """RFC 7638 thumbprint of the public key (the `dpop_jkt` / `cnf.jkt` value)."""
        return self.key.thumbprint()

    def proof(self, method: str, url: str, access_token: str | None = None, nonce: str | None = None) -> str:
        header = {"typ": "dpop+jwt", "alg": self.alg, "jwk": self._jwk}
        claims: dict[str, object] = {
            "jti": secrets.token_urlsafe(16),
            "htm": method.upper(),
            "htu": _htu(url),
            "iat": int(self._clock()),
        }
        if access_token is not None:
            claims["ath"] = access_token_hash(access_token)
        if nonce is not None:
            claims["nonce"] = nonce
        return jwt.encode(header, claims, self.key, registry=_REGISTRY, default_type=None)


ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class PrivateKeyJwt:
    """`private_key_jwt` client authentication: a short-lived assertion with `aud` = the issuer (a string)."""

    def __init__(
        self,
        client_id: str,
        key: Key,
        issuer: str,
        lifetime: int = 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client_id = client_id
        self.key = key
        self.issuer = issuer
        self.lifetime = lifetime
        self._clock = clock

    def assertion(self) -> str:
        now = int(self._clock())
        header: dict[str, object] = {"alg": algorithm_of(self.key)}
        if self.key.kid:
            header["kid"] = self.key.kid
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.issuer,
            "jti": secrets.token_urlsafe(16),
            "iat": now,
            "exp": now + self.lifetime,
        }
        return jwt.encode(header, claims, self.key, registry=_REGISTRY)

    def form(self) -> dict[str, str]:
        """The form fields that authenticate the client (add them to a PAR, token, revocation request)."""
        return {
            "client_id": self.client_id,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self.assertion(),
        }
