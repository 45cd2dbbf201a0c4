"""Iterators over cursor-paginated operations (`hasNext` / `nextCursor` in the standard)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

P = TypeVar("P")


class PaginationLoopError(RuntimeError):
    """The server handed out a cursor it had already handed out: following it would never end."""


def iterate_pages(fetch: Callable[[str | None], P], next_cursor: Callable[[P], str | None]) -> Iterator[P]:
    """Every page: `fetch(None)` first, then `fetch(cursor)` while `next_cursor(page)` gives a cursor."""
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield page
        cursor = _advance(next_cursor(page), seen)
        if cursor is None:
            return


async def aiterate_pages(
    fetch: Callable[[str | None], Awaitable[P]], next_cursor: Callable[[P], str | None]
) -> AsyncIterator[P]:
    """The async form of `iterate_pages`."""
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        yield page
        cursor = _advance(next_cursor(page), seen)
        if cursor is None:
            return


def _advance(cursor: str | None, seen: set[str]) -> str | None:
    if cursor is None or cursor == "":
        return None
    if cursor in seen:
        raise PaginationLoopError(f"the server returned cursor {cursor!r} twice")
    seen.add(cursor)
    return cursor
