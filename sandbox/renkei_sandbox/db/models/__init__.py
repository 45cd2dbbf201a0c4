"""All ORM models; importing this package registers every table on `Base.metadata`."""

from renkei_sandbox.db.models.audit import AuditEvent
from renkei_sandbox.db.models.banking import Account, Bank, Branch, Customer, Transaction
from renkei_sandbox.db.models.cards import (
    Card,
    CardMember,
    CardUsage,
    PointBalance,
    Statement,
    StatementBreakdown,
)
from renkei_sandbox.db.models.limits import RateLimitCounter
from renkei_sandbox.db.models.oauth import (
    AuthorizationCode,
    AuthorizationRequest,
    Grant,
    GrantResource,
    OAuthClient,
    Token,
    WebSession,
)
from renkei_sandbox.db.models.replay import SeenJti, ServerSecret
from renkei_sandbox.db.models.transfers import IdempotencyRecord, LedgerEntry, Transfer

__all__ = [
    "Account",
    "AuditEvent",
    "AuthorizationCode",
    "AuthorizationRequest",
    "Bank",
    "Branch",
    "Card",
    "CardMember",
    "CardUsage",
    "Customer",
    "Grant",
    "GrantResource",
    "IdempotencyRecord",
    "LedgerEntry",
    "OAuthClient",
    "PointBalance",
    "RateLimitCounter",
    "SeenJti",
    "ServerSecret",
    "Statement",
    "StatementBreakdown",
    "Token",
    "Transaction",
    "Transfer",
    "WebSession",
]
