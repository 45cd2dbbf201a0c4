"""Abuse limits kept in the database (so that every worker sees the same counts): rate limits with 429 and
`Retry-After`, and the login lockout."""
