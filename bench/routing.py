"""Time to route one request among many operations: renkei's `OperationRouter` beside Starlette's `Router`.

300 operation routes (`/res{i}/{id}/items/{item_id}`, GET and POST for each of 150 resources, as the
generated `routes()` makes them: one route per operation), a POST to the first, the middle and the last
resource; each router calls a no-op ASGI endpoint. Best of 5 repeats of 2,000 calls each, in process.
"""

from __future__ import annotations

import timeit
from dataclasses import dataclass
from typing import Any

from starlette.routing import Router
from starlette.types import Receive, Scope, Send

from renkei_runtime.server import OperationRoute, OperationRouter

RESOURCES = 150


class _NoOp:
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        return None


@dataclass(frozen=True)
class Result:
    target: str
    starlette_us: float
    renkei_us: float


def _routes() -> list[OperationRoute]:
    return [
        OperationRoute(f"/res{i}/{{id}}/items/{{item_id}}", _NoOp(), methods=[method])
        for i in range(RESOURCES)
        for method in ("GET", "POST")
    ]


def _time(router: Any, path: str) -> float:
    async def receive() -> Any:
        return {}

    async def send(message: Any) -> None:
        return None

    def call() -> None:
        scope = {"type": "http", "path": path, "raw_path": path.encode(), "root_path": "", "method": "POST"}
        try:
            router.app(scope, receive, send).send(None)
        except StopIteration:
            pass

    return min(timeit.repeat(call, number=2000, repeat=5)) / 2000 * 1e6


def run() -> list[Result]:
    starlette, renkei = Router(routes=_routes()), OperationRouter(routes=_routes())
    results = []
    for label, index in (("first", 0), ("middle", RESOURCES // 2), ("last", RESOURCES - 1)):
        path = f"/res{index}/r1/items/x"
        target = f"{label}: operation {2 * index + 2} of {2 * RESOURCES}"
        results.append(Result(target, _time(starlette, path), _time(renkei, path)))
    return results


def to_markdown(results: list[Result]) -> str:
    lines = [
        "| POST to the operation | Starlette `Router` | renkei `OperationRouter` | ratio |",
        "| --- | --- | --- | --- |",
    ]
    for r in results:
        ratio = r.starlette_us / r.renkei_us
        lines.append(f"| {r.target} | {r.starlette_us:.1f} µs | {r.renkei_us:.1f} µs | {ratio:.1f}x |")
    return "\n".join(lines)
