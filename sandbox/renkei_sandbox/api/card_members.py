"""The card member and its statements billed per member, as the spec's models (GET /card-members/me...)."""

from __future__ import annotations

from pydantic import MISSING

from renkei_card import models
from renkei_sandbox.clock import now_jst
from renkei_sandbox.db.models import Card
from renkei_sandbox.services.card_members import MemberStatementView, MemberView, mask_tail


def _card_id(card: Card, consented: frozenset[int]) -> str | object:
    return card.card_id if card.id in consented else MISSING


def member_model(view: MemberView) -> models.CardMember:
    first = view.cards[0]
    account = view.payment_account
    return models.CardMember(
        masked_member_number=mask_tail(view.member.member_number),
        member_category=models.MemberCategory.PRINCIPAL,  # the sandbox's members are all 本会員
        holder_name_kana=view.customer.name_kana,
        closing_day=first.closing_day,
        payment_day=first.payment_day,
        payment_account=models.PaymentAccount(
            bank_code=account.bank_code,
            branch_code=account.branch_code,
            deposit_type=account.deposit_type,
            account_number_masked=mask_tail(account.account_number),
        )
        if account is not None
        else MISSING,
        cards=[
            models.MemberCard(
                card_id=_card_id(card, view.consented),
                masked_number=card.masked_number,
                card_name=card.card_name,
                family_card=card.is_family_card,
            )
            for card in view.cards
        ],
        outstanding=models.OutstandingBalance(
            revolving_balance=view.revolving_unpaid, installment_balance=view.installment_unpaid
        ),
        as_of=now_jst(),
    )


def member_statement_model(view: MemberStatementView, consented: frozenset[int]) -> models.MemberStatement:
    return models.MemberStatement(
        billing_month=view.billing_month,
        closing_date=view.closing_date,
        payment_due_date=view.payment_date,
        billed_amount=view.total,
        status=models.StatementStatus.FIXED if view.fixed else models.StatementStatus.PROVISIONAL,
        breakdown=[
            models.StatementBreakdown(payment_method=models.PaymentMethod(method), amount=amount)
            for method, amount in view.breakdown.items()
        ],
        cards=[
            models.CardBillingShare(
                card_id=_card_id(share.card, consented),
                masked_number=share.card.masked_number,
                family_card=share.card.is_family_card,
                billed_amount=share.amount,
            )
            for share in view.shares
        ],
    )
