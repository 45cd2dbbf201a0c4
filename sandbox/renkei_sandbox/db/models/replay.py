"""One-time values seen by the authorization and resource servers, shared by every worker.

`jti` values of client assertions and DPoP proofs are kept (hashed) until they could no longer be accepted
anyway; the unique key makes "first use wins" atomic across workers. `ServerSecret` holds the key of the
stateless DPoP nonces, created once per database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from renkei_sandbox.db.base import Base


class SeenJti(Base):
    __tablename__ = "seen_jtis"

    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    """`client_assertion` or `dpop`."""
    jti_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ServerSecret(Base):
    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
