"""What happens to a transfer after it is accepted, beyond running: an operator-arranged failure, 振込不能 /
資金返却 (the payee bank returns the funds) and 組戻 (the remitter's recall), with coded reasons.

The sandbox has no real payee banks, so these are driven from outside: by these functions (tests, the
conformance target, an operator's script) or, for 振込不能, by the documented test account number
`RETURNED_ACCOUNT_NUMBER` at a bank outside the sandbox. Each runs in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from renkei_sandbox.clock import JST
from renkei_sandbox.db.models import Account, Transfer
from renkei_sandbox.db.models.transfers import (
    TRANSFER_ACCEPTED,
    TRANSFER_COMPLETED,
    TRANSFER_RECALL_REJECTED,
    TRANSFER_RECALL_REQUESTED,
    TRANSFER_RECALLED,
    TRANSFER_RETURNED,
    TRANSFER_SCHEDULED,
)
from renkei_sandbox.services import ledger
from renkei_sandbox.services.errors import Conflict, InvalidRequest, not_found

FAILURE_MESSAGES: dict[str, str] = {
    "insufficient_funds": "振込実行時に残高が不足していました。",
    "daily_limit_exceeded": "1日あたりの振込限度額を超えました。",
    "payer_account_restricted": "支払口座が取引制限中です。",
    "beneficiary_not_found": "受取人の口座がありません。",
    "beneficiary_account_closed": "受取人の口座が解約されています。",
    "beneficiary_name_mismatch": "受取人名が口座名義と一致しません。",
    "beneficiary_bank_rejected": "被仕向金融機関で入金できませんでした。",
    "remitter_recall": "振込依頼人の依頼により組戻しました。",
    "recall_refused": "受取人が組戻を承諾しませんでした。",
    "other": "振込を完了できませんでした。",
}
"""The spec's FailureReason codes (bank-transfer.yaml) and the Japanese failureMessage of each."""

RETURN_REASONS = frozenset(
    {
        "beneficiary_not_found",
        "beneficiary_account_closed",
        "beneficiary_name_mismatch",
        "beneficiary_bank_rejected",
    }
)
RETURNED_ACCOUNT_NUMBER = "9999999"
"""A payee account number at a bank outside the sandbox whose transfers the payee bank returns (振込不能,
`beneficiary_account_closed`) as soon as they are executed."""


def failure_message(reason: str | None) -> str | None:
    return None if reason is None else FAILURE_MESSAGES.get(reason, FAILURE_MESSAGES["other"])


def _transfer(session: Session, transfer_id: str) -> Transfer:
    transfer = session.scalar(select(Transfer).where(Transfer.transfer_id == transfer_id).with_for_update())
    if transfer is None:
        raise not_found()
    return transfer


def _reason(reason: str, allowed: frozenset[str] | None = None) -> str:
    if reason not in FAILURE_MESSAGES or (allowed is not None and reason not in allowed):
        choices = ", ".join(sorted(allowed or FAILURE_MESSAGES))
        raise InvalidRequest(f"理由コード {reason!r} は使えません ({choices})。")
    return reason


def arrange_failure(session: Session, transfer_id: str, reason: str) -> Transfer:
    """Make an open (予約中・受付済) transfer fail with `reason` when it runs: no money moves."""
    transfer = _transfer(session, transfer_id)
    if transfer.status not in (TRANSFER_SCHEDULED, TRANSFER_ACCEPTED):
        raise Conflict("実行前の振込にだけ失敗を設定できます。", code="conflict")
    transfer.fail_on_execution = _reason(reason)
    return transfer


def _refund(session: Session, transfer: Transfer, remarks: str, now: datetime) -> None:
    """Give the transfer amount back to the payer (the fee stays earned): the ledger legs reverse the
    payee's or the clearing account's leg, so the transfer's legs still sum to zero."""
    accounts = [transfer.payer_account_pk] + (
        [transfer.payee_account_pk] if transfer.payee_account_pk else []
    )
    session.execute(select(Account.id).where(Account.id.in_(accounts)).order_by(Account.id).with_for_update())
    day = now.astimezone(JST).date()
    if transfer.payee_account_pk is not None:
        ledger.post(session, transfer.payee_account_pk, day, -transfer.amount, "transfer", remarks, now)
        ledger.leg(
            session,
            transfer.id,
            transfer.payee_bank_code,
            -transfer.amount,
            now,
            account_pk=transfer.payee_account_pk,
        )
    else:
        ledger.leg(
            session,
            transfer.id,
            transfer.bank_code,
            -transfer.amount,
            now,
            gl_code=ledger.GL_CLEARING_OUTBOUND,
        )
    ledger.post(session, transfer.payer_account_pk, day, transfer.amount, "transfer", remarks, now)
    ledger.leg(
        session, transfer.id, transfer.bank_code, transfer.amount, now, account_pk=transfer.payer_account_pk
    )


def return_funds(session: Session, transfer: Transfer, reason: str, now: datetime) -> None:
    """振込不能 → 資金返却 of a completed transfer to a bank outside the sandbox."""
    if transfer.status != TRANSFER_COMPLETED:
        raise Conflict("振込済の振込だけが資金返却になります。", code="conflict")
    if transfer.payee_account_pk is not None:
        raise Conflict("サンドボックス内の口座への振込は振込不能になりません。", code="conflict")
    code = _reason(reason, RETURN_REASONS)
    _refund(session, transfer, "ﾌﾘｺﾐﾌﾉｳ ｼｷﾝﾍﾝｷﾔｸ", now)
    transfer.status = TRANSFER_RETURNED
    transfer.failure_reason = code
    transfer.returned_at = now
    transfer.updated_at = now


def return_transfer(session: Session, transfer_id: str, reason: str, now: datetime) -> Transfer:
    transfer = _transfer(session, transfer_id)
    return_funds(session, transfer, reason, now)
    return transfer


def request_recall(session: Session, transfer_id: str, now: datetime) -> Transfer:
    """組戻依頼: a completed transfer goes to 組戻手続中."""
    transfer = _transfer(session, transfer_id)
    if transfer.status != TRANSFER_COMPLETED:
        raise Conflict("振込済の振込だけが組戻できます。", code="conflict")
    transfer.status = TRANSFER_RECALL_REQUESTED
    transfer.recall_requested_at = now
    transfer.updated_at = now
    return transfer


def resolve_recall(session: Session, transfer_id: str, accepted: bool, now: datetime) -> Transfer:
    """組戻の結果: accepted → 組戻済 (the amount goes back to the payer; a sandbox payee without the funds
    refuses), refused → 組戻不成立 (the transfer stands)."""
    transfer = _transfer(session, transfer_id)
    if transfer.status != TRANSFER_RECALL_REQUESTED:
        raise Conflict("組戻手続中の振込ではありません。", code="conflict")
    outcome = TRANSFER_RECALL_REJECTED
    reason = "recall_refused"
    if accepted:
        try:
            with session.begin_nested():
                _refund(session, transfer, "ｸﾐﾓﾄﾞｼ", now)
            outcome, reason = TRANSFER_RECALLED, "remitter_recall"
        except ledger.InsufficientFunds:
            pass
    transfer.status = outcome
    transfer.failure_reason = reason
    transfer.recall_resolved_at = now
    transfer.updated_at = now
    return transfer
