"""RFC 8414 authorization-server metadata."""

from __future__ import annotations

from typing import Any

from renkei_sandbox.config import Settings
from renkei_sandbox.oauth.jose import ALLOWED_ALGORITHMS
from renkei_sandbox.oauth.profiles import authenticators_for
from renkei_sandbox.oauth.scopes import ALL_SCOPES


def server_metadata(settings: Settings) -> dict[str, Any]:
    issuer = settings.issuer
    methods = [a.method for a in authenticators_for(settings)]
    algorithms = list(ALLOWED_ALGORITHMS)
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/oauth/authorize",
        "pushed_authorization_request_endpoint": f"{issuer}/oauth/par",
        "require_pushed_authorization_requests": settings.fapi,
        "token_endpoint": f"{issuer}/oauth/token",
        "revocation_endpoint": f"{issuer}/oauth/revoke",
        "introspection_endpoint": f"{issuer}/oauth/introspect",
        "scopes_supported": list(ALL_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": methods,
        "token_endpoint_auth_signing_alg_values_supported": algorithms,
        "revocation_endpoint_auth_methods_supported": methods,
        "revocation_endpoint_auth_signing_alg_values_supported": algorithms,
        "introspection_endpoint_auth_methods_supported": methods,
        "introspection_endpoint_auth_signing_alg_values_supported": algorithms,
        "dpop_signing_alg_values_supported": algorithms,
        "authorization_response_iss_parameter_supported": True,
        "tls_client_certificate_bound_access_tokens": False,
    }
