"""Transfers: fee pre-check, creation with a double-entry ledger in one database transaction, listing,
cancellation before execution, execution of scheduled transfers, and account-name inquiry."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from renkei_sandbox import audit
from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.clock import JST
from renkei_sandbox.config import PER_DAY_LIMIT_YEN, PER_TRANSFER_LIMIT_YEN
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Account, Bank, Branch, Transfer
from renkei_sandbox.db.models.banking import ACCOUNT_KIND_DEPOSIT
from renkei_sandbox.db.models.transfers import (
    TRANSFER_ACCEPTED,
    TRANSFER_CANCELLED,
    TRANSFER_COMPLETED,
    TRANSFER_FAILED,
    TRANSFER_PROCESSING,
    TRANSFER_SCHEDULED,
)
from renkei_sandbox.services import checkpoints, idempotency, ledger
from renkei_sandbox.services.accounts import accessible_account, check_bank
from renkei_sandbox.services.business_days import is_business_day
from renkei_sandbox.services.dates import DateWindow, date_window
from renkei_sandbox.services.errors import (
    Conflict,
    Denied,
    InvalidRequest,
    ServiceError,
    Unprocessable,
    not_found,
)
from renkei_sandbox.services.fees import transfer_fee
from renkei_sandbox.services.pagination import Page, check_limit, in_window_after, take_page
from renkei_sandbox.services.transfer_outcomes import FAILURE_MESSAGES, RETURNED_ACCOUNT_NUMBER, return_funds
from renkei_sandbox.services.zengin import Remitter

MAX_DAYS_AHEAD = 30
_OPEN_STATUSES = (TRANSFER_ACCEPTED, TRANSFER_SCHEDULED)
_COUNTED_STATUSES = (TRANSFER_ACCEPTED, TRANSFER_SCHEDULED, TRANSFER_PROCESSING, TRANSFER_COMPLETED)


@dataclass(frozen=True)
class Payee:
    bank_code: str
    branch_code: str
    deposit_type: str
    account_number: str


@dataclass(frozen=True)
class TransferInput:
    account_id: str
    designated_date: date
    holiday_code: str | None
    payee: Payee
    payee_name: str
    amount: int
    remitter_name: str | None = None
    edi_info: str | None = None
    apply_comment: str | None = None


@dataclass(frozen=True)
class PayeeNames:
    """被仕向金融機関名・支店名 (kanji and kana), known for the sandbox's own banks only."""

    bank_name: str
    bank_name_kana: str
    branch_name: str | None = None
    branch_name_kana: str | None = None


@dataclass(frozen=True)
class TransferView:
    transfer: Transfer
    account_id: str
    payee_names: PayeeNames | None = None


@dataclass(frozen=True)
class FeeQuote:
    account_id: str
    amount: int
    fee: int

    @property
    def total(self) -> int:
        return self.amount + self.fee


@dataclass(frozen=True)
class NameInquiryResult:
    payee: Payee
    holder_name_kana: str


def payer_account(session: Session, principal: AccessPrincipal, bank_code: str, account_id: str) -> Account:
    account = accessible_account(session, principal, bank_code, account_id)
    if account.kind != ACCOUNT_KIND_DEPOSIT:
        raise Unprocessable(
            "この口座からは振込できません。", code="account_not_transferable", field="body.accountId"
        )
    return account


def _branch_code(session: Session, account: Account) -> str:
    branch = session.get(Branch, account.branch_id)
    assert branch is not None
    return branch.branch_code


def _check_amount(amount: int) -> None:
    if amount < 1:
        raise InvalidRequest("振込金額は 1 円以上で指定してください。", field="body.transferAmount")
    if amount > PER_TRANSFER_LIMIT_YEN:
        raise Unprocessable(
            f"1回あたりの振込限度額 ({PER_TRANSFER_LIMIT_YEN:,} 円) を超えています。",
            code="transfer_limit_exceeded",
            field="body.transferAmount",
        )


def is_sandbox_bank(session: Session, bank_code: str) -> bool:
    bank = session.get(Bank, bank_code)
    return bank is not None and not bank.is_federation


def find_payee_account(session: Session, payee: Payee) -> Account | None:
    return session.scalar(
        select(Account)
        .join(Branch, Account.branch_id == Branch.id)
        .where(
            Branch.bank_code == payee.bank_code,
            Branch.branch_code == payee.branch_code,
            Account.deposit_type == payee.deposit_type,
            Account.account_number == payee.account_number,
            Account.kind == ACCOUNT_KIND_DEPOSIT,
        )
    )


