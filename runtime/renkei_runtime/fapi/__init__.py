"""FAPI 2.0 for API clients: PAR, PKCE, private_key_jwt, DPoP-bound tokens (sync and async).

Needs the `fapi` extra (`pip install 'renkei-runtime[fapi]'`: joserfc and cryptography); the rest of the
runtime does not import this package."""

from renkei_runtime.fapi._auth import DPoPTokenAuth
from renkei_runtime.fapi._flow import AsyncFapiClient, FapiClient, FapiError, PendingAuthorization
from renkei_runtime.fapi._keys import (
    DPoPProver,
    PrivateKeyJwt,
    access_token_hash,
    generate_key,
    load_key,
    private_key_from_json,
    public_jwk,
    write_private_key,
)

__all__ = [
    "AsyncFapiClient",
    "DPoPProver",
    "DPoPTokenAuth",
    "FapiClient",
    "FapiError",
    "PendingAuthorization",
    "PrivateKeyJwt",
    "access_token_hash",
    "generate_key",
    "load_key",
    "private_key_from_json",
    "public_jwk",
    "write_private_key",
]
