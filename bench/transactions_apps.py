"""The two apps the list-transactions benchmark compares, over the same SQLite sandbox database.

- `generated_app`: the real sandbox app (`renkei_sandbox.app.create_app`): the generated bank-inquiry
  router, the sandbox's token verifier and `BankInquiryAdapter` over `renkei_sandbox.services.transactions`
  (the generated path).
- `handwritten_app`: a plain FastAPI endpoint at the same URL, written by hand: the same token verifier and
  session factory, the same SQL written inline, the same cursor encoding and the same JSON body (rows mapped
  by the sandbox's `transaction_model`), behind the same interaction-id middleware; getBalance calls the
  sandbox's balance query and `balance_model` (its body has grown: previous month's balance, account type).

Both read the database URL and the business date from the environment (`BENCH_DATABASE_URL`,
`BENCH_TODAY`); run each with `uvicorn bench.transactions_apps:<name> --factory`. The hand-written app also
answers getBalance (`.../balance`) with the sandbox's query, for bench/scale.py, which also runs
`handwritten_async_app`: the same code over async SQLAlchemy instead of the thread pool.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any, TypeVar, cast

from fastapi import FastAPI, Header, Query
from fastapi.responses import JSONResponse
from pydantic import MISSING
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from renkei_bank_inquiry import models
from renkei_runtime.server import VerifiedToken
from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.api.bank_inquiry import balance_model, currency_name, transaction_model
from renkei_sandbox.api.verifier import SandboxTokenVerifier, verified_token
from renkei_sandbox.clock import now_jst
from renkei_sandbox.config import Settings
from renkei_sandbox.db.engine import Database, pool_sizes_from_env
from renkei_sandbox.db.models import Account, Transaction
from renkei_sandbox.middleware import InteractionIdMiddleware
from renkei_sandbox.services import accounts
from renkei_sandbox.services.dates import date_window
from renkei_sandbox.services.errors import ServiceError
from renkei_sandbox.services.pagination import decode_cursor, encode_cursor

DATABASE_URL_ENV = "BENCH_DATABASE_URL"
TODAY_ENV = "BENCH_TODAY"
PATH = "/v2/banks/{bank_code}/accounts/{account_id}/transactions"
SCOPE = "transactions:read"
BALANCE_PATH = "/v2/banks/{bank_code}/accounts/{account_id}/balance"
BALANCE_SCOPE = "balances:read"


def _database() -> Database:
    return Database.from_url(os.environ[DATABASE_URL_ENV])


def _today() -> date:
    return date.fromisoformat(os.environ[TODAY_ENV])


App = TypeVar("App")


def _after_start_up(app: App) -> App:
    """As `renkei serve` does before serving (sandbox/serve.py): start-up objects leave the GC's view."""
    from renkei_sandbox.workers import freeze_start_up_objects

    freeze_start_up_objects()
    return app


def generated_app() -> Any:
    """The sandbox exactly as `renkei serve` builds it, with the business date pinned to the seeding date."""
    from renkei_sandbox.app import create_app

    settings = Settings(
        database_url=os.environ[DATABASE_URL_ENV],
        issuer="http://127.0.0.1",
        fixed_today=_today(),
        profile="plain",  # bearer tokens from grant_directly (bench/dpop.py measures the FAPI profile)
    )
    return _after_start_up(create_app(_database(), settings))


