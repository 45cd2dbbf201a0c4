"""A compact index from (container, key) to the source position of that entry.

Positions are keyed by the identity of the dict/list holding the entry, so the index survives moving a
subtree into another document (bundling): the subtree keeps the position it had in its own file.
Files parsed on a fast path without positions (JSON) register a deferred filler that runs on the first
lookup that misses, so positions cost nothing until a finding needs one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from renkei.loading.errors import SourceLocation

Key = str | int

_COLUMN_BITS = 21
_LINE_BITS = 21
_FIELD_MASK = (1 << _COLUMN_BITS) - 1


class LocationIndex:
    """Source positions of mapping entries (the key's position) and sequence items, across files."""

    def __init__(self) -> None:
        self._files: list[Path] = []
        self._file_numbers: dict[Path, int] = {}
        self._positions: dict[tuple[int, Key], int] = {}
        self._roots: dict[int, int] = {}
        self._aliases: dict[tuple[int, Key], tuple[Any, Key | None]] = {}
        self._deferred: list[Callable[[], None]] = []
        # The index is keyed by id(): keep every indexed container alive so that no id is ever reused.
        self._alive: list[Any] = []

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file an indexed node came from, in the order they were first read."""
        return tuple(self._files)

    def file_number(self, path: Path) -> int:
        number = self._file_numbers.get(path)
        if number is None:
            number = len(self._files)
            self._files.append(path)
            self._file_numbers[path] = number
        return number

    @staticmethod
    def pack(file_number: int, line: int, column: int) -> int:
        """Pack a 1-based position into one int (cheap to store for hundreds of thousands of nodes)."""
        return (file_number << (_LINE_BITS + _COLUMN_BITS)) | (line << _COLUMN_BITS) | column

    def unpack(self, packed: int) -> SourceLocation:
        column = packed & _FIELD_MASK
        line = (packed >> _COLUMN_BITS) & ((1 << _LINE_BITS) - 1)
        return SourceLocation(self._files[packed >> (_LINE_BITS + _COLUMN_BITS)], line, column)

    @property
    def positions(self) -> dict[tuple[int, Key], int]:
        """The raw table, for the readers to fill quickly."""
        return self._positions

    def defer(self, filler: Callable[[], None]) -> None:
        """Register a function that fills positions later (on the first lookup that misses)."""
        self._deferred.append(filler)

    def fill_deferred(self) -> None:
        """Fill every deferred position now (before the document's containers are rearranged)."""
        self._fill_deferred()

    def _fill_deferred(self) -> bool:
        if not self._deferred:
            return False
        fillers, self._deferred = self._deferred, []
        for filler in fillers:
            filler()
        return True

    def add_root(self, root: Any, packed: int) -> None:
        self._roots[id(root)] = packed
        self._alive.append(root)

    def root(self, root: Any) -> SourceLocation | None:
        packed = self.packed(root, None)
        return None if packed is None else self.unpack(packed)

    def get(self, container: Any, key: Key) -> SourceLocation | None:
        packed = self.packed(container, key)
        return None if packed is None else self.unpack(packed)

    def packed(self, container: Any, key: Key | None) -> int | None:
        """The packed position of `container[key]`, or of `container` itself (a file's root) for None."""
        if key is None:
            return self._roots.get(id(container))
        entry = (id(container), key)
        packed = self._positions.get(entry)
        if packed is None and self._fill_deferred():
            packed = self._positions.get(entry)
        if packed is None and entry in self._aliases:
            source, source_key = self._aliases[entry]
            packed = self.packed(source, source_key)
            if packed is not None:
                self._positions[entry] = packed
        return packed

    def alias(self, container: Any, key: Key, source: Any, source_key: Key | None) -> None:
        """`container[key]` is located where `source[source_key]` is (or `source` itself, a file's root,
        for None): a bundled component keeps the position it has in its own file."""
        self._aliases[(id(container), key)] = (source, source_key)
        self._alive.append(container)
        self._alive.append(source)
