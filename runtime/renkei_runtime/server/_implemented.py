"""Operations a service implementation leaves out answer 501 `not_implemented` with the standard body."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from renkei_runtime.server._context import RequestContext
from renkei_runtime.server._problems import ApiProblem

__all__ = ["not_implemented_call", "unimplemented_operations"]

logger = logging.getLogger("renkei.server")


def unimplemented_operations(service: object, protocol: type, names: Iterable[str]) -> frozenset[str]:
    """The operation methods `service` does not define, or inherits unchanged from the generated `protocol`
    (a subclass of the protocol that does not override a method); logged once, as a warning."""
    missing = []
    for name in names:
        method = getattr(type(service), name, None) or getattr(service, name, None)
        if method is None or method is getattr(protocol, name, None):
            missing.append(name)
    if missing:
        logger.warning(
            "%s does not implement %d operation(s), answered with 501: %s",
            type(service).__name__,
            len(missing),
            ", ".join(missing),
        )
    return frozenset(missing)


def not_implemented_call(name: str) -> Callable[[RequestContext, Any, Any], Awaitable[Any]]:
    """A service call that answers 501 with the standard error body."""

    async def call(ctx: RequestContext, params: Any, body: Any) -> Any:
        raise ApiProblem(501, "not_implemented", f"この提供者は {name} を提供していません。")

    return call
