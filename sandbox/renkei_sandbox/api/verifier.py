"""The generated routers' TokenVerifier over the sandbox's token table, with DPoP (RFC 9449 §7).

A DPoP-bound token (`cnf.jkt`) is accepted only as `Authorization: DPoP <token>` with a proof of its key
whose `ath` is the token's hash and, when the server nonce is on (Settings.dpop_nonce, the default), whose
`nonce` is a current one: else 401 `use_dpop_nonce` with a `DPoP-Nonce` header (RFC 9449 §9); presented
as `Bearer` it is refused (no downgrade, §7.2). In the FAPI profile a token that is not sender-constrained
is refused everywhere, the transfer API included; the plain profile (local experiments) accepts bearer
tokens too."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from renkei_runtime.server import ApiProblem, VerifiedToken
from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.config import Settings
from renkei_sandbox.db.engine import Database
from renkei_sandbox.oauth.dpop import ALGS_CHALLENGE, DPoPError, check_proof
from renkei_sandbox.oauth.tokens import ConsentRefused, verify_access_token_with_login


def _dpop_problem(error: str, description: str, nonce: str | None = None) -> ApiProblem:
    """401 with the DPoP challenge (RFC 9449 §7.1); for `use_dpop_nonce` also the nonce to use (§9)."""
    challenge = f'DPoP algs="{ALGS_CHALLENGE}", error="{error}", error_description="{description}"'
    headers = {"WWW-Authenticate": challenge}
    if nonce is not None:
        headers["DPoP-Nonce"] = nonce
    return ApiProblem(401, error, description, headers=headers)


def _consent_problem(refused: ConsentRefused) -> ApiProblem:
    """401 consent_revoked / consent_expired (with an RFC 6750 challenge), 403 client_suspended."""
    if refused.status == 401:
        challenge = f'Bearer error="invalid_token", error_description="{refused.code}"'
        return ApiProblem(401, refused.code, refused.message, headers={"WWW-Authenticate": challenge})
    return ApiProblem(403, refused.code, refused.message)


class SandboxTokenVerifier:
    """Accepts live access tokens only (not refresh tokens); revocation takes effect on the next request."""

    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        """Without `settings`: the plain profile's rules, proofs checked against the request's own URL."""
        self._db = db
        self._settings = settings

    async def verify(self, token: str) -> VerifiedToken | None:
        """A bearer token without a request (never a DPoP-bound one)."""
        return await run_in_threadpool(self._verify, token, "bearer", None)

    async def verify_request(self, token: str, scheme: str, request: Request) -> VerifiedToken | None:
        return await run_in_threadpool(self._verify, token, scheme, request)

    def _verify(self, token: str, scheme: str, request: Request | None) -> VerifiedToken | None:
        if scheme == "dpop":  # the proof's jti goes into the replay cache: a write
            with self._db.write_session() as session, session.begin():
                return self._verified(session, token, scheme, request)
        with self._db.session() as session:
            return self._verified(session, token, scheme, request)

    def _verified(
        self, session: Session, token: str, scheme: str, request: Request | None
    ) -> VerifiedToken | None:
        try:
            verified = verify_access_token_with_login(session, token)
        except ConsentRefused as refused:
            raise _consent_problem(refused) from None
        if verified is None:
            return None
        self._check_binding(session, verified[0], token, scheme, request)
        return _as_verified_token(*verified)

    def _check_binding(
        self, session: Session, principal: AccessPrincipal, token: str, scheme: str, request: Request | None
    ) -> None:
        settings = self._settings
        if principal.cnf_jkt is None:
            if scheme != "bearer" or (settings is not None and settings.fapi):
                raise _dpop_problem("invalid_token", "the access token is not sender-constrained (DPoP)")
            return
        if scheme != "dpop" or request is None:
            raise _dpop_problem("invalid_token", "a DPoP-bound token must be sent with the DPoP scheme")
        issuer = settings.issuer if settings is not None else f"{request.url.scheme}://{request.url.netloc}"
        raw_path = request.scope.get("raw_path")
        path = raw_path.decode("latin-1").split("?", 1)[0] if raw_path else request.url.path
        try:
            proofs = request.headers.getlist("dpop")
            proof = check_proof(
                session,
                proofs,
                request.method,
                issuer + path,
                access_token=token,
                require_nonce=settings is not None and settings.dpop_nonce,
            )
        except DPoPError as error:
            raise _dpop_problem(error.error, error.description, error.nonce) from None
        if proof.jkt != principal.cnf_jkt:
            raise _dpop_problem("invalid_dpop_proof", "the proof is signed by another key than the token's")


def _as_verified_token(principal: AccessPrincipal, login_id: str) -> VerifiedToken:
    return VerifiedToken(
        subject=login_id,
        client_id=principal.client_id,
        scopes=principal.scopes,
        bank_code=principal.bank_code,
        extra={"principal": principal},
    )


def verified_token(session: Session, token: str) -> VerifiedToken | None:
    """The VerifiedToken of a live bearer access token, read in `session`; None for any other token
    (benchmarks: the plain profile's check without a request)."""
    try:
        verified = verify_access_token_with_login(session, token)
    except ConsentRefused:
        return None
    if verified is None or verified[0].cnf_jkt is not None:
        return None
    return _as_verified_token(*verified)
