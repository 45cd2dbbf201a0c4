"""`load_spec`: the one way the toolkit reads an OpenAPI document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from renkei.loading.bundling import Bundler
from renkei.loading.errors import SourceLocation, SpecError
from renkei.loading.locations import LocationIndex
from renkei.loading.pointers import step
from renkei.loading.swagger import convert_swagger, is_swagger


@dataclass(frozen=True)
class LoadedSpec:
    """A bundled, self-contained OpenAPI document and where each of its nodes came from.

    `document` has only local `$ref`s (`#/...`); components copied from other files sit under
    `components`. Treat it as read-only: `locate` follows the document's own containers.
    """

    path: Path
    document: dict[str, Any]
    _index: LocationIndex = field(repr=False, compare=False)
    problems: tuple[SpecError, ...] = ()
    """Tolerant loading only: every bad `$ref` (and name clash) found, in the order found."""
    unresolved: frozenset[int] = frozenset()
    """Tolerant loading only: `id()`s of the reference objects whose `$ref` could not be followed (the
    `$ref` key was taken out). A finding inside one of them is a consequence of that problem."""

    @property
    def files(self) -> tuple[Path, ...]:
        """The document's file and every file its `$ref`s reached."""
        return self._index.files

    def locate(self, pointer: Sequence[str | int]) -> SourceLocation | None:
        """Where the node at `pointer` (tokens, not a string) came from: the position of its key (or
        sequence item) in its own file; the nearest located ancestor when the node itself has none."""
        node: Any = self.document
        best = self._index.root(node)
        for token in pointer:
            key: str | int = token
            if isinstance(node, list) and isinstance(token, str) and token.isdigit():
                key = int(token)
            elif isinstance(node, dict):
                key = str(token)
            found, child = step(node, key)
            if not found:
                break
            best = self._index.get(node, key) or best
            node = child
        return best

    def through_unresolved(self, pointer: Sequence[str | int]) -> bool:
        """Whether `pointer` passes through (or ends at) a reference object that could not be followed."""
        if not self.unresolved:
            return False
        node: Any = self.document
        for token in pointer:
            if id(node) in self.unresolved:
                return True
            key: str | int = token
            if isinstance(node, list) and isinstance(token, str) and token.isdigit():
                key = int(token)
            found, node = step(node, key)
            if not found:
                return False
        return id(node) in self.unresolved


def load_spec(path: Path, *, tolerant: bool = False) -> LoadedSpec:
    """Load `path` (YAML or JSON) and every file its `$ref`s reach; bundle them into one document
    (a Swagger 2.0 document is then converted to OpenAPI 3.0, each node keeping its source position).

    Raises SpecError for every failure (broken YAML, missing file, unresolvable/cyclic/remote `$ref`,
    clashing component names); nothing else escapes. With `tolerant`, only a root document that cannot
    be read raises: the problems of its references are collected in `LoadedSpec.problems` instead.
    """
    index = LocationIndex()
    try:
        bundler = Bundler(path, index, tolerant=tolerant)
        document = bundler.bundle()
        if is_swagger(document):
            index.fill_deferred()  # JSON positions are filled from the unconverted tree
            document = convert_swagger(document, index)
    except SpecError:
        raise
    except RecursionError:
        raise SpecError("yaml-syntax", f"{path}: document nested too deeply") from None
    except (OSError, ValueError, LookupError, TypeError) as error:  # a loader bug must not be a traceback
        raise SpecError("load-failed", f"{path}: cannot load: {type(error).__name__}: {error}") from None
    return LoadedSpec(
        path=path,
        document=document,
        _index=index,
        problems=tuple(bundler.problems),
        unresolved=frozenset(id(ref) for ref in bundler.unresolved),
    )
