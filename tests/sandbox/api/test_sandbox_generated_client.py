"""The README walk-through in code: the generated typed clients against the running sandbox."""

from __future__ import annotations

from datetime import date

import pytest
from sandbox_bodies import sample_transfer_request
from sandbox_flow import ALL_BANK_SCOPES, tokens_for
from sandbox_harness import TEST_TODAY, RunningSandbox

from renkei_bank_inquiry.client import Client as InquiryClient
from renkei_bank_transfer import models as transfer_models
from renkei_bank_transfer.client import Client as TransferClient
from renkei_runtime.client import NotFoundError


def test_generated_clients_read_history_and_transfer(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)
    base_url = f"{sandbox.base_url}/v2"
    inquiry = InquiryClient(base_url, token=tokens["access_token"])
    accounts = inquiry.list_accounts(bank_code="2963").accounts
    ordinary = next(a for a in accounts if a.deposit_type == "1")
    history = list(
        inquiry.iter_list_transactions(
            bank_code="2963", account_id=ordinary.account_id, date_from=date(2026, 1, 1), date_to=TEST_TODAY
        )
    )
    assert len(history) > 20
    assert len({t.transaction_id for t in history}) == len(history)
    with pytest.raises(NotFoundError):
        inquiry.get_account(bank_code="2963", account_id="A000000000000000")

    transfers = TransferClient(base_url, token=tokens["access_token"])
    body = sample_transfer_request(ordinary.account_id, 2_000)
    made = transfers.create_transfer(bank_code="2963", body=body)
    assert made.status == transfer_models.TransferStatus.COMPLETED
    fetched = transfers.get_transfer(bank_code="2963", transfer_id=made.transfer_id)
    assert fetched.transfer_id == made.transfer_id
    assert int(fetched.total_debit_amount) == 2_000 + int(fetched.fee)
