"""A real generated package (from specs/mini-bank.yaml) with a small in-memory service and verifier."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from renkei_runtime.server import ApiProblem, Reply, RequestContext, VerifiedToken

SPEC = Path(__file__).parent / "specs" / "mini-bank.yaml"
PACKAGE = "mini_bank_server_tests"

TOKENS = {
    "reader": VerifiedToken("customer-1", "app-1", frozenset({"accounts:read"}), "0001"),
    "writer": VerifiedToken(None, "app-1", frozenset({"transfers:write"})),
    "api-key-1": VerifiedToken(None, "partner", frozenset()),
}


class Verifier:
    def __init__(self) -> None:
        self.seen: list[str] = []

    async def verify(self, token: str) -> VerifiedToken | None:
        self.seen.append(token)
        return TOKENS.get(token)


@pytest.fixture(scope="session")
def generated(generate_package: Callable[[Path, str], ModuleType]) -> ModuleType:
    """The generated package, imported (its `server`, `models`, `client` submodules loaded)."""
    return generate_package(SPEC, PACKAGE)


class Service:
    """Implements the generated protocol; records the calls it receives."""

    def __init__(self, models: ModuleType) -> None:
        self.models = models
        self.calls: list[tuple[str, RequestContext, dict[str, Any]]] = []

    async def list_accounts(self, ctx: RequestContext, **kwargs: Any) -> Any:
        self.calls.append(("list_accounts", ctx, kwargs))
        m = self.models
        if kwargs.get("cursor") is None:
            return m.AccountList(
                accounts=[m.Account(account_id="a1", balance=100)], has_next=True, next_cursor="p2"
            )
        return m.AccountList(accounts=[m.Account(account_id="a2", balance=-5, nickname="ｻﾌﾞ")], has_next=False)

    async def get_banks_bank_code_accounts_account_id(self, ctx: RequestContext, **kwargs: Any) -> Any:
        self.calls.append(("get_account", ctx, kwargs))
        if kwargs["account_id"] == "boom":
            raise RuntimeError("database down")
        if kwargs["account_id"] == "wrong-type":
            return {"not": "an account"}
        raise ApiProblem(
            404,
            "not_found",
            f"no account {kwargs['account_id']}",
            details=[{"errorDetailsCode": "E404", "errorDetailsMessage": "unknown"}],
            headers={"x-extra": "1"},
        )

    async def create_transfer(self, ctx: RequestContext, **kwargs: Any) -> Any:
        self.calls.append(("create_transfer", ctx, kwargs))
        body = kwargs["body"]
        result = self.models.CreateTransferResponse(transfer_id="t-1", amount=body.amount)
        if body.memo == "accepted":
            return Reply(result, headers={"location": "/v1/transfers/t-1"})
        return result

    async def get_health(self, ctx: RequestContext) -> None:
        self.calls.append(("get_health", ctx, {}))


@pytest.fixture
def service(generated: ModuleType) -> Service:
    return Service(generated.models)


@pytest.fixture
def verifier() -> Verifier:
    return Verifier()


class InProcess:
    """A synchronous face on httpx.ASGITransport: each call runs the app in process."""

    def __init__(self, app: Any, base_url: str) -> None:
        self.app = app
        self.base_url = base_url

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)


@pytest.fixture
def api(generated: ModuleType, service: Service, verifier: Verifier) -> InProcess:
    """The generated app (create_app, mounted at /v1) in process."""
    return InProcess(generated.server.create_app(service, verifier), "http://testserver/v1")


@pytest.fixture
def in_process() -> type[InProcess]:
    """`in_process(app, base_url)`: any app (one the test has changed) behind the same synchronous face."""
    return InProcess
