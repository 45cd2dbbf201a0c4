"""What the IR asks of the type layer: a protocol, implemented by `renkei.models.hints.TypeHints`, so that the
IR never imports the models layer above it."""

from __future__ import annotations

from typing import Any, Literal, Protocol

__all__ = ["Shape", "TypeHinter"]

Shape = Literal["request", "response"]


class TypeHinter(Protocol):
    def resolve(self, schema: Any) -> Any:
        """`schema` with a top-level `$ref` followed."""
        ...

    def hint(self, schema: Any, shape: Shape, *, constrained: bool = False) -> str:
        """The Python type expression of `schema` in a generated module."""
        ...
