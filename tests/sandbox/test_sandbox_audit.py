"""The audit trail over real HTTP: each event kind is written by the request that causes it, no secret ever
reaches the table, and the database refuses to change or delete an event."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sandbox_bodies import sample_transfer_request
from sandbox_flow import ALL_BANK_SCOPES, bank_of, exchange, hidden, login_and_consent, tokens_for
from sandbox_harness import TEST_TODAY, RunningSandbox
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from renkei_sandbox.db.models import Account, AuditEvent, Customer
from renkei_sandbox.seed.seeder import DEMO_PASSWORD


def last_event_id(sandbox: RunningSandbox) -> int:
    with sandbox.db.session() as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0)


def events_after(sandbox: RunningSandbox, mark: int, kind: str) -> list[AuditEvent]:
    with sandbox.db.session() as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.id > mark, AuditEvent.kind == kind)
                .order_by(AuditEvent.id)
            )
        )


def customer_id(sandbox: RunningSandbox, login_id: str) -> int:
    with sandbox.db.session() as session:
        found = session.scalar(select(Customer.id).where(Customer.login_id == login_id))
        assert found is not None
        return found


def account_of(sandbox: RunningSandbox, login_id: str) -> str:
    with sandbox.db.session() as session:
        found = session.scalar(
            select(Account.account_id)
            .join(Customer, Account.customer_id == Customer.id)
            .where(Customer.login_id == login_id, Account.deposit_type == "1")
            .order_by(Account.id)
        )
        assert found is not None
        return found


def transfer_body(account_id: str, amount: int, day: str | None = None) -> dict[str, Any]:
    body = sample_transfer_request(account_id, amount).model_dump(mode="json", by_alias=True)
    body["transferDesignatedDate"] = day or TEST_TODAY.isoformat()
    return body


def post_transfer(sandbox: RunningSandbox, token: str, key: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{sandbox.base_url}/v2/banks/2963/transfers",
        json=body,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        timeout=30,
    )


def fail_login(sandbox: RunningSandbox, login_id: str, password: str) -> list[str]:
    """A wrong password on the login page; returns the secrets the browser held (csrf token, cookie)."""
    with httpx.Client(base_url=sandbox.base_url, timeout=30) as browser:
        page = browser.get("/login")
        csrf = hidden(page.text, "csrf")
        form = {"csrf": csrf, "login_id": login_id, "password": password, "bank_code": "2963"}
        answer = browser.post("/login", data=form)
        assert answer.status_code == 400
        return [csrf, *browser.cookies.values()]


def test_transfer_created_replayed_conflicted_and_cancelled(sandbox: RunningSandbox) -> None:
    token = tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)["access_token"]
    account = account_of(sandbox, "demo01")
    mark = last_event_id(sandbox)
    first = post_transfer(sandbox, token, "audit-1", transfer_body(account, 1_200))
    again = post_transfer(sandbox, token, "audit-1", transfer_body(account, 1_200))
    other = post_transfer(sandbox, token, "audit-1", transfer_body(account, 1_300))
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    transfer_id = first.json()["transferId"]
    created = events_after(sandbox, mark, "transfer.created")
    assert [e.resource for e in created] == [f"transfers/{transfer_id}"]
    event = created[0]
    assert (event.client_id, event.customer_id, event.bank_code) == (
        sandbox.client.client_id,
        customer_id(sandbox, "demo01"),
        "2963",
    )
    assert event.details["amount"] == 1_200 and event.details["account_id"] == account
    assert event.source_address == "127.0.0.1"
    assert event.interaction_id == first.headers["x-fapi-interaction-id"]
    assert [e.resource for e in events_after(sandbox, mark, "transfer.replayed")] == [
        f"transfers/{transfer_id}"
    ]
    conflicted = events_after(sandbox, mark, "transfer.conflicted")
    assert [e.details["error"] for e in conflicted] == ["idempotency_key_reused"]

    scheduled = post_transfer(sandbox, token, "audit-2", transfer_body(account, 300, day="2026-11-24"))
    scheduled_id = scheduled.json()["transferId"]
    cancel = httpx.post(
        f"{sandbox.base_url}/v2/banks/2963/transfers/{scheduled_id}/cancel",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert cancel.status_code == 200
    cancelled = events_after(sandbox, mark, "transfer.cancelled")
    assert [e.resource for e in cancelled] == [f"transfers/{scheduled_id}"]


def test_consent_granted_and_revoked_by_client_and_by_customer(sandbox: RunningSandbox) -> None:
    mark = last_event_id(sandbox)
    tokens = tokens_for(sandbox, "demo02", ALL_BANK_SCOPES)
    granted = events_after(sandbox, mark, "consent.granted")
    assert len(granted) == 1
    assert granted[0].customer_id == customer_id(sandbox, "demo02")
    assert granted[0].details["scope"] == ALL_BANK_SCOPES
    revoked = httpx.post(
        f"{sandbox.base_url}/oauth/revoke",
        data={"token": tokens["refresh_token"]},
        auth=(sandbox.client.client_id, sandbox.client.client_secret),
    )
    assert revoked.status_code == 200
    by_client = events_after(sandbox, mark, "consent.revoked")
    assert [(e.resource, e.details["by"]) for e in by_client] == [(granted[0].resource, "client")]

    # The customer revokes another consent on the connected-apps page.
    tokens_for(sandbox, "demo02", ALL_BANK_SCOPES)
    second = events_after(sandbox, mark, "consent.granted")[-1]
    assert second.resource is not None
    grant_id = second.resource.removeprefix("grants/")
    with httpx.Client(base_url=sandbox.base_url, timeout=30) as browser:
        page = browser.get("/login")
        form = {
            "csrf": hidden(page.text, "csrf"),
            "login_id": "demo02",
            "password": DEMO_PASSWORD,
            "bank_code": bank_of(sandbox, "demo02"),
        }
        assert browser.post("/login", data=form).status_code == 303
        connections = browser.get("/account/connections")
        done = browser.post(
            f"/account/connections/{grant_id}/revoke", data={"csrf": hidden(connections.text, "csrf")}
        )
        assert done.status_code == 303
    by_customer = events_after(sandbox, mark, "consent.revoked")[-1]
    assert (by_customer.resource, by_customer.details["by"]) == (second.resource, "customer")


def test_a_customer_asking_for_another_customers_resource_is_audited(sandbox: RunningSandbox) -> None:
    token = tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)["access_token"]
    foreign = account_of(sandbox, "demo02")
    mark = last_event_id(sandbox)
    response = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/accounts/{foreign}/balance",
        headers={"Authorization": f"Bearer {token}"},
    )
    unknown = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/accounts/AZZZZZZZZZZZZZZZ/balance",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == unknown.status_code == 404
    assert response.json() == unknown.json()  # the denial reveals nothing
    denied = events_after(sandbox, mark, "access.denied")
    assert [(e.resource, e.details["reason"]) for e in denied] == [(f"accounts/{foreign}", "other_customer")]
    assert denied[0].customer_id == customer_id(sandbox, "demo01")


def test_authorization_code_reuse_is_audited(sandbox: RunningSandbox) -> None:
    authorized = login_and_consent(sandbox, "demo03", bank_of(sandbox, "demo03"))
    exchange(sandbox, authorized)
    mark = last_event_id(sandbox)
    again = httpx.post(
        f"{sandbox.base_url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": authorized.code,
            "redirect_uri": "http://127.0.0.1:9/callback",
            "code_verifier": authorized.verifier,
        },
        auth=(sandbox.client.client_id, sandbox.client.client_secret),
    )
    assert again.status_code == 400
    reused = events_after(sandbox, mark, "authorization_code.reused")
    assert len(reused) == 1
    assert reused[0].customer_id == customer_id(sandbox, "demo03")
    assert reused[0].client_id == sandbox.client.client_id


def test_login_failures_record_the_login_id_and_source_address(sandbox: RunningSandbox) -> None:
    mark = last_event_id(sandbox)
    fail_login(sandbox, "demo01", "not-the-password")
    fail_login(sandbox, "nobody-at-all", "whatever")
    failed = events_after(sandbox, mark, "login.failed")
    assert [(e.login_id, e.source_address) for e in failed] == [
        ("demo01", "127.0.0.1"),
        ("nobody-at-all", "127.0.0.1"),
    ]


def test_no_secret_ever_reaches_the_audit_trail(sandbox: RunningSandbox) -> None:
    wrong_password = "hunter2-but-longer"
    secrets = [
        DEMO_PASSWORD,
        wrong_password,
        sandbox.client.client_secret,
        sandbox.other_client.client_secret,
    ]
    secrets += fail_login(sandbox, "demo04", wrong_password)
    authorized = login_and_consent(sandbox, "demo04", bank_of(sandbox, "demo04"))
    tokens = exchange(sandbox, authorized)
    secrets += [authorized.code, authorized.verifier, tokens["access_token"], tokens["refresh_token"]]
    exchange_again = httpx.post(
        f"{sandbox.base_url}/oauth/token",
        data={"grant_type": "authorization_code", "code": authorized.code, "redirect_uri": "x"},
        auth=(sandbox.client.client_id, sandbox.client.client_secret),
    )
    assert exchange_again.status_code == 400
    with sandbox.db.session() as session:
        rows = session.execute(select(AuditEvent.__table__)).all()
    kinds = {row.kind for row in rows}
    assert {"login.failed", "consent.granted", "authorization_code.reused"} <= kinds
    dump = json.dumps([list(row) for row in rows], default=str, ensure_ascii=False)
    leaked = [secret for secret in secrets if secret and secret in dump]
    assert not leaked


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET kind = 'login.failed'", "DELETE FROM audit_events"]
)
def test_the_database_refuses_to_change_or_delete_audit_events(
    sandbox: RunningSandbox, statement: str
) -> None:
    def events() -> list[tuple[int, str]]:
        with sandbox.db.session() as session:
            return [tuple(row) for row in session.execute(select(AuditEvent.id, AuditEvent.kind)).all()]

    before = events()
    assert before
    with pytest.raises(DatabaseError, match="append-only"):
        with sandbox.db.write_session() as session, session.begin():
            session.execute(text(statement))
    assert events() == before
