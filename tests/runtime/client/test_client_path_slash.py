"""A path parameter holding `/` end to end over HTTP: the generated client encodes it as `%2F`, uvicorn passes
the raw path, and the generated server's route hands the service the value as it was sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from renkei_runtime.server import RequestContext, VerifiedToken

SPEC = Path(__file__).parents[1] / "server" / "specs" / "mini-bank.yaml"
PACKAGE = "mini_bank_path_slash_tests"


class AnyToken:
    async def verify(self, token: str) -> VerifiedToken | None:
        return VerifiedToken("customer", "app", frozenset({"accounts:read"}))


class Accounts:
    def __init__(self, models: ModuleType) -> None:
        self.models = models
        self.asked: list[str] = []

    async def get_banks_bank_code_accounts_account_id(
        self, ctx: RequestContext, *, bank_code: str, account_id: str
    ) -> Any:
        self.asked.append(account_id)
        return self.models.Account(account_id=account_id, balance=1)


@pytest.fixture(scope="module")
def package(generate_package: Callable[[Path, str], ModuleType]) -> ModuleType:
    return generate_package(SPEC, PACKAGE)


@pytest.fixture(scope="module")
def server(
    package: ModuleType, serve_app: Callable[[Any], AbstractContextManager[str]]
) -> Iterator[tuple[str, Accounts]]:
    accounts = Accounts(package.models)
    with serve_app(package.server.create_app(accounts, AnyToken())) as root:
        yield root + "/v1", accounts


@pytest.mark.parametrize("account_id", ["2963/001/1234567", "/lead", "trail/", "a%2Fb", "口座/1 x"])
def test_the_value_round_trips(package: ModuleType, server: tuple[str, Accounts], account_id: str) -> None:
    base_url, accounts = server
    with package.client.Client(base_url, token="t") as client:
        account = client.get_banks_bank_code_accounts_account_id(bank_code="0001", account_id=account_id)
    assert account.account_id == account_id
    assert accounts.asked[-1] == account_id
