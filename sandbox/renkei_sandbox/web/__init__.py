"""The customer-facing pages: login, consent and connected apps (Japanese, server-rendered)."""
