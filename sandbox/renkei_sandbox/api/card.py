"""CardService over the domain services: cards, available credit, statements, usage and points."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pydantic import MISSING

from renkei_card import models
from renkei_runtime.server import RequestContext
from renkei_sandbox.api.card_members import member_model, member_statement_model
from renkei_sandbox.api.common import call, principal_of
from renkei_sandbox.clock import now_jst
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import CardUsage
from renkei_sandbox.services import card_members, cards
from renkei_sandbox.services.cards import CardView, StatementView


def card_model(view: CardView) -> models.Card:
    card = view.card
    return models.Card(
        card_id=card.card_id,
        masked_number=card.masked_number,
        brand=models.CardBrand(card.brand),
        card_name=card.card_name,
        family_card=card.is_family_card,
        holder_name_kana=view.holder_name_kana or MISSING,
    )


def statement_model(view: StatementView) -> models.Statement:
    return models.Statement(
        card_id=view.card.card_id,
        billing_month=view.statement.billing_month,
        payment_due_date=view.statement.payment_date,
        billed_amount=view.statement.total_amount,
        status=models.StatementStatus.FIXED
        if view.statement.is_confirmed
        else models.StatementStatus.PROVISIONAL,
        breakdown=[
            models.StatementBreakdown(
                payment_method=models.PaymentMethod(row.payment_method), amount=row.amount
            )
            for row in view.breakdown
        ],
    )


def usage_status(row: CardUsage) -> models.CardTransactionStatus:
    """A negative amount is a cancellation or refund line (the spec's fixed sign rule); otherwise billed
    usage is confirmed (売上確定) and unbilled usage unconfirmed."""
    if row.amount < 0:
        return models.CardTransactionStatus.CANCELLED
    if row.billing_month:
        return models.CardTransactionStatus.CONFIRMED
    return models.CardTransactionStatus.UNCONFIRMED


def usage_model(row: CardUsage, family_card: bool) -> models.CardTransaction:
    approval = cards.approval_number(row)
    return models.CardTransaction(
        transaction_id=row.usage_id,
        usage_date=row.used_on,
        merchant_name=row.merchant,
        amount=row.amount,
        payment_method=models.PaymentMethod(row.payment_method),
        status=usage_status(row),
        family_card=family_card,
        billing_month=row.billing_month or MISSING,
        approval_number=approval or MISSING,
    )


class CardAdapter:
    def __init__(self, db: Database, today: Callable[[], date]) -> None:
        self._db = db
        self._today = today

    async def get_card_member(self, ctx: RequestContext) -> models.CardMember:
        principal = principal_of(ctx)

        def work() -> models.CardMember:
            with self._db.session() as session:
                return member_model(card_members.get_member(session, principal, self._today()))

        return await call(work, self._db)

    async def list_member_statements(
        self, ctx: RequestContext, *, limit: int = 100, cursor: str | None = None
    ) -> models.MemberStatementList:
        principal = principal_of(ctx)

        def work() -> models.MemberStatementList:
            with self._db.session() as session:
                page = card_members.list_member_statements(session, principal, limit, cursor)
            return models.MemberStatementList(
                statements=[member_statement_model(v, principal.card_pks) for v in page.items],
                count=len(page.items),
                has_next=page.has_next,
                next_cursor=page.next_cursor or MISSING,
            )

        return await call(work, self._db)

    async def get_member_statement(
        self, ctx: RequestContext, *, billing_month: str
    ) -> models.MemberStatement:
        principal = principal_of(ctx)

        def work() -> models.MemberStatement:
            with self._db.session() as session:
                view = card_members.get_member_statement(session, principal, billing_month)
            return member_statement_model(view, principal.card_pks)

        return await call(work, self._db)

    async def list_cards(self, ctx: RequestContext) -> models.CardList:
        principal = principal_of(ctx)

        def work() -> models.CardList:
            with self._db.session() as session:
                return models.CardList(
                    cards=[card_model(view) for view in cards.list_cards(session, principal)]
                )

        return await call(work, self._db)

    async def get_card(self, ctx: RequestContext, *, card_id: str) -> models.Card:
        principal = principal_of(ctx)

        def work() -> models.Card:
            with self._db.session() as session:
                return card_model(cards.get_card(session, principal, card_id))

        return await call(work, self._db)

    async def get_available_credit(self, ctx: RequestContext, *, card_id: str) -> models.AvailableCredit:
        principal = principal_of(ctx)

        def work() -> models.AvailableCredit:
            with self._db.session() as session:
                credit = cards.available_credit(session, principal, card_id, self._today())
            return models.AvailableCredit(
                card_id=credit.card.card_id,
                shopping_limit=credit.card.credit_limit,
                shopping_available=credit.shopping_available,
                cashing_limit=credit.card.cash_advance_limit,
                cashing_available=credit.cashing_available,
                as_of=now_jst(),
            )

        return await call(work, self._db)

    async def list_statements(
        self, ctx: RequestContext, *, card_id: str, limit: int = 100, cursor: str | None = None
    ) -> models.StatementList:
        principal = principal_of(ctx)

        def work() -> models.StatementList:
            with self._db.session() as session:
                _, page = cards.list_statements(session, principal, card_id, limit, cursor)
                return models.StatementList(
                    statements=[statement_model(view) for view in page.items],
                    has_next=page.has_next,
                    next_cursor=page.next_cursor or MISSING,
                )

        return await call(work, self._db)

    async def get_statement(
        self, ctx: RequestContext, *, card_id: str, billing_month: str
    ) -> models.Statement:
        principal = principal_of(ctx)

        def work() -> models.Statement:
            with self._db.session() as session:
                return statement_model(cards.get_statement(session, principal, card_id, billing_month))

        return await call(work, self._db)

    async def list_card_transactions(
        self,
        ctx: RequestContext,
        *,
        card_id: str,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> models.CardTransactionList:
        principal = principal_of(ctx)

        def work() -> models.CardTransactionList:
            with self._db.session() as session:
                result = cards.list_card_transactions(
                    session, principal, card_id, date_from, date_to, limit, cursor, self._today()
                )
                return models.CardTransactionList(
                    card_id=result.card.card_id,
                    date_from=result.window.date_from,
                    date_to=result.window.date_to,
                    transactions=[usage_model(row, result.card.is_family_card) for row in result.page.items],
                    has_next=result.page.has_next,
                    next_cursor=result.page.next_cursor or MISSING,
                )

        return await call(work, self._db)

    async def get_points(self, ctx: RequestContext, *, card_id: str) -> models.Points:
        principal = principal_of(ctx)

        def work() -> models.Points:
            with self._db.session() as session:
                card, points = cards.get_points(session, principal, card_id)
            expiring = []
            if points is not None and points.expiring_points and points.expires_on is not None:
                expiring.append(
                    models.ExpiringPoints(points=points.expiring_points, expiry_date=points.expires_on)
                )
            return models.Points(
                card_id=card.card_id,
                point_name=points.program_name if points else MISSING,
                point_balance=points.balance if points else 0,
                expiring_points=expiring,
                as_of=now_jst(),
            )

        return await call(work, self._db)
