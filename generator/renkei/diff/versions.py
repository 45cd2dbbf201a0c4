"""One version of one API: its bundled document and how its files are named in the report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from renkei.diff.nodes import Node, Tokens, resolve
from renkei.loading import LoadedSpec
from renkei.loading.errors import display_path


@dataclass(frozen=True)
class Version:
    """`label` names the version (`spec/card.yaml`, `v1.0.0:spec/card.yaml`); `name_file` turns a file the
    loader read into what the report shows (a file materialized from a git revision shows as `REV:path`)."""

    label: str
    loaded: LoadedSpec
    name_file: Callable[[Path], str] = display_path

    @property
    def document(self) -> dict[str, Any]:
        return self.loaded.document

    @property
    def root(self) -> Node:
        return Node(self.document, ())

    def resolve(self, node: Node) -> Node:
        return resolve(self.document, node)

    def where(self, tokens: Tokens) -> tuple[str, int] | None:
        """(file, line) of the node at `tokens`, or its nearest located ancestor."""
        location = self.loaded.locate(tokens)
        if location is None:
            return None
        return self.name_file(location.file), location.line
