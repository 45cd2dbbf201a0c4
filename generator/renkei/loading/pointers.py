"""JSON Pointer (RFC 6901) helpers for `$ref` fragments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from renkei.loading.locations import Key


class PointerError(LookupError):
    """The pointer does not lead to a node; `depth` is how many tokens did resolve."""

    def __init__(self, depth: int) -> None:
        super().__init__(depth)
        self.depth = depth


def parse_fragment(fragment: str) -> tuple[str, ...]:
    """`/components/schemas/A~1B` (URI fragment, percent-encoded) -> ("components", "schemas", "A/B")."""
    text = unquote(fragment)
    if not text:
        return ()
    if not text.startswith("/"):
        raise ValueError(f"not a JSON pointer: #{fragment}")
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in text[1:].split("/"))


def escape_token(token: Key) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def to_fragment(tokens: Sequence[Key]) -> str:
    return "".join("/" + escape_token(token) for token in tokens)


def step(node: Any, token: Key) -> tuple[bool, Any]:
    """One pointer step: (found, child)."""
    if isinstance(node, dict):
        key = str(token)
        if key in node:
            return True, node[key]
        return False, None
    if isinstance(node, list):
        if isinstance(token, int):
            number = token
        elif token.isdigit() and (token == "0" or not token.startswith("0")):
            number = int(token)
        else:
            return False, None
        if 0 <= number < len(node):
            return True, node[number]
    return False, None


def resolve(document: Any, tokens: Sequence[Key]) -> Any:
    node = document
    for depth, token in enumerate(tokens):
        found, node = step(node, token)
        if not found:
            raise PointerError(depth)
    return node