def quote_fee(
    session: Session, principal: AccessPrincipal, bank_code: str, account_id: str, payee: Payee, amount: int
) -> FeeQuote:
    payer = payer_account(session, principal, bank_code, account_id)
    _check_amount(amount)
    fee = transfer_fee(
        payer.bank_code, _branch_code(session, payer), payee.bank_code, payee.branch_code, amount
    )
    return FeeQuote(payer.account_id, amount, fee)


def inquire_account_name(
    session: Session, principal: AccessPrincipal, bank_code: str, account_id: str, payee: Payee
) -> NameInquiryResult:
    """受取人名確認: only accounts held at a sandbox bank can be checked."""
    payer_account(session, principal, bank_code, account_id)
    account = find_payee_account(session, payee) if is_sandbox_bank(session, payee.bank_code) else None
    if account is None:
        raise Unprocessable(
            "受取人口座が確認できません。", code="beneficiary_not_found", field="body.accountNumber"
        )
    return NameInquiryResult(payee, account.holder_name_kana)


def execution_date(requested: date, holiday_code: str | None, today: date) -> date:
    """The business day the transfer runs on; `1` (default) next business day, `2` previous, `3` error."""
    if requested < today:
        raise InvalidRequest(
            "振込指定日に過去の日付は指定できません。",
            code="invalid_transfer_date",
            field="body.transferDesignatedDate",
        )
    if requested > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidRequest(
            f"振込指定日は {MAX_DAYS_AHEAD} 日先までです。",
            code="invalid_transfer_date",
            field="body.transferDesignatedDate",
        )
    day = requested
    code = holiday_code or "1"
    if code == "3" and not is_business_day(day):
        raise InvalidRequest(
            "振込指定日が銀行営業日ではありません。",
            code="not_business_day",
            field="body.transferDesignatedDate",
        )
    step = -1 if code == "2" else 1
    while not is_business_day(day):
        day += timedelta(days=step)
    if day < today:
        raise InvalidRequest(
            "前営業日が過去の日付になります。", code="not_business_day", field="body.transferDesignatedDate"
        )
    return day


def create_transfer(
    db: Database,
    principal: AccessPrincipal,
    bank_code: str,
    idempotency_key: str | None,
    data: TransferInput,
    today: date,
    now: datetime | None = None,
) -> tuple[TransferView, bool]:
    """(the transfer, created now?) — False when an earlier request with the same key made it.

    The claim protocol (register, claim, complete in the ledger transaction) is in services/idempotency.py.
    """
    key = idempotency.check_key(idempotency_key)
    now = now or utcnow()
    print_ = idempotency.fingerprint({"operation": "createTransfer", "bank": bank_code, **asdict(data)})
    owner = idempotency.new_owner()
    record_pk = idempotency.register(db, principal.client_pk, principal.customer_id, key, print_, owner, now)
    checkpoints.reach(checkpoints.CLAIMED, key)
    refusal: ServiceError | None = None
    with db.write_session() as session, session.begin():
        try:
            claim = idempotency.claim(session, record_pk, print_, owner, now)
        except ServiceError as error:
            conflicted = error.code in idempotency.CONFLICT_CODES
            kind = audit.TRANSFER_CONFLICTED if conflicted else audit.TRANSFER_REPLAYED
            audit_transfer(session, kind, principal, None, {"status": error.status_code, "error": error.code})
            refusal = error
        else:
            if isinstance(claim, idempotency.BulkReplay):  # cannot match: the fingerprint names the operation
                raise AssertionError("a 一括振込 outcome under a single transfer's fingerprint")
            if isinstance(claim, idempotency.Replay):
                view = transfer_view(session, claim.transfer_pk)
                audit_transfer(session, audit.TRANSFER_REPLAYED, principal, view, {"status": 200})
                return view, False
            try:
                with session.begin_nested():
                    transfer = accept_transfer(session, principal, bank_code, data, today, now)
                    checkpoints.reach(checkpoints.LEDGER_WRITTEN, key)
            except ServiceError as error:
                idempotency.fail(session, claim, error)
                refusal = error
            else:
                idempotency.complete(session, claim, transfer.id)
                view = transfer_view(session, transfer.id)
                details: dict[str, str | int | None] = {
                    "amount": transfer.amount,
                    "fee": transfer.fee,
                    "status": transfer.status,
                }
                audit_transfer(session, audit.TRANSFER_CREATED, principal, view, details)
    if refusal is not None:
        raise refusal
    return view, True


