"""The reference provider: the generated APIs over a real database, with an OAuth 2.0 authorization server."""
