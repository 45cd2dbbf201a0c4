"""BankInquiryService over the domain services: accounts, balances and transaction history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pydantic import MISSING

from renkei_bank_inquiry import models
from renkei_runtime.server import RequestContext
from renkei_sandbox.api.banks import bank_list, one_bank
from renkei_sandbox.api.common import call, jst, principal_of
from renkei_sandbox.clock import now_jst
from renkei_sandbox.config import PER_DAY_LIMIT_YEN, PER_TRANSFER_LIMIT_YEN
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Transaction
from renkei_sandbox.services import accounts, consents, transactions
from renkei_sandbox.services.accounts import AccountView
from renkei_sandbox.services.pagination import MAX_LIMIT
from renkei_sandbox.services.zengin import account_type_code, category_of

CURRENCY_NAMES = {"JPY": "円"}
"""通貨名 (GMO's currencyName) of the currencies the sandbox's accounts hold."""


def currency_name(code: str) -> str | object:
    return CURRENCY_NAMES.get(code, MISSING)


def _category(view: AccountView) -> models.AccountCategory:
    return models.AccountCategory.CARD_LOAN if view.is_card_loan else models.AccountCategory.DEPOSIT


def account_model(view: AccountView) -> models.Account:
    account = view.account
    return models.Account(
        account_id=account.account_id,
        account_category=_category(view),
        bank_code=account.bank_code,
        branch_code=view.branch.branch_code,
        branch_name=view.branch.name,
        account_type_code=account_type_code(account.kind, account.deposit_type),
        account_type_name=account.nickname,
        deposit_type=MISSING if view.is_card_loan else account.deposit_type,
        account_number=account.account_number,
        account_name_kana=account.holder_name_kana,
        currency_code=account.currency,
        currency_name=currency_name(account.currency),
        credit_limit=account.credit_limit if view.is_card_loan else MISSING,
        transfer_limit_amount=MISSING if view.is_card_loan else PER_TRANSFER_LIMIT_YEN,
        daily_transfer_limit_amount=MISSING if view.is_card_loan else PER_DAY_LIMIT_YEN,
    )


def balance_model(view: accounts.BalanceView) -> models.Balance:
    card_loan = view.account.kind == "card_loan"
    return models.Balance(
        account_id=view.account.account_id,
        account_category=models.AccountCategory.CARD_LOAN if card_loan else models.AccountCategory.DEPOSIT,
        account_type_code=account_type_code(view.account.kind, view.account.deposit_type),
        account_type_name=view.account.nickname,
        currency_code=view.account.currency,
        currency_name=currency_name(view.account.currency),
        current_balance=view.current,
        withdrawable_amount=view.withdrawable,
        previous_day_balance=view.previous_day if view.previous_day is not None else MISSING,
        previous_month_balance=view.previous_month_end if view.previous_month_end is not None else MISSING,
        borrowed_balance=-view.current if card_loan else MISSING,
        credit_limit=view.account.credit_limit if card_loan else MISSING,
        as_of=jst(view.as_of),
    )


def transaction_model(row: Transaction) -> models.Transaction:
    return models.Transaction(
        transaction_id=row.transaction_id,
        transaction_date=row.transaction_date,
        value_date=row.value_date,
        transaction_type=models.TransactionType.CREDIT if row.amount >= 0 else models.TransactionType.DEBIT,
        amount=abs(row.amount),
        balance=row.balance_after,
        transaction_category=models.TransactionCategory(
            row.category or category_of(row.transaction_type, row.remarks, row.amount)
        ),
        remarks=row.remarks,
        remarks_kana=row.remarks,
        remitter_name=row.remitter_name_kana or MISSING,
        remitter_bank_name=row.remitter_bank_name_kana or MISSING,
        remitter_branch_name=row.remitter_branch_name_kana or MISSING,
        edi_info=row.edi_info or MISSING,
    )


class BankInquiryAdapter:
    def __init__(self, db: Database, today: Callable[[], date]) -> None:
        self._db = db
        self._today = today

    async def list_banks(self, ctx: RequestContext) -> models.BankList:
        return bank_list()

    async def get_bank(self, ctx: RequestContext, *, bank_code: str) -> models.Bank:
        return one_bank(bank_code)

    async def get_consent(self, ctx: RequestContext, *, bank_code: str) -> models.Consent:
        principal = principal_of(ctx)

        def work() -> models.Consent:
            with self._db.session() as session:
                view = consents.get_consent(session, principal, bank_code)
                return models.Consent(
                    consent_id=view.grant.grant_id,
                    bank_code=view.grant.bank_code,
                    status=models.ConsentStatus.ACTIVE,  # a revoked or expired consent's token gets 401
                    scopes=view.grant.scope.split(),
                    account_ids=view.account_ids,
                    granted_at=jst(view.grant.created_at),
                    expires_at=jst(view.expires_at),
                )

        return await call(work, self._db)

    async def revoke_consent(self, ctx: RequestContext, *, bank_code: str) -> None:
        principal = principal_of(ctx)
        await call(lambda: consents.revoke_consent(self._db, principal, bank_code), self._db)

    async def list_accounts(self, ctx: RequestContext, *, bank_code: str) -> models.AccountList:
        principal = principal_of(ctx)

        def work() -> models.AccountList:
            with self._db.session() as session:
                page = accounts.list_accounts(session, principal, bank_code, limit=MAX_LIMIT)
                items = [account_model(view) for view in page.items]
                return models.AccountList(accounts=items, count=len(items), as_of=now_jst())

        return await call(work, self._db)

    async def get_account(self, ctx: RequestContext, *, bank_code: str, account_id: str) -> models.Account:
        principal = principal_of(ctx)

        def work() -> models.Account:
            with self._db.session() as session:
                return account_model(accounts.get_account(session, principal, bank_code, account_id))

        return await call(work, self._db)

    async def get_balance(self, ctx: RequestContext, *, bank_code: str, account_id: str) -> models.Balance:
        principal = principal_of(ctx)

        def work() -> models.Balance:
            with self._db.session() as session:
                return balance_model(
                    accounts.get_balance(session, principal, bank_code, account_id, self._today(), now_jst())
                )

        return await call(work, self._db)

    async def list_transactions(
        self,
        ctx: RequestContext,
        *,
        bank_code: str,
        account_id: str,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> models.TransactionList:
        principal = principal_of(ctx)

        def work() -> models.TransactionList:
            with self._db.session() as session:
                result = transactions.list_transactions(
                    session,
                    principal,
                    bank_code,
                    account_id,
                    date_from,
                    date_to,
                    limit,
                    cursor,
                    self._today(),
                )
                return models.TransactionList(
                    account_id=result.account.account_id,
                    currency_code=result.account.currency,
                    currency_name=currency_name(result.account.currency),
                    date_from=result.window.date_from,
                    date_to=result.window.date_to,
                    as_of=now_jst(),
                    count=len(result.page.items),
                    transactions=[transaction_model(row) for row in result.page.items],
                    has_next=result.page.has_next,
                    next_cursor=result.page.next_cursor or MISSING,
                )

        return await call(work, self._db)
