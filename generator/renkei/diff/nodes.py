"""Nodes of a bundled document with the pointer they sit at; local `$ref`s followed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from renkei.loading.pointers import parse_fragment, to_fragment

Tokens = tuple[str, ...]

_MAX_REF_HOPS = 32


@dataclass(frozen=True)
class Node:
    """A value and where it is in its document (the pointer of the node after `$ref`s were followed)."""

    value: Any
    tokens: Tokens

    @property
    def pointer(self) -> str:
        return "#" + to_fragment(self.tokens)

    def get(self, key: str) -> Node | None:
        if isinstance(self.value, dict) and key in self.value:
            return Node(self.value[key], (*self.tokens, key))
        return None

    def mapping(self, key: str) -> dict[str, Node]:
        """The entries of the mapping under `key` (empty when absent or not a mapping)."""
        child = self.get(key)
        if child is None or not isinstance(child.value, dict):
            return {}
        return {str(name): Node(value, (*child.tokens, str(name))) for name, value in child.value.items()}

    def items(self, key: str) -> Iterator[Node]:
        child = self.get(key)
        if child is not None and isinstance(child.value, list):
            for number, value in enumerate(child.value):
                yield Node(value, (*child.tokens, str(number)))


def resolve(document: dict[str, Any], node: Node) -> Node:
    """Follow local `$ref`s from `node` to the node they name; a broken or cyclic chain gives `{}`."""
    for _ in range(_MAX_REF_HOPS):
        value = node.value
        if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
            return node
        ref: str = value["$ref"]
        if not ref.startswith("#"):
            return Node({}, node.tokens)
        try:
            tokens = parse_fragment(ref[1:])
        except ValueError:
            return Node({}, node.tokens)
        target: Any = document
        for token in tokens:
            if isinstance(target, dict) and token in target:
                target = target[token]
            elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                return Node({}, node.tokens)
        node = Node(target, tokens)
    return Node({}, node.tokens)
