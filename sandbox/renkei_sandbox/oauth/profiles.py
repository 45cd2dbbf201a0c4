"""What each profile accepts: the client authentication methods, in order of preference."""

from __future__ import annotations

from renkei_sandbox.config import Settings
from renkei_sandbox.oauth.client_assertion import PrivateKeyJwt
from renkei_sandbox.oauth.client_auth import ClientAuthenticator, ClientSecretBasic, ClientSecretPost


def authenticators_for(settings: Settings) -> tuple[ClientAuthenticator, ...]:
    """FAPI 2.0: private_key_jwt only (a client secret is answered `invalid_client`); plain: secrets too."""
    private_key_jwt = PrivateKeyJwt(settings.issuer)
    if settings.fapi:
        return (private_key_jwt,)
    return (private_key_jwt, ClientSecretBasic(), ClientSecretPost())
