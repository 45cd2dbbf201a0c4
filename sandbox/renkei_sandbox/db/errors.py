"""One-line descriptions of database errors for command-line output."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError


def describe_database_error(error: SQLAlchemyError) -> str:
    """`ErrorClass: first line of the message` (the driver's hints and SQLAlchemy's links dropped)."""
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return f"{original.__class__.__name__}: {lines[0] if lines else 'database error'}"
