"""A provider whose spec declares its own error body (UK Open Banking's `OBErrorResponse1`, not the standard's
`errorCode`/`errorMessage`): the server generated from that spec answers its errors in that shape
(`error_bodies=`), and the conformance suite judges them by the spec's schema, so no false alarm. A server
that breaks its own declared shape is still caught."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from generated_package import generated_package
from live_server import serve
from rich.console import Console

from renkei.conformance.runner import Access, run_conformance
from renkei_runtime.server import ApiProblem, VerifiedToken

SPEC = Path(__file__).parent / "own-error-bodies.yaml"
TOKEN = "own-errors-token"


class Verifier:
    async def verify(self, token: str) -> VerifiedToken | None:
        if token != TOKEN:
            return None
        return VerifiedToken(subject="u-1", client_id="c-1", scopes=frozenset({"accounts"}))


class Service:
    def __init__(self, models: ModuleType) -> None:
        self.account = models.Account(AccountId="1", Currency="GBP")
        self.models = models

    async def list_accounts(self, ctx: Any, *, limit: int | None = None) -> Any:
        return self.models.AccountList(Data=[self.account])

    async def get_account(self, ctx: Any, *, account_id: str) -> Any:
        if account_id != self.account.account_id:
            raise ApiProblem(404, "not_found", "no such account")
        return self.account


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    with generated_package(spec, SPEC.name, tmp_path_factory.mktemp("own-errors")) as generated:
        yield generated


def _results(package: ModuleType, tmp_path: Path, **app_options: Any) -> tuple[int, dict[str, str]]:
    """Exit code of the suite against the generated server, and each standard check's outcome."""
    app = package.server.create_app(Service(package.models), Verifier(), **app_options)
    with serve(app) as url:
        code = run_conformance(
            [SPEC], Access(url, token=TOKEN), tmp_path / "reports", 5, 0, 1, Console(quiet=True)
        )
    outcomes = {}
    for case in ET.parse(tmp_path / "reports" / "junit.xml").getroot().iter("testcase"):
        failure, skipped = case.find("failure"), case.find("skipped")
        state = "failed" if failure is not None else "skipped" if skipped is not None else "passed"
        outcomes[f"{case.get('classname', '').split('.', 1)[1]} {case.get('name')}"] = (
            state if failure is None else f"failed: {failure.text}"
        )
    return code, outcomes


def test_the_spec_s_own_error_body_is_no_false_alarm(package: ModuleType, tmp_path: Path) -> None:
    code, outcomes = _results(package, tmp_path)
    assert outcomes["listAccounts standard:error-body"] == "passed"
    assert outcomes["listAccounts standard:rfc6750-challenge"] == "passed"
    assert not [check for check, state in outcomes.items() if state.startswith("failed")], outcomes
    assert code == 0


def test_an_error_body_that_breaks_the_declared_schema_is_caught(package: ModuleType, tmp_path: Path) -> None:
    standard: Callable[[ApiProblem], Any] = lambda problem: {  # noqa: E731
        "errorCode": problem.code,
        "errorMessage": problem.message,
    }
    code, outcomes = _results(package, tmp_path, error_bodies={"OBErrorResponse1": standard})
    assert code == 1
    assert "violates OBErrorResponse1" in outcomes["listAccounts standard:error-body"]
