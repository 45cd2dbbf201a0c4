"""The deployment under test and what the run knows about its data."""

from __future__ import annotations

from dataclasses import dataclass, field

from renkei.conformance.profile import Profile


@dataclass(frozen=True)
class ForeignIds:
    """Ids the tested customer must never reach (known when we seeded the data ourselves: `--sandbox`)."""

    other_customer_accounts: tuple[str, ...] = ()
    """Accounts of another customer of the same bank."""
    other_bank_accounts: tuple[tuple[str, str], ...] = ()
    """(bankCode, accountId) of a customer of another bank."""
    other_customer_cards: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    base_url: str
    """The deployment's origin, e.g. `http://127.0.0.1:8000` (each API's server path is appended)."""
    token: str
    bank_code: str | None
    narrow_token: str | None = None
    """A token of the same customer holding only `narrow_scope`: for the 403 insufficient_scope check."""
    narrow_scope: str | None = None
    foreign: ForeignIds = field(default_factory=ForeignIds)
    profile: Profile | None = None
    """The provider profile the run was started with (payee, amounts, other client, expired token...)."""
    secondary_token: str | None = None
    """A token of the profile's second customer (isolation of writes: its transfers, its accounts)."""
    once: set[str] = field(default_factory=set)
    """Checks that run once per run (not per API) and have run."""
    roots: dict[str, str] = field(default_factory=dict)
    """API name -> its root URL from the profile (otherwise the origin plus the spec's server path)."""


@dataclass
class KnownData:
    """Real ids read from the deployment before fuzzing, so that positive cases reach 200s."""

    account_ids: list[str] = field(default_factory=list)
    deposit_account_ids: list[str] = field(default_factory=list)
    transfer_ids: list[str] = field(default_factory=list)
    card_ids: list[str] = field(default_factory=list)
    billing_months: list[str] = field(default_factory=list)
