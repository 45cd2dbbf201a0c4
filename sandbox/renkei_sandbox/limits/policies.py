"""What the limits are: a quota per window for each limited endpoint, and the login lockout thresholds.

Configurable through the environment (see `from_env`); `RENKEI_RATE_LIMITS=off` turns the rate limits off
(the login lockout stays on).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True)
class Policy:
    """At most `quota` requests per `window` seconds (a sliding window) for each partition."""

    quota: int
    window: int

    def __post_init__(self) -> None:
        if self.quota < 1 or self.window < 1:
            raise ValueError("a rate-limit quota and window must be at least 1")


@dataclass(frozen=True)
class RateLimits:
    """One policy per limited endpoint; None turns that limit off. Token, PAR, revocation, introspection,
    name inquiry and fee checks count per client (an unauthenticated caller per source address); the login
    form counts per source address."""

    token: Policy | None = Policy(60, 60)
    par: Policy | None = Policy(60, 60)
    revocation: Policy | None = Policy(60, 60)
    introspection: Policy | None = Policy(120, 60)
    login: Policy | None = Policy(30, 60)
    name_inquiry: Policy | None = Policy(60, 60)
    fee_check: Policy | None = Policy(120, 60)
    clock: Callable[[], float] = field(default=time.time, compare=False, repr=False)
    """Seconds since the epoch by which windows are counted (tests pass a clock they can move)."""

    @classmethod
    def endpoints(cls) -> tuple[str, ...]:
        """The names of the limited endpoints (every field but the clock)."""
        return tuple(f.name for f in fields(cls) if f.name != "clock")

    @classmethod
    def off(cls) -> RateLimits:
        off: dict[str, Any] = dict.fromkeys(cls.endpoints())
        return cls(**off)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RateLimits:
        """`RENKEI_RATE_LIMITS=off`, or per endpoint `RENKEI_RATE_LIMIT_<NAME>=QUOTA/WINDOW_SECONDS` (or
        `off`), e.g. `RENKEI_RATE_LIMIT_TOKEN=300/60`, `RENKEI_RATE_LIMIT_NAME_INQUIRY=off`."""
        env = os.environ if env is None else env
        if env.get("RENKEI_RATE_LIMITS", "").strip().lower() == "off":
            return cls.off()
        changes: dict[str, Any] = {}
        for name in cls.endpoints():
            value = env.get(f"RENKEI_RATE_LIMIT_{name.upper()}")
            if value is not None:
                changes[name] = parse_policy(value, f"RENKEI_RATE_LIMIT_{name.upper()}")
        return replace(cls(), **changes)


@dataclass(frozen=True)
class LoginLockout:
    """Failed logins lock further attempts: per login id (known or not, so that a lock reveals nothing) and
    per source address, each over a sliding window; a successful login clears its login id's count."""

    per_account: Policy = Policy(10, 900)
    per_source: Policy = Policy(100, 900)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LoginLockout:
        """`RENKEI_LOGIN_LOCKOUT_ACCOUNT=FAILURES/WINDOW_SECONDS`, `RENKEI_LOGIN_LOCKOUT_SOURCE=...`."""
        env = os.environ if env is None else env
        result = cls()
        variables = (
            ("per_account", "RENKEI_LOGIN_LOCKOUT_ACCOUNT"),
            ("per_source", "RENKEI_LOGIN_LOCKOUT_SOURCE"),
        )
        for name, var in variables:
            if var in env:
                policy = parse_policy(env[var], var)
                if policy is None:
                    raise ValueError(f"{var} cannot be off")
                result = replace(result, **{name: policy})
        return result


def parse_policy(value: str, name: str) -> Policy | None:
    """`"60/60"` -> Policy(60, 60); `"off"` -> None."""
    text = value.strip().lower()
    if text == "off":
        return None
    quota, slash, window = text.partition("/")
    try:
        return Policy(int(quota), int(window)) if slash else Policy(int(quota), 60)
    except ValueError:
        raise ValueError(f"{name} must be QUOTA/WINDOW_SECONDS (e.g. 60/60) or off, not {value!r}") from None
