"""The optional parts of the toolkit (pyproject extras) and the message when a command needs one that is
not installed: the base install checks, diffs, converts and documents specs; `generate` and
`conformance` bring their own dependencies."""

from __future__ import annotations

import importlib.util

EXTRAS: dict[str, tuple[str, ...]] = {
    "generate": ("datamodel_code_generator", "ruff"),
    "conformance": ("schemathesis",),
}


def missing_extra(extra: str) -> str | None:
    """None when every module of `extra` is importable, else a one-line message saying what to install."""
    missing = [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return (
        f"error: renkei {extra} needs {', '.join(missing)}, which this install lacks: "
        f"pip install 'renkei[{extra}]'"
    )
