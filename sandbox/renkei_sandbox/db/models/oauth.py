"""The authorization server's state: clients, pending requests, codes, grants, tokens and browser sessions.

Every secret (client secret, code, token, session id) is stored only as its SHA-256 hash: they are random
values of at least 256 bits, so a fast hash is enough to make a database leak useless.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from renkei_sandbox.db.base import Base

CHECKLIST_NOT_SUBMITTED = "not_submitted"
CHECKLIST_STATUSES = (CHECKLIST_NOT_SUBMITTED, "submitted", "approved")


class OAuthClient(Base):
    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    token_endpoint_auth_method: Mapped[str] = mapped_column(String(32), default="client_secret_basic")
    jwks: Mapped[str | None] = mapped_column(Text)
    """For private_key_jwt: the client's public keys, a JWK set (JSON), when registered inline."""
    jwks_uri: Mapped[str | None] = mapped_column(Text, default=None)
    """For private_key_jwt: where the client publishes its JWK set (fetched on each authentication)."""
    created_at: Mapped[datetime]
    registration_number: Mapped[str | None] = mapped_column(String(60), default=None)
    """電子決済等代行業者 登録番号 (e.g. 関東財務局長（電代）第1号), shown on the consent page."""
    purpose: Mapped[str | None] = mapped_column(Text, default=None)
    """利用目的, shown on the consent page."""
    contact: Mapped[str | None] = mapped_column(Text, default=None)
    """問い合わせ先 of the connector, shown on the consent page."""
    checklist_status: Mapped[str] = mapped_column(
        String(16), default=CHECKLIST_NOT_SUBMITTED, server_default=CHECKLIST_NOT_SUBMITTED
    )
    """API接続チェックリスト (spec/onboarding): not_submitted, submitted or approved."""
    suspended_at: Mapped[datetime | None] = mapped_column(default=None)
    """When the provider suspended the connector (利用停止): its tokens then get 403 client_suspended."""


class AuthorizationRequest(Base):
    """A validated authorization request waiting for the customer's login and consent.

    In the FAPI profile only the PAR endpoint creates them (`request_uri`); the plain profile's /authorize
    also does (no `request_uri`).
    """

    __tablename__ = "authorization_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    """Random reference carried by the browser between the login and consent pages."""
    request_uri: Mapped[str | None] = mapped_column(String(120), unique=True)
    client_pk: Mapped[int] = mapped_column(ForeignKey("oauth_clients.id"))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    state: Mapped[str | None] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(128))
    bank_code: Mapped[str | None] = mapped_column(String(4))
    dpop_jkt: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class Grant(Base):
    """A customer's consent for one client at one bank: the scopes and the resources it covers."""

    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    client_pk: Mapped[int] = mapped_column(ForeignKey("oauth_clients.id"))
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"))
    scope: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class GrantResource(Base):
    """An account or card the customer chose to share in a grant."""

    __tablename__ = "grant_resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_pk: Mapped[int] = mapped_column(ForeignKey("grants.id"), index=True)
    account_pk: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    card_pk: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))


class AuthorizationCode(Base):
    __tablename__ = "authorization_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_pk: Mapped[int] = mapped_column(ForeignKey("oauth_clients.id"))
    grant_pk: Mapped[int] = mapped_column(ForeignKey("grants.id"))
    redirect_uri: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(128))
    dpop_jkt: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


TOKEN_ACCESS = "access"
TOKEN_REFRESH = "refresh"


class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    grant_pk: Mapped[int] = mapped_column(ForeignKey("grants.id"), index=True)
    client_pk: Mapped[int] = mapped_column(ForeignKey("oauth_clients.id"))
    scope: Mapped[str] = mapped_column(Text)
    cnf_jkt: Mapped[str | None] = mapped_column(String(64))
    """The DPoP key thumbprint the token is bound to (RFC 9449 `cnf.jkt`); NULL for bearer tokens."""
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class WebSession(Base):
    """A browser session of the consent pages; the cookie holds a random id, the table its hash."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
