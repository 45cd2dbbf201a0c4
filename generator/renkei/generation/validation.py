"""A document's structural problem as a located SpecError.

`renkei generate` checks structure in a child process beside generation (`renkei.generation.background`);
the problem it finds is located here, in the parent, which holds the source positions.
"""

from __future__ import annotations

import re
from typing import Any

from renkei.generation.structure import StructureProblem
from renkei.loading import LoadedSpec, SpecError

__all__ = ["raise_for_problem"]


_OPERATION = re.compile(r"for '(?P<method>[a-z]+)'(?: operation)? in '(?P<path>[^']+)'")
_PARAMETER = re.compile(r"[Pp]ath parameter '(?P<name>[^']+)'")


def _semantic_pointer(message: str, document: dict[str, Any]) -> list[str]:
    """openapi-spec-validator's semantic errors carry no path: recover the operation (and parameter)."""
    found = _OPERATION.search(message)
    if not found:
        return []
    pointer = ["paths", found["path"], found["method"]]
    if "Operation ID" in message:
        return [*pointer, "operationId"]
    parameter = _PARAMETER.search(message)
    operation = ((document.get("paths") or {}).get(found["path"]) or {}).get(found["method"]) or {}
    if parameter and isinstance(operation, dict):
        for index, item in enumerate(operation.get("parameters") or []):
            if isinstance(item, dict) and item.get("name") == parameter["name"]:
                return [*pointer, "parameters", str(index)]
    return pointer


def raise_for_problem(loaded: LoadedSpec, problem: StructureProblem | None) -> None:
    """Raise `problem` as a SpecError located in `loaded`'s files (nothing when it is None)."""
    if problem is None:
        return
    pointer = list(problem.pointer) or _semantic_pointer(problem.message, loaded.document)
    message = problem.message
    location = loaded.locate(pointer)
    if problem.rule == "openapi-structure" and (location is None or not pointer):
        message += f" (at {'/'.join(pointer) or 'the document root'})"
    raise SpecError(problem.rule, message, location)
