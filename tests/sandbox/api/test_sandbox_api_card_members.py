"""The card member over HTTP: GET /card-members/me (masked 会員番号 and 支払口座, 締め日/支払日, family
cards, unpaid リボ/分割), statements billed per member with a per-card breakdown, billingMonth and 承認番号
on usage lines, and the fixed cancellation sign (a cancelled line is its own negative line)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sandbox_flow import ALL_CARD_SCOPES, tokens_for
from sandbox_harness import RunningSandbox
from sqlalchemy import func, select

from renkei_card import models
from renkei_sandbox.db.models import Account, Card, CardMember, CardUsage, Customer, Statement


@dataclass(frozen=True)
class FamilyMember:
    login_id: str
    member_number: str
    principal_card: str
    family_card: str
    account_number: str
    account_id: str


@pytest.fixture(scope="module")
def family(sandbox: RunningSandbox) -> FamilyMember:
    """A seeded member with a principal and a family card (the seed gives one to about 20 % of members)."""
    with sandbox.db.session() as session:
        member_id = session.scalar(
            select(Card.member_id).group_by(Card.member_id).having(func.count() == 2).order_by(Card.member_id)
        )
        assert member_id is not None, "the test seed has no member with a family card"
        member = session.get(CardMember, member_id)
        assert member is not None
        customer = session.get(Customer, member.customer_id)
        assert customer is not None
        cards = list(
            session.scalars(select(Card).where(Card.member_id == member_id).order_by(Card.is_family_card))
        )
        account = session.scalar(
            select(Account)
            .where(Account.customer_id == customer.id, Account.kind == "deposit", Account.deposit_type == "1")
            .order_by(Account.id)
        )
        assert account is not None
        return FamilyMember(
            customer.login_id,
            member.member_number,
            cards[0].card_id,
            cards[1].card_id,
            account.account_number,
            account.account_id,
        )


def _get(sandbox: RunningSandbox, tokens: dict[str, str], path: str, **params: str) -> httpx.Response:
    return httpx.get(
        f"{sandbox.base_url}/v2{path}",
        params=params,
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )


def _json(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def test_the_member_shows_masked_numbers_days_and_both_cards(
    sandbox: RunningSandbox, family: FamilyMember
) -> None:
    tokens = tokens_for(sandbox, family.login_id, ALL_CARD_SCOPES)
    body = _json(_get(sandbox, tokens, "/card-members/me"))
    models.CardMember.model_validate(body)
    assert body["maskedMemberNumber"] == "*" * 12 + family.member_number[-4:]
    assert family.member_number not in str(body)
    assert body["memberCategory"] == "principal"
    assert (body["closingDay"], body["paymentDay"]) == (15, 10)
    account = body["paymentAccount"]
    assert account["accountNumberMasked"] == "***" + family.account_number[-4:]
    assert family.account_number not in str(body)
    assert [(c["cardId"], c["familyCard"]) for c in body["cards"]] == [
        (family.principal_card, False),
        (family.family_card, True),
    ]
    assert int(body["outstanding"]["revolvingBalance"]) >= 0
    assert body["outstanding"]["installmentBalance"] == "0"


def test_a_card_outside_the_consent_is_listed_without_its_id(
    sandbox: RunningSandbox, family: FamilyMember
) -> None:
    tokens = tokens_for(sandbox, family.login_id, ALL_CARD_SCOPES, share=[family.principal_card])
    cards = _json(_get(sandbox, tokens, "/card-members/me"))["cards"]
    assert cards[0]["cardId"] == family.principal_card
    assert "cardId" not in cards[1] and cards[1]["familyCard"] is True
    assert cards[1]["maskedNumber"].startswith("*")
    # the per-card resource of the unshared family card stays 404
    assert _get(sandbox, tokens, f"/cards/{family.family_card}").status_code == 404


def test_a_customer_without_a_consented_card_has_no_member(sandbox: RunningSandbox) -> None:
    with sandbox.db.session() as session:
        login_id = session.scalar(
            select(Customer.login_id)
            .where(Customer.id.not_in(select(CardMember.customer_id)))
            .order_by(Customer.id)
        )
    assert login_id is not None
    tokens = tokens_for(sandbox, login_id, f"accounts:read {ALL_CARD_SCOPES}")
    assert _get(sandbox, tokens, "/card-members/me").status_code == 404
    assert _get(sandbox, tokens, "/card-members/me/statements").status_code == 404
    assert _get(sandbox, tokens, "/card-members/me/statements/2026-11").status_code == 404


def test_the_member_bill_is_the_sum_of_both_cards(sandbox: RunningSandbox, family: FamilyMember) -> None:
    tokens = tokens_for(sandbox, family.login_id, ALL_CARD_SCOPES)
    page = _json(_get(sandbox, tokens, "/card-members/me/statements", limit="3"))
    models.MemberStatementList.model_validate(page)
    assert page["count"] == len(page["statements"]) == 3 and page["hasNext"] is True
    months = [s["billingMonth"] for s in page["statements"]]
    assert months == sorted(months, reverse=True)
    for statement in page["statements"]:
        total = int(statement["billedAmount"])
        assert total == sum(int(c["billedAmount"]) for c in statement["cards"])
        assert total == sum(int(b["amount"]) for b in statement["breakdown"])
        per_card = {}
        for share in statement["cards"]:
            card_statement = _json(
                _get(sandbox, tokens, f"/cards/{share['cardId']}/statements/{statement['billingMonth']}")
            )
            per_card[share["cardId"]] = int(card_statement["billedAmount"])
            assert per_card[share["cardId"]] == int(share["billedAmount"])
    rest = _json(_get(sandbox, tokens, "/card-members/me/statements", limit="3", cursor=page["nextCursor"]))
    assert rest["statements"][0]["billingMonth"] < months[-1]
    one = _json(_get(sandbox, tokens, f"/card-members/me/statements/{months[0]}"))
    assert one == page["statements"][0]
    assert _get(sandbox, tokens, "/card-members/me/statements/2001-01").status_code == 404


def test_usage_lines_carry_billing_month_approval_number_and_negative_cancellations(
    sandbox: RunningSandbox,
) -> None:
    with sandbox.db.session() as session:
        row = session.execute(
            select(CardUsage, Card.card_id, Customer.login_id)
            .join(Card, CardUsage.card_pk == Card.id)
            .join(CardMember, Card.member_id == CardMember.id)
            .join(Customer, CardMember.customer_id == Customer.id)
            .where(CardUsage.amount < 0)
            .order_by(CardUsage.id)
        ).first()
        assert row is not None, "the seed made no cancellation"
        cancellation, card_id, login_id = row
        original = session.scalar(
            select(CardUsage).where(
                CardUsage.card_pk == cancellation.card_pk,
                CardUsage.merchant == cancellation.merchant,
                CardUsage.amount == -cancellation.amount,
            )
        )
        assert original is not None
        billed = session.scalar(
            select(func.count()).select_from(Statement).where(Statement.card_pk == cancellation.card_pk)
        )
        assert billed
    tokens = tokens_for(sandbox, login_id, ALL_CARD_SCOPES)
    page = _json(
        _get(
            sandbox,
            tokens,
            f"/cards/{card_id}/transactions",
            dateFrom=original.used_on.isoformat(),
            dateTo=cancellation.used_on.isoformat(),
            limit="500",
        )
    )
    lines = {line["transactionId"]: line for line in page["transactions"]}
    negative, positive = lines[cancellation.usage_id], lines[original.usage_id]
    assert negative["status"] == "cancelled" and int(negative["amount"]) == -int(positive["amount"]) < 0
    assert "approvalNumber" not in negative
    assert positive["status"] in {"confirmed", "unconfirmed"}
    assert len(positive["approvalNumber"]) == 6 and positive["approvalNumber"].isdigit()
    for line in page["transactions"]:
        if line["status"] == "confirmed":
            assert line["billingMonth"]
        if line["status"] == "unconfirmed":
            assert "billingMonth" not in line
