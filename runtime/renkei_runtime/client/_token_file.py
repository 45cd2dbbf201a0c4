"""Tokens saved to a JSON file (by `renkei sandbox authorize`, or by your own code), loaded into a client.

    tokens = TokenFile.load("var/renkei-tokens.json")
    with Client(tokens.api_base_url, auth=tokens.auth()) as api:
        api.list_accounts(bank_code=tokens.bank_code)

`auth()` refreshes the access token when it expires and writes every new token set back to the file, so the
next run starts from the newest refresh token (refresh tokens rotate).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pydantic

from renkei_runtime.client._auth import OAuth2TokenAuth, TokenSet

FORMAT_VERSION = 1


class TokenFileError(ValueError):
    """The file is missing, not JSON, or lacks a field."""


class _Stored(pydantic.BaseModel):
    version: int = FORMAT_VERSION
    issuer: str
    token_url: str
    api_base_url: str
    client_id: str
    client_secret: str | None = None
    access_token: str
    refresh_token: str | None = None
    expires_at: float | None = None
    scope: str | None = None
    bank_code: str | None = None


@dataclass(frozen=True)
class TokenFile:
    """What a token file holds; `path` is where it was loaded from (and where refreshes are written)."""

    path: Path
    issuer: str
    token_url: str
    api_base_url: str
    client_id: str
    access_token: str
    client_secret: str | None = None
    refresh_token: str | None = None
    expires_at: float | None = None
    scope: str | None = None
    bank_code: str | None = None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TokenFile:
        file = Path(path)
        try:
            stored = _Stored.model_validate_json(file.read_bytes())
        except OSError as error:
            raise TokenFileError(f"{file}: cannot read the token file ({error.strerror})") from None
        except pydantic.ValidationError as error:
            raise TokenFileError(f"{file}: not a renkei token file: {error}") from None
        if stored.version != FORMAT_VERSION:
            raise TokenFileError(f"{file}: token file version {stored.version}, expected {FORMAT_VERSION}")
        return cls(path=file, **stored.model_dump(exclude={"version"}))

    def save(self) -> None:
        """Write the file atomically, readable by its owner only (it holds credentials)."""
        values = {"version": FORMAT_VERSION, **asdict(self)}
        del values["path"]
        temporary = self.path.with_name(self.path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(values, out, indent=2)
            out.write("\n")
        os.replace(temporary, self.path)

    def with_tokens(self, tokens: TokenSet) -> TokenFile:
        return replace(
            self,
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_at=tokens.expires_at,
            scope=tokens.scope or self.scope,
        )

    def auth(self, *, save_refreshed: bool = True) -> OAuth2TokenAuth:
        """httpx auth for a generated client: the access token, refreshed at `token_url` when it expires."""
        current = [self]

        def saved(tokens: TokenSet) -> None:
            current[0] = current[0].with_tokens(tokens)
            current[0].save()

        return OAuth2TokenAuth(
            token_url=self.token_url,
            client_id=self.client_id,
            client_secret=self.client_secret,
            access_token=self.access_token,
            refresh_token=self.refresh_token,
            expires_at=self.expires_at,
            scope=self.scope,
            on_refresh=saved if save_refreshed else None,
        )
