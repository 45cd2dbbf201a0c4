"""The faults that change the sandbox's own rules (not its wire format): each replaces one function or
constant of the services or the authorization server, process-wide. Only `faults.with_faults` calls these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.db.models import Account, Transfer


def ignore_ownership() -> None:
    """`other-customer-data`: `accessible_account` stops checking the customer and the grant (reads and
    writes)."""
    from renkei_sandbox.services import accounts, transactions, transfers

    for module in (accounts, transactions, transfers):
        module.accessible_account = _careless_account  # type: ignore[attr-defined]


def _careless_account(
    session: Session, principal: AccessPrincipal, bank_code: str, account_id: str
) -> Account:
    from renkei_sandbox.services.errors import not_found

    account = session.scalar(select(Account).where(Account.account_id == account_id))
    if account is None:
        raise not_found()
    return account


def foreign_payer() -> None:
    """`foreign-transfer-from`: a transfer or fee check may debit any account (reads stay isolated)."""
    from renkei_sandbox.services import transfers

    transfers.accessible_account = _careless_account  # type: ignore[attr-defined]


def foreign_transfer_visible() -> None:
    """`foreign-transfer-visible`: any customer's transfer of the bank can be read and cancelled by its id."""
    from renkei_sandbox.services import transfers
    from renkei_sandbox.services.accounts import check_bank
    from renkei_sandbox.services.errors import not_found

    def careless(session: Session, principal: AccessPrincipal, bank_code: str, transfer_id: str) -> Transfer:
        check_bank(principal, bank_code)
        transfer = session.scalar(select(Transfer).where(Transfer.transfer_id == transfer_id))
        if transfer is None or transfer.bank_code != bank_code:
            raise not_found()
        return transfer

    transfers._visible_transfer = careless


def overdraft_accepted() -> None:
    """`overdraft-accepted`: the payer's account is silently topped up before the balance check."""
    from renkei_sandbox.services import transfers

    original: Callable[..., Transfer] = transfers.accept_transfer

    def lending(
        session: Session, principal: AccessPrincipal, bank_code: str, data: Any, today: date, now: datetime
    ) -> Transfer:
        payer = transfers.payer_account(session, principal, bank_code, data.account_id)
        payer.balance += data.amount + 10_000
        return original(session, principal, bank_code, data, today, now)

    transfers.accept_transfer = lending


def transfer_limit_unenforced() -> None:
    """`transfer-limit-unenforced`: no per-transfer limit (the daily one stays)."""
    from renkei_sandbox.services import transfers

    transfers.PER_TRANSFER_LIMIT_YEN = 10**15  # type: ignore[attr-defined]


def expired_token_accepted() -> None:
    """`expired-token-accepted`: an access token stays live after its expiry (revocation still counts)."""
    from renkei_sandbox.oauth import tokens

    tokens._is_live = lambda row, now: row.revoked_at is None


def revocation_any_client() -> None:
    """`revocation-any-client`: the revocation endpoint revokes a token whichever client asks."""
    from renkei_sandbox.db.models import Token
    from renkei_sandbox.oauth import tokens
    from renkei_sandbox.oauth.errors import invalid_request
    from renkei_sandbox.secrets_util import credential_hash

    def careless(session: Session, client: Any, token: str | None) -> None:
        if not token:
            raise invalid_request("token is required")
        row = session.scalar(select(Token).where(Token.token_hash == credential_hash(token)))
        if row is not None:
            tokens.revoke_grant(session, row.grant_pk)

    tokens.revoke_token = careless


def scope_unchecked() -> None:
    """`scope-unchecked`: every live token is taken to hold every scope (the consent's scope is ignored)."""
    from dataclasses import replace

    from renkei_sandbox.api import verifier
    from renkei_sandbox.oauth.scopes import ALL_SCOPES

    original = verifier.SandboxTokenVerifier._verify

    def widened(self: verifier.SandboxTokenVerifier, token: str, scheme: str, request: Any) -> Any:
        verified = original(self, token, scheme, request)
        return None if verified is None else replace(verified, scopes=frozenset(ALL_SCOPES))

    verifier.SandboxTokenVerifier._verify = widened  # type: ignore[method-assign]


def bank_list_unsorted() -> None:
    """`bank-list-unsorted`: GET /banks lists the banks in descending bank-code order."""
    from renkei_sandbox.api import bank_inquiry

    original = bank_inquiry.bank_list  # type: ignore[attr-defined]

    def reversed_list() -> Any:
        listed = original()
        return listed.model_copy(update={"banks": list(reversed(listed.banks))})

    bank_inquiry.bank_list = reversed_list  # type: ignore[attr-defined]


def planned_api_served() -> None:
    """`planned-api-served`: the transfer API of a bank that has it only planned is served (no 403)."""
    from renkei_sandbox.api import bank_transfer

    bank_transfer.require_offered = lambda bank_code, api: None  # type: ignore[attr-defined]


PATCHES: dict[str, Callable[[], None]] = {
    "scope-unchecked": scope_unchecked,
    "other-customer-data": ignore_ownership,
    "foreign-transfer-from": foreign_payer,
    "foreign-transfer-visible": foreign_transfer_visible,
    "overdraft-accepted": overdraft_accepted,
    "transfer-limit-unenforced": transfer_limit_unenforced,
    "expired-token-accepted": expired_token_accepted,
    "revocation-any-client": revocation_any_client,
    "bank-list-unsorted": bank_list_unsorted,
    "planned-api-served": planned_api_served,
}
