"""Named points inside createTransfer where a test can pause a request, or kill the process serving it.

Hooks are called with the point and the request's Idempotency-Key; none is installed outside tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

CLAIMED = "claimed"
"""The key's record is registered and committed; the ledger transaction has not begun."""
LEDGER_WRITTEN = "ledger_written"
"""Inside the ledger transaction: transfer and postings written, the claim not yet completed."""

Hook = Callable[[str, str], None]
_hooks: list[Hook] = []


def reach(point: str, key: str) -> None:
    for hook in tuple(_hooks):
        hook(point, key)


@contextmanager
def installed(hook: Hook) -> Iterator[None]:
    _hooks.append(hook)
    try:
        yield
    finally:
        _hooks.remove(hook)
