"""Isolation per resource type: another customer's, another bank's or a non-consented id gets the same 404
as an id that does not exist."""

from __future__ import annotations

import httpx
import pytest
from sandbox_flow import ALL_BANK_SCOPES, ALL_CARD_SCOPES, tokens_for
from sandbox_harness import RunningSandbox
from sqlalchemy import select

from renkei_sandbox.db.models import Account, Card, CardMember, Customer, Statement

BOTH = f"{ALL_BANK_SCOPES} {ALL_CARD_SCOPES}"


def ids_of(sandbox: RunningSandbox, login_id: str) -> tuple[list[str], list[str], list[str]]:
    """(account ids, card ids, billing months of the first card) of a customer."""
    with sandbox.db.session() as session:
        customer = session.scalar(select(Customer).where(Customer.login_id == login_id))
        assert customer is not None
        accounts = list(session.scalars(select(Account.account_id).where(Account.customer_id == customer.id)))
        cards = list(
            session.scalars(
                select(Card.card_id)
                .join(CardMember, Card.member_id == CardMember.id)
                .where(CardMember.customer_id == customer.id)
            )
        )
        months: list[str] = []
        if cards:
            card_pk = session.scalar(select(Card.id).where(Card.card_id == cards[0]))
            months = list(
                session.scalars(select(Statement.billing_month).where(Statement.card_pk == card_pk))
            )
        return accounts, cards, months


def customer_with_cards(sandbox: RunningSandbox, exclude: str) -> str:
    with sandbox.db.session() as session:
        rows = session.execute(
            select(Customer.login_id, Customer.bank_code).join(
                CardMember, CardMember.customer_id == Customer.id
            )
        ).all()
    return next(login for login, _ in sorted(rows) if login != exclude)


@pytest.fixture(scope="module")
def owner(sandbox: RunningSandbox) -> str:
    return customer_with_cards(sandbox, exclude="")


@pytest.fixture(scope="module")
def intruder(sandbox: RunningSandbox, owner: str) -> tuple[str, dict[str, str]]:
    login = customer_with_cards(sandbox, exclude=owner)
    return login, tokens_for(sandbox, login, BOTH)


def assert_same_404(responses: list[httpx.Response]) -> None:
    assert [r.status_code for r in responses] == [404] * len(responses), [r.text for r in responses]
    bodies = {(r.json()["errorCode"], r.json()["errorMessage"]) for r in responses}
    assert len(bodies) == 1, bodies


def call(sandbox: RunningSandbox, token: str, path: str) -> httpx.Response:
    return httpx.get(f"{sandbox.base_url}/v2{path}", headers={"Authorization": f"Bearer {token}"})


ACCOUNT_PATHS = [
    "/banks/{bank}/accounts/{id}",
    "/banks/{bank}/accounts/{id}/balance",
    "/banks/{bank}/accounts/{id}/transactions",
]
CARD_PATHS = [
    "/cards/{id}",
    "/cards/{id}/available-credit",
    "/cards/{id}/statements",
    "/cards/{id}/transactions",
    "/cards/{id}/points",
]


@pytest.mark.parametrize("template", ACCOUNT_PATHS)
def test_account_resources(sandbox: RunningSandbox, owner: str, intruder, template: str) -> None:
    login, tokens = intruder
    token = tokens["access_token"]
    own_accounts, _, _ = ids_of(sandbox, login)
    with sandbox.db.session() as session:
        own_bank = session.scalar(select(Customer.bank_code).where(Customer.login_id == login))
        other_bank = session.scalar(select(Customer.bank_code).where(Customer.login_id == owner))
    others, _, _ = ids_of(sandbox, owner)
    assert call(sandbox, token, template.format(bank=own_bank, id=own_accounts[0])).status_code == 200
    assert_same_404(
        [
            call(sandbox, token, template.format(bank=own_bank, id=others[0])),  # another customer's account
            call(sandbox, token, template.format(bank=other_bank, id=others[0])),  # ...on its own bank's path
            call(sandbox, token, template.format(bank=own_bank, id="A000000000000000")),  # does not exist
            call(
                sandbox,
                token,
                template.format(bank="2951" if own_bank != "2951" else "2954", id=own_accounts[0]),
            ),
            call(sandbox, token, template.format(bank="2950", id=own_accounts[0])),  # the federation
        ]
    )


def test_account_list_on_another_bank_is_404(sandbox: RunningSandbox, intruder) -> None:
    login, tokens = intruder
    with sandbox.db.session() as session:
        own_bank = session.scalar(select(Customer.bank_code).where(Customer.login_id == login))
    other = "2951" if own_bank != "2951" else "2954"
    assert_same_404(
        [
            call(sandbox, tokens["access_token"], f"/banks/{other}/accounts"),
            call(sandbox, tokens["access_token"], "/banks/9999/accounts"),
        ]
    )


