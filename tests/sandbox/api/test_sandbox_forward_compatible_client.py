"""A provider on a newer minor version adds fields the client's spec does not declare (the standard's
versioning allows it): the generated client still parses every response and keeps the new fields, while
what the client sends stays exactly what its spec declares."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import httpx
import pydantic
import pytest
from sandbox_bodies import sample_transfer_request
from sandbox_flow import ALL_BANK_SCOPES, tokens_for
from sandbox_harness import TEST_TODAY, RunningSandbox, running_sandbox

from renkei_bank_inquiry.client import Client as InquiryClient
from renkei_bank_transfer import models as transfer_models
from renkei_bank_transfer.client import Client as TransferClient
from renkei_sandbox.faults import UNDECLARED_FIELD


@pytest.fixture(scope="module")
def newer_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with running_sandbox(tmp_path_factory.mktemp("sandbox"), faults=["undeclared-field"]) as running:
        yield running


def test_inquiry_responses_with_undeclared_fields_parse_and_keep_them(newer_sandbox: RunningSandbox) -> None:
    tokens = tokens_for(newer_sandbox, "demo01", ALL_BANK_SCOPES)
    client = InquiryClient(f"{newer_sandbox.base_url}/v2", token=tokens["access_token"])
    listed = client.list_accounts(bank_code="2963")
    assert listed.model_extra == {UNDECLARED_FIELD: "added in a later minor version"}
    account = listed.accounts[0]
    assert account.model_extra is not None and UNDECLARED_FIELD in account.model_extra
    assert UNDECLARED_FIELD not in account.model_dump(by_alias=True)
    history = list(
        client.iter_list_transactions(
            bank_code="2963", account_id=account.account_id, date_from=date(2026, 10, 1), date_to=TEST_TODAY
        )
    )
    assert history and all(UNDECLARED_FIELD in (tx.model_extra or {}) for tx in history)


def test_transfer_request_stays_exact_while_its_response_is_tolerated(newer_sandbox: RunningSandbox) -> None:
    tokens = tokens_for(newer_sandbox, "demo01", ALL_BANK_SCOPES)
    sent: list[bytes] = []
    base_url = f"{newer_sandbox.base_url}/v2"
    inquiry = InquiryClient(base_url, token=tokens["access_token"])
    account = inquiry.list_accounts(bank_code="2963").accounts[0]
    client = TransferClient(base_url, token=tokens["access_token"])
    client.http_client.event_hooks["request"] = [lambda request: sent.append(request.read())]
    with pytest.raises(Exception, match="Extra inputs are not permitted"):
        transfer_models.Beneficiary(
            bank_code="0005",
            branch_code="001",
            deposit_type="1",
            account_number="7654321",
            beneficiary_name="ﾃｽﾄ ﾊﾅｺ",
            nickname="typo",  # type: ignore[call-arg]
        )
    body = sample_transfer_request(account.account_id, 1_000)
    made = client.create_transfer(bank_code="2963", body=body)
    assert UNDECLARED_FIELD in (made.model_extra or {})
    wire = json.loads(sent[-1])
    assert set(wire) <= wire_names(transfer_models.TransferRequest) and wire["transferAmount"] == "1000"
    assert set(wire["beneficiary"]) <= wire_names(transfer_models.Beneficiary)


def wire_names(model: type[pydantic.BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def test_the_server_still_refuses_undeclared_request_fields(newer_sandbox: RunningSandbox) -> None:
    """`additionalProperties: false` on a request body: 400 with the standard error body, no transfer."""
    tokens = tokens_for(newer_sandbox, "demo01", ALL_BANK_SCOPES)
    base_url = f"{newer_sandbox.base_url}/v2"
    account = (
        InquiryClient(base_url, token=tokens["access_token"]).list_accounts(bank_code="2963").accounts[0]
    )
    body = {
        "accountId": account.account_id,
        "transferDesignatedDate": TEST_TODAY.isoformat(),
        "transferAmount": "1000",
        "beneficiary": {
            "bankCode": "0005",
            "branchCode": "001",
            "depositType": "1",
            "accountNumber": "7654321",
            "beneficiaryName": "ﾃｽﾄ ﾊﾅｺ",
        },
        "memo": "not in the spec",
    }
    response = httpx.post(
        f"{base_url}/banks/2963/transfers",
        json=body,
        headers={"Authorization": f"Bearer {tokens['access_token']}", "Idempotency-Key": "fwd-compat-1"},
    )
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["errorCode"] and "memo" in json.dumps(error, ensure_ascii=False)
