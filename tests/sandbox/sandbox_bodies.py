"""Request bodies the sandbox tests send, built with the generated models."""

from __future__ import annotations

from sandbox_harness import TEST_TODAY

from renkei_bank_transfer import models as transfer_models


def sample_beneficiary() -> transfer_models.Beneficiary:
    return transfer_models.Beneficiary(
        bank_code="0005",
        branch_code="001",
        deposit_type="1",
        account_number="7654321",
        beneficiary_name="ﾃｽﾄ ﾊﾅｺ",
    )


def sample_transfer_request(account_id: str, amount: int) -> transfer_models.TransferRequest:
    """A transfer of `amount` yen from `account_id` to a fixed payee, on the sandbox's today."""
    return transfer_models.TransferRequest(
        account_id=account_id,
        transfer_designated_date=TEST_TODAY,
        beneficiary=sample_beneficiary(),
        transfer_amount=amount,
    )
