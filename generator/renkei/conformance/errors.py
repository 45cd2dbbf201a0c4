"""The one error that stops a conformance run before it can test anything (exit code 2)."""

from __future__ import annotations


class CannotRun(Exception):
    """The run could not start: unreachable URL, failed authentication, unreadable spec. One-line message."""