def test_accounts_not_chosen_on_the_consent_page_are_404(sandbox: RunningSandbox) -> None:
    accounts, _, _ = ids_of(sandbox, "demo01")
    assert len(accounts) >= 2, "demo01 needs two accounts for this test"
    tokens = tokens_for(sandbox, "demo01", ALL_BANK_SCOPES, share=[accounts[0]])
    listed = call(sandbox, tokens["access_token"], "/banks/2963/accounts").json()["accounts"]
    assert [a["accountId"] for a in listed] == [accounts[0]]
    assert_same_404(
        [
            call(sandbox, tokens["access_token"], f"/banks/2963/accounts/{accounts[1]}"),
            call(sandbox, tokens["access_token"], "/banks/2963/accounts/A000000000000000"),
        ]
    )


@pytest.mark.parametrize("template", CARD_PATHS)
def test_card_resources(sandbox: RunningSandbox, owner: str, intruder, template: str) -> None:
    login, tokens = intruder
    _, own_cards, _ = ids_of(sandbox, login)
    _, other_cards, _ = ids_of(sandbox, owner)
    token = tokens["access_token"]
    assert call(sandbox, token, template.format(id=own_cards[0])).status_code == 200
    assert_same_404(
        [
            call(sandbox, token, template.format(id=other_cards[0])),
            call(sandbox, token, template.format(id="C000000000000000")),
        ]
    )


def test_statements_of_another_customer(sandbox: RunningSandbox, owner: str, intruder) -> None:
    login, tokens = intruder
    _, own_cards, own_months = ids_of(sandbox, login)
    _, other_cards, other_months = ids_of(sandbox, owner)
    token = tokens["access_token"]
    assert call(sandbox, token, f"/cards/{own_cards[0]}/statements/{own_months[0]}").status_code == 200
    assert_same_404(
        [
            call(sandbox, token, f"/cards/{other_cards[0]}/statements/{other_months[0]}"),
            call(sandbox, token, f"/cards/{own_cards[0]}/statements/1999-01"),
        ]
    )


def test_transfers_of_another_client_or_customer(sandbox: RunningSandbox) -> None:
    """A transfer id made by another client (or not existing at all) is 404 for get and cancel alike."""
    from test_sandbox_api_transfers import create, ordinary_account, payee_body

    owner_tokens = tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)
    made = create(
        sandbox,
        owner_tokens["access_token"],
        "iso-1",
        payee_body(ordinary_account(sandbox, owner_tokens), 10),
    )
    assert made.status_code == 201
    transfer_id = made.json()["transferId"]
    other_app = tokens_for(sandbox, "demo01", ALL_BANK_SCOPES, client=sandbox.other_client)
    other_customer = tokens_for(sandbox, "demo14", ALL_BANK_SCOPES)  # also at 2963
    responses = [
        call(sandbox, other_app["access_token"], f"/banks/2963/transfers/{transfer_id}"),
        call(sandbox, other_customer["access_token"], f"/banks/2963/transfers/{transfer_id}"),
        call(sandbox, owner_tokens["access_token"], "/banks/2963/transfers/0000000000000000"),
        httpx.post(
            f"{sandbox.base_url}/v2/banks/2963/transfers/{transfer_id}/cancel",
            headers={"Authorization": f"Bearer {other_customer['access_token']}"},
        ),
    ]
    assert_same_404(responses)


def test_transfer_requests_from_an_account_not_consented(sandbox: RunningSandbox) -> None:
    """Fee check, name inquiry and transfer creation with someone else's (or no) account: the same 404."""
    from test_sandbox_api_transfers import EXTERNAL, payee_body

    tokens = tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    foreign_account = ids_of(sandbox, "demo14")[0][0]  # same bank, another customer
    responses = []
    for account_id in (foreign_account, "A000000000000000"):
        body = payee_body(account_id, 1_000)
        inquiry = {"accountId": account_id, **{k: v for k, v in EXTERNAL.items() if k != "beneficiaryName"}}
        responses += [
            httpx.post(f"{sandbox.base_url}/v2/banks/2963/transfer-fees", json=body, headers=headers),
            httpx.post(
                f"{sandbox.base_url}/v2/banks/2963/account-name-inquiries", json=inquiry, headers=headers
            ),
            httpx.post(
                f"{sandbox.base_url}/v2/banks/2963/transfers",
                json=body,
                headers={**headers, "Idempotency-Key": f"iso-{account_id}"},
            ),
        ]
    assert_same_404(responses)
