"""The generated routers' TokenVerifier over the sandbox's token table."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from renkei_runtime.server import VerifiedToken
from renkei_sandbox.db.engine import Database
from renkei_sandbox.oauth.tokens import verify_access_token_with_login


class SandboxTokenVerifier:
    """Accepts live access tokens only (not refresh tokens); revocation takes effect on the next request."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def verify(self, token: str) -> VerifiedToken | None:
        return await run_in_threadpool(self._verify, token)

    def _verify(self, token: str) -> VerifiedToken | None:
        with self._db.session() as session:
            return verified_token(session, token)


def verified_token(session: Session, token: str) -> VerifiedToken | None:
    """The VerifiedToken of a live access token, read in `session`; None for any other token."""
    verified = verify_access_token_with_login(session, token)
    if verified is None:
        return None
    principal, login_id = verified
    return VerifiedToken(
        subject=login_id,
        client_id=principal.client_id,
        scopes=principal.scopes,
        bank_code=principal.bank_code,
        extra={"principal": principal},
    )
