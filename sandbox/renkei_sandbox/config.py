"""Sandbox settings, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from renkei_runtime.server import DEFAULT_MAX_BODY_SIZE
from renkei_sandbox.limits.policies import LoginLockout, RateLimits

DEFAULT_SQLITE_PATH = Path("var") / "sandbox.sqlite3"
"""Relative to the working directory (the repository's root under `make serve`)."""

ACCESS_TOKEN_TTL_SECONDS = 600
REFRESH_TOKEN_TTL_SECONDS = 90 * 24 * 3600
CONSENT_LIFETIME_DAYS = 90
"""同意の有効期間: a grant ends this long after the customer gave it (the refresh token, rotated with the same
expiry, ends with it); the API then answers 401 consent_expired."""
AUTHORIZATION_CODE_TTL_SECONDS = 60
AUTHORIZATION_REQUEST_TTL_SECONDS = 600
PAR_REQUEST_URI_TTL_SECONDS = 300
"""A pushed request's `request_uri` lifetime (RFC 9126; FAPI 2.0 §5.3.2.2-12: under 600 s, more than 30 s)."""
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
    profile: Literal["fapi", "plain"] = "fapi"
    """`fapi`: the FAPI 2.0 Security Profile (PAR required, private_key_jwt only, DPoP-bound tokens only,
    the API refuses tokens that are not sender-constrained). `plain`: OAuth 2.0 for local experiments
    (client secrets and bearer tokens accepted too; PAR and DPoP optional)."""
    dpop_nonce: bool = True
    """The PAR and token endpoints require a DPoP server nonce (RFC 9449 §8: `use_dpop_nonce`)."""
    fixed_today: date | None = None
    """Pretend today (JST) is this date: for tests and demos of the business-day rules."""
    max_body_size: int | None = DEFAULT_MAX_BODY_SIZE
    """Bytes a request body may have (413 beyond, before it is read); None: no limit."""
    rate_limits: RateLimits = field(default_factory=RateLimits)
    login_lockout: LoginLockout = field(default_factory=LoginLockout)
    rotate_refresh_tokens: bool = True
    """Each refresh answers a new refresh token and retires the old one; presenting a retired one revokes
    the whole grant (reuse detection). Off: the refresh token stays valid (FAPI 2.0's default)."""
    scheduler_interval: float | None = None
    """Seconds between two runs of the in-process scheduler (due scheduled transfers); None: no scheduler
    (then transfers still run when listed or read, or by `renkei sandbox run-due`)."""

    @property
    def fapi(self) -> bool:
        return self.profile == "fapi"

    @property
    def secure_cookies(self) -> bool:
        """Over https (the issuer's scheme): the `__Host-` session cookie with `Secure`, and HSTS."""
        return self.issuer.startswith("https://")

    def today(self) -> date:
        from renkei_sandbox.clock import today_jst

        return self.fixed_today or today_jst()

    @classmethod
    def from_env(cls, host: str, port: int, scheme: str = "http") -> Settings:
        """DATABASE_URL (default: the SQLite file under var/), RENKEI_ISSUER (default: http://host:port),
        RENKEI_MAX_BODY_SIZE (bytes, or `off`), the rate limits and login lockout (limits/policies.py) and
        RENKEI_ROTATE_REFRESH_TOKENS (`on`/`off`), RENKEI_TODAY, RENKEI_SCHEDULER_INTERVAL, RENKEI_PROFILE
        (`fapi`, the default, or `plain`) and RENKEI_DPOP_NONCE (`on`/`off`)."""
        issuer = os.environ.get("RENKEI_ISSUER") or f"{scheme}://{host}:{port}"
        profile = os.environ.get("RENKEI_PROFILE", "fapi").strip().lower()
        if profile not in ("fapi", "plain"):
            raise ValueError(f"RENKEI_PROFILE must be fapi or plain, not {profile!r}")
        return cls(
            database_url=database_url_from_env(),
            issuer=issuer.rstrip("/"),
            profile="fapi" if profile == "fapi" else "plain",
            dpop_nonce=os.environ.get("RENKEI_DPOP_NONCE", "on").lower() != "off",
            max_body_size=max_body_size_from_env(),
            rate_limits=RateLimits.from_env(),
            login_lockout=LoginLockout.from_env(),
            rotate_refresh_tokens=os.environ.get("RENKEI_ROTATE_REFRESH_TOKENS", "on").lower() != "off",
            fixed_today=fixed_today_from_env(),
            scheduler_interval=scheduler_interval_from_env(),
        )


DEFAULT_SCHEDULER_INTERVAL = 30.0


def fixed_today_from_env() -> date | None:
    """RENKEI_TODAY=YYYY-MM-DD pretends today (JST) is that date (demos and tests of scheduled transfers)."""
    value = os.environ.get("RENKEI_TODAY", "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"RENKEI_TODAY must be a date YYYY-MM-DD, not {value!r}") from None


def scheduler_interval_from_env() -> float | None:
    """RENKEI_SCHEDULER_INTERVAL: seconds between runs of the scheduler (default 30), or `off`."""
    value = os.environ.get("RENKEI_SCHEDULER_INTERVAL", "").strip().lower()
    if not value:
        return DEFAULT_SCHEDULER_INTERVAL
    if value == "off":
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ValueError(
            f"RENKEI_SCHEDULER_INTERVAL must be a positive number of seconds or off, not {value!r}"
        )
    return seconds


def max_body_size_from_env() -> int | None:
    value = os.environ.get("RENKEI_MAX_BODY_SIZE", "").strip().lower()
    if not value:
        return DEFAULT_MAX_BODY_SIZE
    if value == "off":
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"RENKEI_MAX_BODY_SIZE must be a number of bytes or off, not {value!r}") from None