def audit_transfer(
    session: Session,
    kind: str,
    principal: AccessPrincipal,
    view: TransferView | None,
    details: dict[str, str | int | None],
) -> None:
    audit.record_event(
        session,
        kind,
        client_id=principal.client_id,
        customer_id=principal.customer_id,
        bank_code=principal.bank_code,
        resource=f"transfers/{view.transfer.transfer_id}" if view is not None else None,
        details={"account_id": view.account_id, **details} if view is not None else details,
    )


def transfer_view(session: Session, transfer_pk: int) -> TransferView:
    transfer = session.get(Transfer, transfer_pk)
    assert transfer is not None
    account = session.get(Account, transfer.payer_account_pk)
    assert account is not None
    return TransferView(transfer, account.account_id, payee_names(session, transfer))


def payee_names(session: Session, transfer: Transfer) -> PayeeNames | None:
    bank = session.get(Bank, transfer.payee_bank_code)
    if bank is None:
        return None
    branch = session.scalar(
        select(Branch).where(
            Branch.bank_code == transfer.payee_bank_code, Branch.branch_code == transfer.payee_branch_code
        )
    )
    return PayeeNames(
        bank.name,
        bank.name_kana[:30],
        branch.name if branch else None,
        branch.name_kana[:15] if branch else None,
    )


def _new_transfer_id(session: Session, today: date, now: datetime) -> str:
    """The acceptance day (JST) and the milliseconds into it: ids sort in acceptance order, so that listing
    by (受付日, transferId) is listing by 受付日時 as the spec says (the conformance `sort-order` check)."""
    midnight = datetime.combine(today, datetime.min.time(), tzinfo=JST)
    sequence = min(max(0, int((now - midnight).total_seconds() * 1000)), 86_400_000 - 1)
    while True:
        candidate = f"{today:%Y%m%d}{sequence:08d}"
        if session.scalar(select(Transfer.id).where(Transfer.transfer_id == candidate)) is None:
            return candidate
        sequence += 1


def accept_transfer(
    session: Session,
    principal: AccessPrincipal,
    bank_code: str,
    data: TransferInput,
    today: date,
    now: datetime,
) -> Transfer:
    payer = payer_account(session, principal, bank_code, data.account_id)
    _check_amount(data.amount)
    run_on = execution_date(data.designated_date, data.holiday_code, today)
    payee_account: Account | None = None
    if is_sandbox_bank(session, data.payee.bank_code):
        payee_account = find_payee_account(session, data.payee)
        if payee_account is None:
            raise Unprocessable(
                "受取人口座が存在しません。", code="beneficiary_not_found", field="body.beneficiary"
            )
        if payee_account.id == payer.id:
            raise Unprocessable(
                "振込元と同じ口座には振り込めません。", code="same_account", field="body.beneficiary"
            )
    _lock_accounts(session, [payer.id] + ([payee_account.id] if payee_account else []))
    already = session.scalar(
        select(func.coalesce(func.sum(Transfer.amount), 0)).where(
            Transfer.payer_account_pk == payer.id,
            Transfer.transfer_date == run_on,
            Transfer.status.in_(_COUNTED_STATUSES),
        )
    )
    if int(already or 0) + data.amount > PER_DAY_LIMIT_YEN:
        raise Unprocessable(
            f"1日あたりの振込限度額 ({PER_DAY_LIMIT_YEN:,} 円) を超えています。",
            code="daily_limit_exceeded",
            field="body.transferAmount",
        )
    fee = transfer_fee(
        payer.bank_code,
        _branch_code(session, payer),
        data.payee.bank_code,
        data.payee.branch_code,
        data.amount,
    )
    if run_on <= today and payer.balance < data.amount + fee:
        # Scheduled transfers are checked when they run (and fail then), as 予約振込 are.
        raise Unprocessable("残高が不足しています。", code="insufficient_funds", field="body.transferAmount")
    transfer = Transfer(
        transfer_id=_new_transfer_id(session, today, now),
        bank_code=bank_code,
        client_pk=principal.client_pk,
        customer_id=principal.customer_id,
        payer_account_pk=payer.id,
        payee_bank_code=data.payee.bank_code,
        payee_branch_code=data.payee.branch_code,
        payee_deposit_type=data.payee.deposit_type,
        payee_account_number=data.payee.account_number,
        payee_name_kana=data.payee_name,
        payee_account_pk=payee_account.id if payee_account else None,
        amount=data.amount,
        fee=fee,
        transfer_date=run_on,
        remitter_name_kana=data.remitter_name or payer.holder_name_kana,
        edi_info=data.edi_info,
        apply_comment=data.apply_comment,
        holiday_code=data.holiday_code,
        status=TRANSFER_SCHEDULED if run_on > today else TRANSFER_ACCEPTED,
        failure_reason=None,
        accepted_on=today,
        created_at=now,
        updated_at=now,
        executed_at=None,
        cancelled_at=None,
    )
    session.add(transfer)
    session.flush()
    if run_on <= today:
        _execute(session, transfer, now)
    return transfer


