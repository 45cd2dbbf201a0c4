"""A generated server answers in process, and the generated clients round-trip against it over real HTTP."""

from __future__ import annotations

import asyncio
import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from generic_spec import allow_generic_spec
from live_server import serve

from renkei.generation.command import run_generate
from renkei_runtime.client import ConflictError, NotFoundError, UnauthorizedError
from renkei_runtime.server import ApiProblem, RequestContext, VerifiedToken

REPO = Path(__file__).resolve().parents[2]
MINI_BANK = REPO / "tests" / "runtime" / "server" / "specs" / "mini-bank.yaml"
PACKAGE = "mini_bank_roundtrip"


class Verifier:
    async def verify(self, token: str) -> VerifiedToken | None:
        if token == "t0k3n":
            return VerifiedToken("c1", "app", frozenset({"accounts:read", "transfers:write"}), "0001")
        return None


class Service:
    def __init__(self, models: ModuleType) -> None:
        self.m = models
        self.keys: list[str] = []

    async def list_accounts(
        self, ctx: RequestContext, *, bank_code: str, limit: int, cursor: str | None
    ) -> Any:
        m = self.m
        start = int(cursor or 0)
        accounts = [
            m.Account(account_id=f"acc-{i}", balance=i * 1000) for i in range(start, min(start + limit, 5))
        ]
        more = start + limit < 5
        if more:
            return m.AccountList(accounts=accounts, has_next=True, next_cursor=str(start + limit))
        return m.AccountList(accounts=accounts, has_next=False)

    async def get_banks_bank_code_accounts_account_id(self, ctx: RequestContext, **kw: Any) -> Any:
        if kw["account_id"] == "a b%c":
            return self.m.Account(account_id=kw["account_id"], balance=1, nickname="ﾒｲﾝ")
        raise ApiProblem(404, "not_found", "no such account")

    async def create_transfer(
        self, ctx: RequestContext, *, bank_code: str, idempotency_key: str, body: Any
    ) -> Any:
        self.keys.append(idempotency_key)
        if len(self.keys) == 1 and body.memo == "retry-me":
            raise ApiProblem(503, "unavailable", "try again", headers={"Retry-After": "0"})
        if idempotency_key in self.keys[:-1] and body.memo != "retry-me":
            raise ApiProblem(409, "conflict", "duplicate")
        return self.m.CreateTransferResponse(transfer_id="t-1", amount=body.amount)

    async def get_health(self, ctx: RequestContext) -> None:
        return None


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("roundtrip")
    spec = root / "mini-bank-roundtrip.yaml"
    shutil.copy(MINI_BANK, spec)
    allow_generic_spec(root)
    assert run_generate([spec], root / "out", None, False) == 0
    sys.path.insert(0, str(root / "out" / PACKAGE))
    try:
        for name in ("models", "server", "client"):
            importlib.import_module(f"{PACKAGE}.{name}")
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root / "out" / PACKAGE))


@pytest.fixture
def service(package: ModuleType) -> Service:
    return Service(package.models)


@pytest.fixture
def base_url(package: ModuleType, service: Service) -> Iterator[str]:
    """uvicorn on 127.0.0.1 (a free port) in a thread, serving the generated app."""
    with serve(package.server.create_app(service, Verifier())) as root_url:
        yield f"{root_url}/v1"


def test_server_answers_in_process(package: ModuleType, service: Service) -> None:
    app = package.server.create_app(service, Verifier())

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://in-process/v1") as client:
            return await client.get("/banks/0001/accounts?limit=2", headers={"authorization": "Bearer t0k3n"})

    response = asyncio.run(call())
    assert response.status_code == 200
    assert response.json()["nextCursor"] == "2"


def test_default_base_url_comes_from_servers(package: ModuleType) -> None:
    assert package.client.DEFAULT_BASE_URL == "http://127.0.0.1:8000/v1"


def test_sync_client_round_trip_with_pagination(package: ModuleType, base_url: str) -> None:
    with package.client.Client(base_url, token="t0k3n") as client:
        page = client.list_accounts(bank_code="0001", limit=2)
        assert [a.account_id for a in page.accounts] == ["acc-0", "acc-1"]
        assert page.accounts[1].balance == 1000
        items = list(client.iter_list_accounts(bank_code="0001", limit=2))
        assert [a.account_id for a in items] == [f"acc-{i}" for i in range(5)]
        account = client.get_banks_bank_code_accounts_account_id(bank_code="0001", account_id="a b%c")
        assert account.account_id == "a b%c"  # path parameters are quoted
        assert client.get_health() is None


def test_sync_client_raises_typed_errors(package: ModuleType, base_url: str) -> None:
    with package.client.Client(base_url, token="t0k3n") as client:
        with pytest.raises(NotFoundError) as raised:
            client.get_banks_bank_code_accounts_account_id(bank_code="0001", account_id="missing")
        assert raised.value.status_code == 404
        assert raised.value.error is not None and raised.value.error.errorCode == "not_found"
    with package.client.Client(base_url, token="wrong") as client, pytest.raises(UnauthorizedError):
        client.list_accounts(bank_code="0001")


def test_post_retry_reuses_one_idempotency_key(package: ModuleType, base_url: str, service: Service) -> None:
    models = package.models
    with package.client.Client(base_url, token="t0k3n") as client:
        created = client.create_transfer(
            bank_code="0001",
            body=models.CreateTransferBody(amount=1200, payee_name="ヤマダ", memo="retry-me"),
        )
    assert created.amount == 1200
    assert len(service.keys) == 2 and service.keys[0] == service.keys[1]


def test_explicit_idempotency_key_is_sent(package: ModuleType, base_url: str, service: Service) -> None:
    body = package.models.CreateTransferBody(amount=5, payee_name="ｱ")
    with package.client.Client(base_url, token="t0k3n") as client:
        client.create_transfer(bank_code="0001", body=body, idempotency_key="mine-1")
        with pytest.raises(ConflictError):
            client.create_transfer(bank_code="0001", body=body, idempotency_key="mine-1")
    assert service.keys == ["mine-1", "mine-1"]


def test_async_client_round_trip(package: ModuleType, base_url: str) -> None:
    async def run() -> tuple[list[str], int]:
        async with package.client.AsyncClient(base_url, token="t0k3n") as client:
            ids = [a.account_id async for a in client.iter_list_accounts(bank_code="0001", limit=3)]
            body = package.models.CreateTransferBody(amount=7, payee_name="ｲ")
            created = await client.create_transfer(bank_code="0001", body=body)
            return ids, created.amount

    ids, amount = asyncio.run(run())
    assert ids == [f"acc-{i}" for i in range(5)]
    assert amount == 7
