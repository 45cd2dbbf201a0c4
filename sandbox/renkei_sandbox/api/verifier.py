"""The generated routers' TokenVerifier over the sandbox's token table."""

from __future__ import annotations

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from renkei_runtime.server import VerifiedToken
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Customer
from renkei_sandbox.oauth.tokens import verify_access_token


class SandboxTokenVerifier:
    """Accepts live access tokens only (not refresh tokens); revocation takes effect on the next request."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def verify(self, token: str) -> VerifiedToken | None:
        return await run_in_threadpool(self._verify, token)

    def _verify(self, token: str) -> VerifiedToken | None:
        with self._db.session() as session:
            principal = verify_access_token(session, token)
            if principal is None:
                return None
            login_id = session.scalar(select(Customer.login_id).where(Customer.id == principal.customer_id))
        return VerifiedToken(
            subject=login_id,
            client_id=principal.client_id,
            scopes=principal.scopes,
            bank_code=principal.bank_code,
            extra={"principal": principal},
        )
