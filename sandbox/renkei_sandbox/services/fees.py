"""The sandbox's transfer fee table (振込手数料), integer yen."""

from __future__ import annotations

from renkei_sandbox.banks import LABOUR_BANKS

_LABOUR_BANK_CODES = frozenset(bank.code for bank in LABOUR_BANKS)
SAME_BRANCH_FEE = 0
SAME_BANK_FEE = 0
LABOUR_BANK_FEE = 110
OTHER_BANK_FEE_SMALL = 220
OTHER_BANK_FEE_LARGE = 330
LARGE_TRANSFER_THRESHOLD = 30_000


def transfer_fee(payer_bank: str, payer_branch: str, payee_bank: str, payee_branch: str, amount: int) -> int:
    if payee_bank == payer_bank:
        return SAME_BRANCH_FEE if payee_branch == payer_branch else SAME_BANK_FEE
    if payee_bank in _LABOUR_BANK_CODES:
        return LABOUR_BANK_FEE
    return OTHER_BANK_FEE_LARGE if amount >= LARGE_TRANSFER_THRESHOLD else OTHER_BANK_FEE_SMALL