def _lock_accounts(session: Session, account_pks: list[int]) -> None:
    """Row locks in a fixed order (PostgreSQL; SQLite already holds the database write lock)."""
    session.execute(
        select(Account.id).where(Account.id.in_(account_pks)).order_by(Account.id).with_for_update()
    ).all()


def _execute(session: Session, transfer: Transfer, now: datetime) -> None:
    """受付 → 手続中 → 完了: debit the payer (amount + fee), credit the payee or the clearing account, book
    the fee. A failure the operator arranged, or a lack of funds, raises Unprocessable with the FailureReason
    code (the caller's savepoint rolls the whole execution back). A transfer to the test account
    RETURNED_ACCOUNT_NUMBER outside the sandbox is returned (振込不能 → 資金返却) right after it completes."""
    day = transfer.transfer_date
    total = transfer.amount + transfer.fee
    transfer.status = TRANSFER_PROCESSING
    if transfer.fail_on_execution is not None:
        reason = transfer.fail_on_execution
        raise Unprocessable(FAILURE_MESSAGES.get(reason, FAILURE_MESSAGES["other"]), code=reason)
    try:
        ledger.post(
            session,
            transfer.payer_account_pk,
            day,
            -transfer.amount,
            "transfer",
            f"ﾌﾘｺﾐ {transfer.payee_name_kana}",
            now,
        )
        if transfer.fee:
            ledger.post(session, transfer.payer_account_pk, day, -transfer.fee, "fee", "ﾌﾘｺﾐﾃｽｳﾘﾖｳ", now)
    except ledger.InsufficientFunds:
        raise Unprocessable(
            "残高が不足しています。", code="insufficient_funds", field="body.transferAmount"
        ) from None
    ledger.leg(session, transfer.id, transfer.bank_code, -total, now, account_pk=transfer.payer_account_pk)
    if transfer.payee_account_pk is not None:
        ledger.post(
            session,
            transfer.payee_account_pk,
            day,
            transfer.amount,
            "transfer",
            f"ﾌﾘｺﾐ {transfer.remitter_name_kana}",
            now,
            remitter=_remitter(session, transfer),
        )
        ledger.leg(
            session,
            transfer.id,
            transfer.payee_bank_code,
            transfer.amount,
            now,
            account_pk=transfer.payee_account_pk,
        )
    else:
        ledger.leg(
            session,
            transfer.id,
            transfer.bank_code,
            transfer.amount,
            now,
            gl_code=ledger.GL_CLEARING_OUTBOUND,
        )
    if transfer.fee:
        ledger.leg(session, transfer.id, transfer.bank_code, transfer.fee, now, gl_code=ledger.GL_FEE_INCOME)
    transfer.status = TRANSFER_COMPLETED
    transfer.executed_at = now
    transfer.updated_at = now
    if transfer.payee_account_pk is None and transfer.payee_account_number == RETURNED_ACCOUNT_NUMBER:
        return_funds(session, transfer, "beneficiary_account_closed", now)


def _remitter(session: Session, transfer: Transfer) -> Remitter:
    """The payee's history names the payer: 振込依頼人名, the paying bank and branch (kana), the EDI text."""
    payer = session.get(Account, transfer.payer_account_pk)
    assert payer is not None
    bank = session.get(Bank, payer.bank_code)
    branch = session.get(Branch, payer.branch_id)
    return Remitter(
        transfer.remitter_name_kana,
        bank.name_kana[:30] if bank else None,
        branch.name_kana[:15] if branch else None,
        transfer.edi_info,
    )


