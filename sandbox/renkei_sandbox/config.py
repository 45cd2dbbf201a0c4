"""Sandbox settings, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("var") / "sandbox.sqlite3"
"""Relative to the working directory (the repository's root under `make serve`)."""

ACCESS_TOKEN_TTL_SECONDS = 600
REFRESH_TOKEN_TTL_SECONDS = 90 * 24 * 3600
AUTHORIZATION_CODE_TTL_SECONDS = 60
AUTHORIZATION_REQUEST_TTL_SECONDS = 600
WEB_SESSION_TTL_SECONDS = 1800

PER_TRANSFER_LIMIT_YEN = 1_000_000
PER_DAY_LIMIT_YEN = 2_000_000
IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600


def default_database_url() -> str:
    return f"sqlite:///{DEFAULT_SQLITE_PATH.resolve()}"


def database_url_from_env() -> str:
    return os.environ.get("DATABASE_URL") or default_database_url()


@dataclass(frozen=True)
class Settings:
    """What a running sandbox needs to know about its deployment."""

    database_url: str
    issuer: str
    """The authorization server's issuer identifier: its base URL (RFC 8414, RFC 9207)."""
    secure_cookies: bool = False
    """Set the cookie `Secure` flag (true when the sandbox is served over TLS)."""
    fixed_today: date | None = None
    """Pretend today (JST) is this date: for tests and demos of the business-day rules."""

    def today(self) -> date:
        from renkei_sandbox.clock import today_jst

        return self.fixed_today or today_jst()

    @classmethod
    def from_env(cls, host: str, port: int) -> Settings:
        """DATABASE_URL (default: the SQLite file under var/) and RENKEI_ISSUER (default: http://host:port)."""
        issuer = os.environ.get("RENKEI_ISSUER") or f"http://{host}:{port}"
        return cls(database_url=database_url_from_env(), issuer=issuer.rstrip("/"))