class _Problem(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        self.status, self.code, self.message = status, code, message


def handwritten_app() -> FastAPI:
    """The hand-written endpoint running the sandbox's SQL: lower date bound max(dateFrom, cursor date);
    synchronous SQLAlchemy in Starlette's thread pool, as the sandbox does."""
    return _handwritten(asynchronous=False)


def handwritten_async_app() -> FastAPI:
    """The same endpoints and the same ORM code over async SQLAlchemy (psycopg's async driver, PostgreSQL
    only): each request's token check and query run on the event loop through `AsyncSession.run_sync`, with
    no thread pool; the pool is sized and pre-pinged as the sandbox's."""
    return _handwritten(asynchronous=True)


Call = Callable[..., Awaitable[Any]]


def _session_runners(db: Database, asynchronous: bool) -> tuple[Call, Call]:
    """(in_session(fn, *args) -> fn(session, *args), verify(token)) for the chosen I/O path."""
    if not asynchronous:
        verifier = SandboxTokenVerifier(db)

        async def in_thread(fn: Callable[..., Any], *args: Any) -> Any:
            def call() -> Any:
                with db.session() as session:
                    return fn(session, *args)

            return await run_in_threadpool(call)

        return in_thread, verifier.verify
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    pool_size, max_overflow = pool_sizes_from_env()
    engine = create_async_engine(
        os.environ[DATABASE_URL_ENV], pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow
    )
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    # As many sessions at once as the pool holds, as the thread pool's 40 tokens bound the sync path: without
    # it, 64 connections' requests wait in the pool's queue and time out there (pool_timeout) under load.
    slots = asyncio.Semaphore(pool_size + max_overflow)

    async def on_loop(fn: Callable[..., Any], *args: Any) -> Any:
        async with slots, sessions() as session:
            return await session.run_sync(fn, *args)

    async def verify(token: str) -> VerifiedToken | None:
        return cast("VerifiedToken | None", await on_loop(verified_token, token))

    return on_loop, verify


def _handwritten(asynchronous: bool) -> FastAPI:
    db = _database()
    today = _today()
    in_session, verify = _session_runners(db, asynchronous)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(_Problem)
    async def problem(_request: Any, error: _Problem) -> JSONResponse:
        return JSONResponse({"errorCode": error.code, "errorMessage": error.message}, error.status)

    async def principal_of(authorization: str | None, scope: str = SCOPE) -> AccessPrincipal:
        scheme, _, token = (authorization or "").partition(" ")
        verified: VerifiedToken | None = None
        if scheme.lower() == "bearer" and token:
            verified = await verify(token)
        if verified is None:
            raise _Problem(401, "unauthorized", "アクセストークンが無効です。")
        if scope not in verified.scopes:
            raise _Problem(403, "insufficient_scope", "スコープが不足しています。")
        principal = verified.extra["principal"]
        assert isinstance(principal, AccessPrincipal)
        return principal

    def own_account(session: Session, principal: AccessPrincipal, bank_code: str, account_id: str) -> Account:
        account = session.scalar(select(Account).where(Account.account_id == account_id))
        if (
            bank_code != principal.bank_code
            or account is None
            or account.id not in principal.account_pks
            or account.bank_code != bank_code
            or account.customer_id != principal.customer_id
        ):
            raise _Problem(404, "not_found", "指定されたリソースが見つかりません。")
        return account

    def page(
        session: Session,
        principal: AccessPrincipal,
        bank_code: str,
        account_id: str,
        date_from: date | None,
        date_to: date | None,
        limit: int,
        cursor: str | None,
    ) -> models.TransactionList:
        account = own_account(session, principal, bank_code, account_id)
        first = None
        if date_from is None and date_to is not None:
            first = session.scalar(
                select(func.min(Transaction.transaction_date)).where(Transaction.account_pk == account.id)
            )
        window = date_window(date_from, date_to, today, first)
        after = decode_cursor(cursor, 2)
        after_date = date.fromisoformat(after[0]) if after is not None else None
        lower = window.date_from
        if after_date is not None:
            lower = max(lower, after_date)
        query = (
            select(Transaction)
            .where(
                Transaction.account_pk == account.id,
                Transaction.transaction_date >= lower,
                Transaction.transaction_date <= window.date_to,
            )
            .order_by(Transaction.transaction_date, Transaction.transaction_id)
            .limit(limit + 1)
        )
        if after is not None and after_date is not None:
            query = query.where(
                or_(
                    Transaction.transaction_date > after_date,
                    and_(Transaction.transaction_date == after_date, Transaction.transaction_id > after[1]),
                )
            )
        rows = list(session.scalars(query))
        has_next = len(rows) > limit
        rows = rows[:limit]
        next_cursor = (
            encode_cursor(rows[-1].transaction_date.isoformat(), rows[-1].transaction_id)
            if has_next and rows
            else None
        )
        return models.TransactionList(
            account_id=account.account_id,
            currency_code=account.currency,
            currency_name=currency_name(account.currency),
            date_from=window.date_from,
            date_to=window.date_to,
            as_of=now_jst(),
            count=len(rows),
            transactions=[transaction_model(row) for row in rows],
            has_next=has_next,
            next_cursor=next_cursor or MISSING,
        )

    @app.get(
        PATH,
        response_model=models.TransactionList,
        response_model_by_alias=True,
        response_model_exclude_unset=True,
    )
    async def list_transactions(
        bank_code: str,
        account_id: str,
        date_from: Annotated[date | None, Query(alias="dateFrom")] = None,
        date_to: Annotated[date | None, Query(alias="dateTo")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        cursor: Annotated[str | None, Query(max_length=512)] = None,
        authorization: Annotated[str | None, Header()] = None,
    ) -> models.TransactionList:
        principal = await principal_of(authorization)
        try:
            listed = await in_session(
                page, principal, bank_code, account_id, date_from, date_to, limit, cursor
            )
            assert isinstance(listed, models.TransactionList)
            return listed
        except (ServiceError, ValueError) as error:
            raise _Problem(400, "invalid_request", str(error)) from None

    def balance(
        session: Session, principal: AccessPrincipal, bank_code: str, account_id: str
    ) -> models.Balance:
        # the sandbox's balance query (the previous day's and month's closing balances) and body
        view = accounts.get_balance(session, principal, bank_code, account_id, today, now_jst())
        return balance_model(view)

    @app.get(
        BALANCE_PATH,
        response_model=models.Balance,
        response_model_by_alias=True,
        response_model_exclude_unset=True,
    )
    async def get_balance(
        bank_code: str, account_id: str, authorization: Annotated[str | None, Header()] = None
    ) -> models.Balance:
        principal = await principal_of(authorization, BALANCE_SCOPE)
        answered = await in_session(balance, principal, bank_code, account_id)
        assert isinstance(answered, models.Balance)
        return answered

    app.add_middleware(InteractionIdMiddleware)
    return _after_start_up(app)
