"""Pagination iterators over a real 3-page listing, shaped as a generated client uses them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from renkei_runtime.client import (
    BaseAsyncClient,
    BaseClient,
    PaginationLoopError,
    aiterate_pages,
    iterate_pages,
)


def _next_cursor(page: dict[str, Any]) -> str | None:
    return page.get("nextCursor") if page["hasNext"] else None


class ItemsClient(BaseClient):
    def list_items(self, *, cursor: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self._request("GET", "items", params={"cursor": cursor}).json()
        return result

    def iter_list_items(self) -> Iterator[dict[str, Any]]:
        return iterate_pages(lambda cursor: self.list_items(cursor=cursor), _next_cursor)


class AsyncItemsClient(BaseAsyncClient):
    async def list_items(self, *, cursor: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = (await self._request("GET", "items", params={"cursor": cursor})).json()
        return result

    def iter_list_items(self) -> AsyncIterator[dict[str, Any]]:
        return aiterate_pages(lambda cursor: self.list_items(cursor=cursor), _next_cursor)


def test_iterates_three_pages_in_order(api):
    with ItemsClient(api.base_url) as client:
        pages = list(client.iter_list_items())
    assert [page["items"] for page in pages] == [[1, 2], [3, 4], [5]]
    assert api.state.cursors == [None, "c2", "c3"]


def test_iteration_is_lazy(api):
    with ItemsClient(api.base_url) as client:
        first = next(client.iter_list_items())
    assert first["items"] == [1, 2]
    assert api.state.cursors == [None]


@pytest.mark.anyio
async def test_async_iterates_three_pages_in_order(api):
    async with AsyncItemsClient(api.base_url) as client:
        pages = [page async for page in client.iter_list_items()]
    assert [page["items"] for page in pages] == [[1, 2], [3, 4], [5]]
    assert api.state.cursors == [None, "c2", "c3"]


def test_a_repeated_cursor_stops_with_an_error():
    pages = {None: {"hasNext": True, "nextCursor": "a"}, "a": {"hasNext": True, "nextCursor": "a"}}
    with pytest.raises(PaginationLoopError, match="'a' twice"):
        list(iterate_pages(lambda cursor: pages[cursor], _next_cursor))
