"""RFC 8414 authorization-server metadata."""

from __future__ import annotations

from typing import Any

from renkei_sandbox.oauth.client_auth import supported_methods
from renkei_sandbox.oauth.scopes import ALL_SCOPES


def server_metadata(issuer: str) -> dict[str, Any]:
    methods = supported_methods()
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/oauth/authorize",
        "token_endpoint": f"{issuer}/oauth/token",
        "revocation_endpoint": f"{issuer}/oauth/revoke",
        "introspection_endpoint": f"{issuer}/oauth/introspect",
        "scopes_supported": list(ALL_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": methods,
        "revocation_endpoint_auth_methods_supported": methods,
        "introspection_endpoint_auth_methods_supported": methods,
        "authorization_response_iss_parameter_supported": True,
    }
