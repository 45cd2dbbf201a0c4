"""BankTransferService over the domain services: fees, transfers, cancellation, account-name inquiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pydantic import MISSING

from renkei_bank_transfer import models
from renkei_runtime.server import Reply, RequestContext
from renkei_sandbox.api.banks import require_offered
from renkei_sandbox.api.common import call, jst, principal_of
from renkei_sandbox.api.rate_limited import count_api_call
from renkei_sandbox.bank_directory import BANK_TRANSFER
from renkei_sandbox.clock import now_jst
from renkei_sandbox.db.engine import Database
from renkei_sandbox.limits.policies import RateLimits
from renkei_sandbox.ops.metrics import IDEMPOTENCY_REPLAYS
from renkei_sandbox.services import bulk_transfers, transfers
from renkei_sandbox.services.bulk_transfers import BulkInput, BulkItemInput, BulkOutcome
from renkei_sandbox.services.due_transfers import run_due_transfers
from renkei_sandbox.services.transfer_outcomes import failure_message
from renkei_sandbox.services.transfers import Payee, TransferInput, TransferView


def _optional(value: object) -> str | None:
    """An optional field's value (absent fields are pydantic's MISSING sentinel)."""
    return value if isinstance(value, str) else None


def transfer_input(body: models.TransferRequest) -> TransferInput:
    beneficiary = body.beneficiary
    holiday = body.transfer_date_holiday_code
    return TransferInput(
        account_id=body.account_id,
        designated_date=body.transfer_designated_date,
        holiday_code=holiday.value if isinstance(holiday, models.TransferDateHolidayCode) else None,
        payee=Payee(
            beneficiary.bank_code,
            beneficiary.branch_code,
            str(beneficiary.deposit_type),
            beneficiary.account_number,
        ),
        payee_name=beneficiary.beneficiary_name,
        amount=int(body.transfer_amount),
        remitter_name=_optional(body.remitter_name),
        edi_info=_optional(body.edi_info),
        apply_comment=_optional(body.apply_comment),
    )


def bulk_input(body: models.BulkTransferRequest) -> BulkInput:
    holiday = body.transfer_date_holiday_code
    return BulkInput(
        account_id=body.account_id,
        designated_date=body.transfer_designated_date,
        holiday_code=holiday.value if isinstance(holiday, models.TransferDateHolidayCode) else None,
        remitter_name=_optional(body.remitter_name),
        items=tuple(
            BulkItemInput(
                item_id=item.item_id,
                payee=Payee(
                    item.beneficiary.bank_code,
                    item.beneficiary.branch_code,
                    str(item.beneficiary.deposit_type),
                    item.beneficiary.account_number,
                ),
                payee_name=item.beneficiary.beneficiary_name,
                amount=int(item.transfer_amount),
                edi_info=_optional(item.edi_info),
            )
            for item in body.items
        ),
    )


def bulk_model(outcome: BulkOutcome) -> models.BulkTransferResult:
    accepted = outcome.accepted
    amount = sum(view.transfer.amount for view in accepted)
    fee = sum(view.transfer.fee for view in accepted)
    return models.BulkTransferResult(
        account_id=outcome.account_id,
        item_count=len(outcome.items),
        accepted_count=len(accepted),
        rejected_count=len(outcome.items) - len(accepted),
        total_transfer_amount=amount,
        total_fee=fee,
        total_debit_amount=amount + fee,
        items=[
            models.BulkTransferItemResult(
                item_id=item.item_id,
                result=models.BulkItemResult.ACCEPTED if item.view else models.BulkItemResult.REJECTED,
                transfer=transfer_model(item.view) if item.view else MISSING,
                error_code=item.error_code or MISSING,
                error_message=item.error_message or MISSING,
            )
            for item in outcome.items
        ],
        as_of=now_jst(),
    )


def transfer_model(view: TransferView) -> models.Transfer:
    t = view.transfer
    names = view.payee_names
    return models.Transfer(
        transfer_id=t.transfer_id,
        status=models.TransferStatus(t.status),
        account_id=view.account_id,
        transfer_designated_date=t.transfer_date,
        transfer_date_holiday_code=models.TransferDateHolidayCode(t.holiday_code)
        if t.holiday_code
        else MISSING,
        beneficiary=models.Beneficiary(
            bank_code=t.payee_bank_code,
            branch_code=t.payee_branch_code,
            deposit_type=t.payee_deposit_type,
            account_number=t.payee_account_number,
            beneficiary_name=t.payee_name_kana,
        ),
        transfer_amount=t.amount,
        remitter_name=t.remitter_name_kana,
        edi_info=t.edi_info or MISSING,
        apply_comment=t.apply_comment or MISSING,
        fee=t.fee,
        total_debit_amount=t.amount + t.fee,
        accepted_at=jst(t.created_at),
        updated_at=jst(t.updated_at),
        completed_at=jst(t.executed_at) if t.executed_at else MISSING,
        cancelled_at=jst(t.cancelled_at) if t.cancelled_at else MISSING,
        failure_reason=models.FailureReason(t.failure_reason) if t.failure_reason else MISSING,
        failure_message=failure_message(t.failure_reason) or MISSING,
        returned_at=jst(t.returned_at) if t.returned_at else MISSING,
        recall_requested_at=jst(t.recall_requested_at) if t.recall_requested_at else MISSING,
        recall_resolved_at=jst(t.recall_resolved_at) if t.recall_resolved_at else MISSING,
        beneficiary_bank_name=names.bank_name if names else MISSING,
        beneficiary_bank_name_kana=names.bank_name_kana if names else MISSING,
        beneficiary_branch_name=names.branch_name if names and names.branch_name else MISSING,
        beneficiary_branch_name_kana=names.branch_name_kana if names and names.branch_name_kana else MISSING,
    )


class BankTransferAdapter:
    def __init__(self, db: Database, today: Callable[[], date], limits: RateLimits | None = None) -> None:
        self._db = db
        self._today = today
        self._limits = limits if limits is not None else RateLimits.off()

    async def get_transfer_fee(
        self, ctx: RequestContext, *, bank_code: str, body: models.TransferRequest
    ) -> Reply:
        require_offered(bank_code, BANK_TRANSFER)
        principal = principal_of(ctx)
        data = transfer_input(body)

        def work() -> Reply:
            headers = count_api_call(self._db, self._limits, "fee_check", principal)
            with self._db.session() as session:
                quote = transfers.quote_fee(
                    session, principal, bank_code, data.account_id, data.payee, data.amount
                )
            fee = models.TransferFee(
                account_id=quote.account_id,
                transfer_amount=quote.amount,
                fee=quote.fee,
                total_debit_amount=quote.total,
                as_of=now_jst(),
            )
            return Reply(fee, headers=headers)

        return await call(work, self._db)

    async def list_transfers(
        self,
        ctx: RequestContext,
        *,
        bank_code: str,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> models.TransferList:
        require_offered(bank_code, BANK_TRANSFER)
        principal = principal_of(ctx)

        def work() -> models.TransferList:
            run_due_transfers(self._db, self._today())
            with self._db.session() as session:
                result = transfers.list_transfers(
                    session, principal, bank_code, date_from, date_to, limit, cursor, self._today()
                )
                return models.TransferList(
                    date_from=result.window.date_from,
                    date_to=result.window.date_to,
                    count=len(result.page.items),
                    transfers=[transfer_model(view) for view in result.page.items],
                    has_next=result.page.has_next,
                    next_cursor=result.page.next_cursor or MISSING,
                )

        return await call(work, self._db)

    async def create_transfer(
        self, ctx: RequestContext, *, bank_code: str, idempotency_key: str, body: models.TransferRequest
    ) -> models.Transfer:
        require_offered(bank_code, BANK_TRANSFER)
        principal = principal_of(ctx)
        data = transfer_input(body)

        def work() -> models.Transfer:
            view, created = transfers.create_transfer(
                self._db, principal, bank_code, idempotency_key, data, self._today()
            )
            if not created:
                IDEMPOTENCY_REPLAYS.inc()
            return transfer_model(view)

        return await call(work, self._db)

    async def create_bulk_transfer(
        self,
        ctx: RequestContext,
        *,
        bank_code: str,
        idempotency_key: str,
        body: models.BulkTransferRequest,
    ) -> models.BulkTransferResult:
        require_offered(bank_code, BANK_TRANSFER)
        principal = principal_of(ctx)
        data = bulk_input(body)

        def work() -> models.BulkTransferResult:
            outcome, created = bulk_transfers.create_bulk_transfer(
                self._db, principal, bank_code, idempotency_key, data, self._today()
            )
            if not created:
                IDEMPOTENCY_REPLAYS.inc()
            return bulk_model(outcome)

        return await call(work, self._db)

    async def get_transfer(self, ctx: RequestContext, *, bank_code: str, transfer_id: str) -> models.Transfer:
        require_offered(bank_code, BANK_TRANSFER)
        principal = principal_of(ctx)

        def work() -> models.Transfer:
            run_due_transfers(self._db, self._today())
            with self._db.session() as session:
                return transfer_model(transfers.get_transfer(session, principal, bank_code, transfer_id))

        return await call(work, self._db)

    async def cancel_transfer(
        self, ctx: RequestContext, *, bank_code: str, transfer_id: str
    ) -> models.Transfer:
        require_offered(bank_code, BANK_TRANSFER)
        principal = principal_of(ctx)

        def work() -> models.Transfer:
            return transfer_model(transfers.cancel_transfer(self._db, principal, bank_code, transfer_id))

        return await call(work, self._db)

    async def inquire_account_name(
        self, ctx: RequestContext, *, bank_code: str, body: models.AccountNameInquiry
    ) -> Reply:
        require_offered(bank_code, BANK_TRANSFER)
        principal = principal_of(ctx)
        payee = Payee(body.bank_code, body.branch_code, str(body.deposit_type), body.account_number)

        def work() -> Reply:
            headers = count_api_call(self._db, self._limits, "name_inquiry", principal)
            with self._db.session() as session:
                result = transfers.inquire_account_name(session, principal, bank_code, body.account_id, payee)
            named = models.AccountNameInquiryResult(
                bank_code=payee.bank_code,
                branch_code=payee.branch_code,
                deposit_type=payee.deposit_type,
                account_number=payee.account_number,
                beneficiary_name=result.holder_name_kana,
                as_of=now_jst(),
            )
            return Reply(named, headers=headers)

        return await call(work, self._db)