def execute_scheduled(session: Session, transfer: Transfer) -> bool:
    """Run one open transfer whose date has come, in the caller's transaction (which holds the transfer's
    row lock: services/due_transfers.py). Returns True when it ran, False when it failed (the FailureReason
    code in failure_reason: insufficient_funds, or the failure the operator arranged)."""
    _lock_accounts(
        session,
        [transfer.payer_account_pk] + ([transfer.payee_account_pk] if transfer.payee_account_pk else []),
    )
    try:
        with session.begin_nested():
            _execute(session, transfer, utcnow())
    except Unprocessable as error:
        transfer.status = TRANSFER_FAILED
        transfer.failure_reason = error.code if error.code in FAILURE_MESSAGES else "other"
        transfer.updated_at = utcnow()
        return False
    return True


def _visible_transfer(
    session: Session, principal: AccessPrincipal, bank_code: str, transfer_id: str
) -> Transfer:
    check_bank(principal, bank_code)
    transfer = session.scalar(select(Transfer).where(Transfer.transfer_id == transfer_id))
    if transfer is None:
        raise not_found()
    reason = None
    if transfer.bank_code != bank_code:
        reason = "other_bank"
    elif transfer.customer_id != principal.customer_id:
        reason = "other_customer"
    elif transfer.client_pk != principal.client_pk:
        reason = "other_client"
    elif transfer.payer_account_pk not in principal.account_pks:
        reason = "not_consented"
    if reason is not None:
        raise Denied(principal, f"transfers/{transfer_id}", reason)
    return transfer


def get_transfer(
    session: Session, principal: AccessPrincipal, bank_code: str, transfer_id: str
) -> TransferView:
    return transfer_view(session, _visible_transfer(session, principal, bank_code, transfer_id).id)


def cancel_transfer(
    db: Database, principal: AccessPrincipal, bank_code: str, transfer_id: str
) -> TransferView:
    with db.write_session() as session, session.begin():
        transfer = _visible_transfer(session, principal, bank_code, transfer_id)
        # The row lock (PostgreSQL) waits for an execution in progress and reads its outcome: a cancellation
        # never overwrites a transfer that has just run.
        session.refresh(transfer, with_for_update=True)
        if transfer.status not in _OPEN_STATUSES:
            raise Conflict("実行済みまたは取消済みの振込は取り消せません。", code="transfer_not_cancellable")
        now = utcnow()
        transfer.status = TRANSFER_CANCELLED
        transfer.cancelled_at = now
        transfer.updated_at = now
        view = transfer_view(session, transfer.id)
        audit_transfer(session, audit.TRANSFER_CANCELLED, principal, view, {"amount": transfer.amount})
        return view


@dataclass(frozen=True)
class TransferPage:
    window: DateWindow
    page: Page[TransferView]


def list_transfers(
    session: Session,
    principal: AccessPrincipal,
    bank_code: str,
    date_from: date | None,
    date_to: date | None,
    limit: int,
    cursor: str | None,
    today: date,
) -> TransferPage:
    check_bank(principal, bank_code)
    check_limit(limit)
    visible = (
        Transfer.bank_code == bank_code,
        Transfer.customer_id == principal.customer_id,
        Transfer.client_pk == principal.client_pk,
        Transfer.payer_account_pk.in_(principal.account_pks),
    )
    first = None
    if date_from is None and date_to is not None:
        first = session.scalar(select(func.min(Transfer.accepted_on)).where(*visible))
    window = date_window(date_from, date_to, today, first)
    query = (
        select(Transfer, Account.account_id)
        .join(Account, Transfer.payer_account_pk == Account.id)
        .where(*visible, *in_window_after(cursor, Transfer.accepted_on, Transfer.transfer_id, window))
        .order_by(Transfer.accepted_on, Transfer.transfer_id)
        .limit(limit + 1)
    )
    views = [TransferView(t, a, payee_names(session, t)) for t, a in session.execute(query).all()]
    page = take_page(views, limit, lambda v: (v.transfer.accepted_on.isoformat(), v.transfer.transfer_id))
    return TransferPage(window, page)
