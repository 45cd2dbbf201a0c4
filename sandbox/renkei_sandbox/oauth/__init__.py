"""The OAuth 2.0 authorization server (authorization code + PKCE S256, refresh, revocation, introspection)."""
