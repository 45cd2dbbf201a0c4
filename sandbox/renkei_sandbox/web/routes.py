"""Login, consent and connected-apps pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from renkei_sandbox.audit import CONSENT_REVOKED, LOGIN_FAILED, record_event, record_grant_event
from renkei_sandbox.config import REFRESH_TOKEN_TTL_SECONDS
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import (
    Account,
    AuthorizationRequest,
    Bank,
    Card,
    CardMember,
    Customer,
    Grant,
    GrantResource,
    OAuthClient,
    WebSession,
)
from renkei_sandbox.limits.lockout import record_failure, record_success, seconds_locked
from renkei_sandbox.limits.rates import count_request
from renkei_sandbox.logs import audit
from renkei_sandbox.oauth.authorize import RequestAlreadyCompleted, approve, deny, pending_request
from renkei_sandbox.oauth.scopes import ALL_SCOPES, wants_bank_data, wants_card_data
from renkei_sandbox.oauth.tokens import revoke_grant
from renkei_sandbox.passwords import verify_password_of
from renkei_sandbox.rendering import render_error_page, render_page
from renkei_sandbox.state import sandbox_state
from renkei_sandbox.web.sessions import (
    cookie_name,
    csrf_ok,
    current_session,
    end_session,
    set_cookie,
    start_session,
)

router = APIRouter()
_EXPIRED = "認可リクエストの有効期限が切れたか、既に処理されています。アプリからやり直してください。"
_LOGIN_FAILED = "ログインIDまたはパスワードが正しくありません。"
_NO_GRANT = "指定の連携が見つかりません。既に解除されている可能性があります。"
_LOGIN_LOCKED = "ログインの試行回数が上限に達しました。しばらく時間をおいて再度お試しください。"


def _servable_banks(session: Session) -> list[Bank]:
    return list(session.scalars(select(Bank).where(Bank.is_federation.is_(False)).order_by(Bank.code)))


def _customer(session: Session, web: WebSession | None) -> Customer | None:
    if web is None or web.customer_id is None:
        return None
    return session.get(Customer, web.customer_id)


def _login_page(
    request: Request,
    session: Session,
    web: WebSession,
    auth: AuthorizationRequest | None,
    error: str | None,
    status: int | None = None,
    headers: dict[str, str] | None = None,
    login_id: str = "",
    bank_code: str = "",
) -> Response:
    """The login form; after a failure it keeps the login id and the bank typed (never the password)."""
    client = session.get(OAuthClient, auth.client_pk) if auth else None
    fixed_bank = session.get(Bank, auth.bank_code) if auth and auth.bank_code else None
    context = {
        "csrf": web.csrf_token,
        "request_handle": auth.handle if auth else "",
        "client_name": client.name if client else None,
        "fixed_bank": fixed_bank,
        "banks": _servable_banks(session),
        "error": error,
        "login_id": login_id,
        "bank_code": bank_code,
    }
    response = render_page(request, "login.html", context, status or (400 if error else 200))
    response.headers.update(headers or {})
    return response


@router.get("/login", response_model=None)
def login_form(request: Request) -> Response:
    state = sandbox_state(request)
    handle = request.query_params.get("request")
    with state.db.write_session() as session, session.begin():
        auth = pending_request(session, handle) if handle else None
        if handle and auth is None:
            return render_error_page(request, _EXPIRED)
        web = current_session(session, request)
        customer = _customer(session, web)
        if web is not None and customer is not None and auth is not None:
            if auth.bank_code in (None, customer.bank_code):
                return RedirectResponse(f"/consent?request={auth.handle}", status_code=303)
        cookie = None
        if web is None:
            web, cookie = start_session(session, None)
            session.flush()
        response = _login_page(request, session, web, auth, None)
    if cookie:
        set_cookie(response, cookie, state.settings.secure_cookies)
    return response


@router.post("/login", response_model=None)
def login_submit(
    request: Request,
    csrf: Annotated[str, Form()],
    login_id: Annotated[str, Form()],
    password: Annotated[str, Form()],
    request_handle: Annotated[str, Form()] = "",
    bank_code: Annotated[str, Form()] = "",
) -> Response:
    state = sandbox_state(request)
    with state.db.write_session() as session, session.begin():
        web = current_session(session, request)
        if not csrf_ok(web, csrf):
            return render_error_page(request, "フォームの有効期限が切れました。もう一度お試しください。", 403)
        assert web is not None
        auth = pending_request(session, request_handle) if request_handle else None
        if request_handle and auth is None:
            return render_error_page(request, _EXPIRED)
        source = request.client.host if request.client else "unknown"
        verdict = count_request(session, state.settings.rate_limits, "login", f"source:{source}")
        if verdict is not None and not verdict.allowed:
            audit("login", "rate_limited", src_ip=source)
            return _login_page(
                request, session, web, auth, _LOGIN_LOCKED, 429, verdict.headers(), login_id, bank_code
            )
        lockout = state.settings.login_lockout
        wait = seconds_locked(session, lockout, login_id, source)
        if wait:
            audit("login", "locked", src_ip=source)
            return _login_page(
                request,
                session,
                web,
                auth,
                _LOGIN_LOCKED,
                429,
                {"Retry-After": str(wait)},
                login_id,
                bank_code,
            )
        chosen_bank = auth.bank_code if auth is not None and auth.bank_code else bank_code
        customer = session.scalar(select(Customer).where(Customer.login_id == login_id))
        valid = verify_password_of(password, customer.password_hash if customer is not None else None)
        if customer is None or not valid or customer.bank_code != chosen_bank:
            record_failure(session, lockout, login_id, source)
            audit("login", "failure", src_ip=source)
            record_event(session, LOGIN_FAILED, login_id=login_id, bank_code=chosen_bank[:4] or None)
            return _login_page(request, session, web, auth, _LOGIN_FAILED, None, None, login_id, bank_code)
        record_success(session, login_id)
        end_session(session, web)
        _, cookie = start_session(session, customer.id)
        audit("login", "success", customer=customer.login_id)
    target = f"/consent?request={auth.handle}" if auth is not None else "/account/connections"
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, cookie, state.settings.secure_cookies)
    return response


def _choices(session: Session, customer: Customer, scopes: list[str]) -> tuple[list[Account], list[Card]]:
    accounts: list[Account] = []
    cards: list[Card] = []
    if wants_bank_data(scopes):
        accounts = list(
            session.scalars(
                select(Account)
                .where(Account.customer_id == customer.id, Account.bank_code == customer.bank_code)
                .order_by(Account.id)
            )
        )
    if wants_card_data(scopes):
        cards = list(
            session.scalars(
                select(Card)
                .join(CardMember, Card.member_id == CardMember.id)
                .where(CardMember.customer_id == customer.id)
            )
        )
    return accounts, cards


def _consent_page(
    request: Request,
    session: Session,
    web: WebSession,
    customer: Customer,
    auth: AuthorizationRequest,
    error: str | None,
) -> Response:
    client = session.get(OAuthClient, auth.client_pk)
    bank = session.get(Bank, customer.bank_code)
    scopes = auth.scope.split()
    accounts, cards = _choices(session, customer, scopes)
    context = {
        "csrf": web.csrf_token,
        "request_handle": auth.handle,
        "client_name": client.name if client else "",
        "registration_number": client.registration_number if client else None,
        "purpose": client.purpose if client else None,
        "contact": client.contact if client else None,
        "bank": bank,
        "customer": customer,
        "scopes": [(s, ALL_SCOPES[s]) for s in scopes],
        "accounts": accounts,
        "cards": cards,
        "wants_accounts": wants_bank_data(scopes),
        "wants_cards": wants_card_data(scopes),
        "transfer_write": "transfers:write" in scopes or "transfers:cancel" in scopes,
        "transfer_cancel": "transfers:cancel" in scopes,
        "access_days": REFRESH_TOKEN_TTL_SECONDS // 86400,
        "expires_at": utcnow() + timedelta(seconds=REFRESH_TOKEN_TTL_SECONDS),
        "error": error,
    }
    return render_page(request, "consent.html", context, 400 if error else 200)


@router.get("/consent", response_model=None)
def consent_form(request: Request) -> Response:
    state = sandbox_state(request)
    handle = request.query_params.get("request")
    with state.db.write_session() as session, session.begin():
        auth = pending_request(session, handle)
        if auth is None:
            return render_error_page(request, _EXPIRED)
        web = current_session(session, request)
        customer = _customer(session, web)
        if web is None or customer is None or auth.bank_code not in (None, customer.bank_code):
            return RedirectResponse(f"/login?request={auth.handle}", status_code=303)
        return _consent_page(request, session, web, customer, auth, None)


@router.post("/consent", response_model=None)
def consent_submit(
    request: Request,
    csrf: Annotated[str, Form()],
    request_handle: Annotated[str, Form()],
    decision: Annotated[str, Form()],
    account_ids: Annotated[list[str] | None, Form()] = None,
    card_ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    try:
        return _decide(request, csrf, request_handle, decision, set(account_ids or []), set(card_ids or []))
    except RequestAlreadyCompleted:
        return render_error_page(request, _EXPIRED)


def _decide(
    request: Request, csrf: str, request_handle: str, decision: str, account_ids: set[str], card_ids: set[str]
) -> Response:
    state = sandbox_state(request)
    issuer = state.settings.issuer
    with state.db.write_session() as session, session.begin():
        web = current_session(session, request)
        customer = _customer(session, web)
        if not csrf_ok(web, csrf) or customer is None:
            return render_error_page(request, "フォームの有効期限が切れました。もう一度お試しください。", 403)
        assert web is not None
        auth = pending_request(session, request_handle)
        if auth is None or auth.bank_code not in (None, customer.bank_code):
            return render_error_page(request, _EXPIRED)
        client = session.get(OAuthClient, auth.client_pk)
        client_id = client.client_id if client else None
        if decision != "approve":
            audit("consent", "denied", client_id=client_id, customer=customer.login_id)
            return RedirectResponse(deny(session, auth, issuer), status_code=303)
        accounts, cards = _choices(session, customer, auth.scope.split())
        account_pks = [a.id for a in accounts if a.account_id in account_ids]
        card_pks = [c.id for c in cards if c.card_id in card_ids]
        if (accounts and not account_pks) or (cards and not card_pks) or (not accounts and not cards):
            return _consent_page(
                request, session, web, customer, auth, "共有する口座またはカードを選んでください。"
            )
        location = approve(session, auth, customer.id, customer.bank_code, account_pks, card_pks, issuer)
        audit("consent", "approved", client_id=client_id, customer=customer.login_id)
    return RedirectResponse(location, status_code=303)


def _grant_item(session: Session, grant: Grant, client: OAuthClient) -> dict[str, Any]:
    """What the connections page shows of one grant: enough to tell two grants of one app apart."""
    labels = []
    for resource in session.scalars(select(GrantResource).where(GrantResource.grant_pk == grant.id)):
        if resource.account_pk is not None:
            account = session.get(Account, resource.account_pk)
            if account is not None:
                labels.append(f"{account.nickname} {account.account_number}")
        if resource.card_pk is not None:
            card = session.get(Card, resource.card_pk)
            if card is not None:
                labels.append(f"{card.card_name} {card.masked_number[-4:]}")
    return {
        "grant_id": grant.grant_id,
        "client_name": client.name,
        "scopes": [ALL_SCOPES.get(s, s) for s in grant.scope.split()],
        "resources": labels,
        "created_at": grant.created_at,
        "expires_at": grant.created_at + timedelta(seconds=REFRESH_TOKEN_TTL_SECONDS),
    }


def _signed_in(session: Session, request: Request) -> tuple[WebSession, Customer] | None:
    web = current_session(session, request)
    customer = _customer(session, web)
    return (web, customer) if web is not None and customer is not None else None


def _own_grant(session: Session, customer: Customer, grant_id: str) -> tuple[Grant, OAuthClient] | None:
    row = session.execute(
        select(Grant, OAuthClient)
        .join(OAuthClient, Grant.client_pk == OAuthClient.id)
        .where(Grant.grant_id == grant_id, Grant.customer_id == customer.id)
    ).first()
    return (row[0], row[1]) if row is not None else None


@router.get("/account/connections", response_model=None)
def connections(request: Request) -> Response:
    state = sandbox_state(request)
    with state.db.session() as session:
        signed_in = _signed_in(session, request)
        if signed_in is None:
            return RedirectResponse("/login", status_code=303)
        web, customer = signed_in
        grants = session.execute(
            select(Grant, OAuthClient)
            .join(OAuthClient, Grant.client_pk == OAuthClient.id)
            .where(Grant.customer_id == customer.id, Grant.revoked_at.is_(None))
            .order_by(Grant.id)
        ).all()
        items = [_grant_item(session, grant, client) for grant, client in grants]
        revoked = _own_grant(session, customer, request.query_params.get("revoked", ""))
        revoked_name = revoked[1].name if revoked and revoked[0].revoked_at is not None else None
        bank = session.get(Bank, customer.bank_code)
        context = {
            "csrf": web.csrf_token,
            "customer": customer,
            "bank": bank,
            "connections": items,
            "revoked_name": revoked_name,
        }
        return render_page(request, "connections.html", context)


@router.get("/account/connections/{grant_id}/revoke", response_model=None)
def confirm_revoke(request: Request, grant_id: str) -> Response:
    """The confirmation step: what will stop working, and one button that does it."""
    state = sandbox_state(request)
    with state.db.session() as session:
        signed_in = _signed_in(session, request)
        if signed_in is None:
            return RedirectResponse("/login", status_code=303)
        web, customer = signed_in
        found = _own_grant(session, customer, grant_id)
        if found is None or found[0].revoked_at is not None:
            return render_error_page(request, _NO_GRANT, 404)
        context = {"csrf": web.csrf_token, "item": _grant_item(session, *found)}
        return render_page(request, "revoke_confirm.html", context)


@router.post("/account/connections/{grant_id}/revoke", response_model=None)
def revoke_connection(request: Request, grant_id: str, csrf: Annotated[str, Form()]) -> Response:
    state = sandbox_state(request)
    with state.db.write_session() as session, session.begin():
        web = current_session(session, request)
        customer = _customer(session, web)
        if not csrf_ok(web, csrf) or customer is None:
            return render_error_page(request, "フォームの有効期限が切れました。もう一度お試しください。", 403)
        grant = session.scalar(
            select(Grant).where(Grant.grant_id == grant_id, Grant.customer_id == customer.id)
        )
        if grant is None:
            return render_error_page(request, _NO_GRANT, 404)
        revoke_grant(session, grant.id)
        client = session.get(OAuthClient, grant.client_pk)
        client_id = client.client_id if client else ""
        record_grant_event(session, CONSENT_REVOKED, grant.id, client_id, {"by": "customer"})
        audit("grant_revoked_by_customer", "success", customer=customer.login_id, grant_id=grant.grant_id)
    return RedirectResponse(f"/account/connections?revoked={grant_id}", status_code=303)


@router.post("/logout", response_model=None)
def logout(request: Request, csrf: Annotated[str, Form()]) -> Response:
    state = sandbox_state(request)
    with state.db.write_session() as session, session.begin():
        web = current_session(session, request)
        if web is not None and csrf_ok(web, csrf):
            end_session(session, web)
    response = RedirectResponse("/login", status_code=303)
    secure = state.settings.secure_cookies
    response.delete_cookie(cookie_name(secure), path="/", secure=secure, httponly=True)
    return response
