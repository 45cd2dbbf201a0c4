"""一括振込: up to 99 transfers from one account on one date, each item accepted or refused on its own.

All items run in one database transaction under one Idempotency-Key claim (services/idempotency.py). Each item
is a savepoint: an item refused (insufficient funds, a limit, an unknown payee ...) rolls back to it, so it
leaves no transfer, no ledger posting and no change of balance; an accepted item is the same transfer, with
the same double-entry postings, as a single createTransfer. Items run in `itemId` order, so a later item sees
the balance and the day's total after the earlier ones. The outcome (which item became which transfer, or
which error) is stored with the key: a retry with the same key and body gets the same result."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from renkei_sandbox import audit
from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.engine import Database
from renkei_sandbox.services import idempotency, transfers
from renkei_sandbox.services.errors import InvalidRequest, ServiceError
from renkei_sandbox.services.transfers import Payee, TransferInput, TransferView

MAX_ITEMS = 99


@dataclass(frozen=True)
class BulkItemInput:
    item_id: str
    payee: Payee
    payee_name: str
    amount: int
    edi_info: str | None = None


@dataclass(frozen=True)
class BulkInput:
    account_id: str
    designated_date: date
    holiday_code: str | None
    remitter_name: str | None
    items: tuple[BulkItemInput, ...]


@dataclass(frozen=True)
class BulkItemOutcome:
    item_id: str
    view: TransferView | None = None
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class BulkOutcome:
    account_id: str
    items: list[BulkItemOutcome]

    @property
    def accepted(self) -> list[TransferView]:
        return [item.view for item in self.items if item.view is not None]


def _check_items(data: BulkInput) -> list[BulkItemInput]:
    if not 1 <= len(data.items) <= MAX_ITEMS:
        raise InvalidRequest(f"明細は1〜{MAX_ITEMS}件で指定してください。", field="body.items")
    ids = [item.item_id for item in data.items]
    if len(set(ids)) != len(ids):
        raise InvalidRequest("明細番号が重複しています。", field="body.items")
    return sorted(data.items, key=lambda item: int(item.item_id))


def _transfer_input(data: BulkInput, item: BulkItemInput) -> TransferInput:
    return TransferInput(
        account_id=data.account_id,
        designated_date=data.designated_date,
        holiday_code=data.holiday_code,
        payee=item.payee,
        payee_name=item.payee_name,
        amount=item.amount,
        remitter_name=data.remitter_name,
        edi_info=item.edi_info,
    )


def create_bulk_transfer(
    db: Database,
    principal: AccessPrincipal,
    bank_code: str,
    idempotency_key: str | None,
    data: BulkInput,
    today: date,
    now: datetime | None = None,
) -> tuple[BulkOutcome, bool]:
    """(the per-item outcome, processed now?) — False when an earlier request with the same key did it."""
    key = idempotency.check_key(idempotency_key)
    items = _check_items(data)
    now = now or utcnow()
    print_ = idempotency.fingerprint({"operation": "createBulkTransfer", "bank": bank_code, **asdict(data)})
    owner = idempotency.new_owner()
    record_pk = idempotency.register(db, principal.client_pk, principal.customer_id, key, print_, owner, now)
    refusal: ServiceError | None = None
    with db.write_session() as session, session.begin():
        try:
            claim = idempotency.claim(session, record_pk, print_, owner, now)
        except ServiceError as error:
            kind = (
                audit.TRANSFER_CONFLICTED
                if error.code in idempotency.CONFLICT_CODES
                else audit.TRANSFER_REPLAYED
            )
            transfers.audit_transfer(
                session, kind, principal, None, {"status": error.status_code, "error": error.code}
            )
            refusal = error
        else:
            if isinstance(claim, idempotency.BulkReplay):
                replayed = [
                    BulkItemOutcome(
                        item.item_id,
                        transfers.transfer_view(session, item.transfer_pk)
                        if item.transfer_pk is not None
                        else None,
                        item.error_code,
                        item.error_message,
                    )
                    for item in claim.items
                ]
                transfers.audit_transfer(
                    session, audit.TRANSFER_REPLAYED, principal, None, {"status": 201, "bulk": 1}
                )
                return BulkOutcome(data.account_id, replayed), False
            if isinstance(claim, idempotency.Replay):
                raise AssertionError("a single transfer's key under a bulk fingerprint")
            try:
                with session.begin_nested():  # errors of the request as a whole: nothing is processed
                    transfers.payer_account(session, principal, bank_code, data.account_id)
                    transfers.execution_date(data.designated_date, data.holiday_code, today)
            except ServiceError as error:
                idempotency.fail(session, claim, error)
                refusal = error
            else:
                outcomes = []
                for item in items:
                    try:
                        with session.begin_nested():
                            transfer = transfers.accept_transfer(
                                session, principal, bank_code, _transfer_input(data, item), today, now
                            )
                    except ServiceError as error:
                        outcomes.append(BulkItemOutcome(item.item_id, None, error.code, error.message))
                        continue
                    view = transfers.transfer_view(session, transfer.id)
                    details: dict[str, str | int | None] = {
                        "amount": transfer.amount,
                        "fee": transfer.fee,
                        "status": transfer.status,
                        "bulk_item": item.item_id,
                    }
                    transfers.audit_transfer(session, audit.TRANSFER_CREATED, principal, view, details)
                    outcomes.append(BulkItemOutcome(item.item_id, view))
                idempotency.complete_bulk(
                    session,
                    claim,
                    [
                        idempotency.BulkItem(
                            o.item_id, o.view.transfer.id if o.view else None, o.error_code, o.error_message
                        )
                        for o in outcomes
                    ],
                )
                result = BulkOutcome(data.account_id, outcomes)
    if refusal is not None:
        raise refusal
    return result, True
