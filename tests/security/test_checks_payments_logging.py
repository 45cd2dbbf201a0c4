"""Checks 54–57 in the FAPI profile, over http and over https (the certificate and TLS options of
`renkei serve --tls`): idempotent transfers, rate limits, input bounds, the audit trail.

The full suites of these run in the plain profile (tests/sandbox/services, limits, test_sandbox_audit.py,
test_sandbox_body_limits.py); here each check runs once more with DPoP-bound tokens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fapi_harness import FapiSandbox, Tokens, bank_of, full_flow, proof, running_fapi_sandbox
from sandbox_bodies import sample_transfer_request
from sandbox_harness import TEST_TODAY
from sqlalchemy import func, select

from renkei_sandbox.db.models import Account, AuditEvent, Customer, Transfer
from renkei_sandbox.limits.policies import Policy, RateLimits


@pytest.fixture(scope="module", params=["http", "https"])
def fapi(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FapiSandbox]:
    tls = request.param == "https"
    with running_fapi_sandbox(tmp_path_factory.mktemp(request.param), tls=tls) as running:
        assert running.base_url.startswith(f"{request.param}://")
        yield running


def _account(fapi: FapiSandbox, login_id: str) -> str:
    with fapi.db.session() as session:
        found = session.scalar(
            select(Account.account_id)
            .join(Customer, Account.customer_id == Customer.id)
            .where(Customer.login_id == login_id, Account.deposit_type == "1")
            .order_by(Account.id)
        )
        assert found is not None
        return found


def _transfer(fapi: FapiSandbox, tokens: Tokens, key: str, body: dict[str, Any]) -> httpx.Response:
    url = fapi.url(f"/v2/banks/{bank_of(fapi, 'demo01')}/transfers")
    headers = {
        "Authorization": f"DPoP {tokens.access_token}",
        "DPoP": proof(tokens.prover, "POST", url, tokens.access_token, fapi.nonce()),
        "Idempotency-Key": key,
    }
    return httpx.post(url, json=body, headers=headers, timeout=30)


def _body(fapi: FapiSandbox, amount: int) -> dict[str, Any]:
    body = sample_transfer_request(_account(fapi, "demo01"), amount).model_dump(mode="json", by_alias=True)
    body["transferDesignatedDate"] = TEST_TODAY.isoformat()
    return body


def test_check_54_idempotent_transfer_creation(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi, "demo01")
    first = _transfer(fapi, tokens, "fapi-54", _body(fapi, 1200))
    assert first.status_code == 201, first.text
    again = _transfer(fapi, tokens, "fapi-54", _body(fapi, 1200))
    assert again.status_code == 201 and again.json()["transferId"] == first.json()["transferId"]
    changed = _transfer(fapi, tokens, "fapi-54", _body(fapi, 1300))
    assert changed.status_code == 422
    assert _transfer(fapi, tokens, "k" * 41, _body(fapi, 1200)).status_code == 400
    with fapi.db.session() as session:
        count = session.scalar(select(func.count()).select_from(Transfer).where(Transfer.amount == 1200))
        assert count == 1


@pytest.fixture(scope="module", params=["http", "https"])
def limited(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FapiSandbox]:
    limits = RateLimits(par=Policy(3, 60))
    tls = request.param == "https"
    with running_fapi_sandbox(tmp_path_factory.mktemp("limited"), tls=tls, rate_limits=limits) as running:
        yield running


def test_check_55_rate_limit_on_par(limited: FapiSandbox) -> None:
    from fapi_harness import push

    answers = [push(limited).response for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [201, 201, 201]
    assert answers[3].status_code == 429 and int(answers[3].headers["retry-after"]) >= 1


def test_check_56_input_bounds(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi, "demo01")
    url = fapi.url(f"/v2/banks/{bank_of(fapi, 'demo01')}/transfers")
    headers = {
        "Authorization": f"DPoP {tokens.access_token}",
        "DPoP": proof(tokens.prover, "POST", url, tokens.access_token, fapi.nonce()),
        "Idempotency-Key": "fapi-56",
        "Content-Type": "application/json",
    }
    big = httpx.post(url, content=b"{" + b" " * (2 * 1024 * 1024) + b"}", headers=headers, timeout=60)
    assert big.status_code == 413
    over = _transfer(fapi, tokens, "fapi-56b", _body(fapi, 5_000_000))
    assert over.status_code in (400, 422)


def test_check_57_audit_trail_without_secrets(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi, "demo01")
    _transfer(fapi, tokens, "fapi-57", _body(fapi, 1500))
    with fapi.db.session() as session:
        events = list(session.scalars(select(AuditEvent)))
    kinds = {e.kind for e in events}
    assert {"consent.granted", "transfer.created"} <= kinds
    dumped = json.dumps(
        [{c: str(getattr(e, c)) for c in AuditEvent.__table__.columns.keys()} for e in events]
    )
    for secret in (tokens.access_token, tokens.refresh_token, tokens.prover.key.as_dict(private=True)["d"]):
        assert str(secret) not in dumped
