"""Generate a package from a spec given as data and import it, for tests of what generated code does."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from generic_spec import allow_generic_spec

from renkei.generation.command import run_generate


@contextmanager
def generated_package(spec: dict[str, Any], file_name: str, root: Path) -> Iterator[ModuleType]:
    """`renkei generate` of `spec` written to `root/file_name`; yields the imported package (its models,
    server and client imported too) and forgets its modules afterwards. `spec` is a generic document: the
    standard's guideline rules are off for it."""
    path = root / file_name
    allow_generic_spec(root)
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert run_generate([path], root / "out", None, False) == 0
    [package_dir] = [p for p in (root / "out").iterdir() if (p / "pyproject.toml").exists()]
    package = package_dir.name
    sys.path.insert(0, str(package_dir))
    try:
        for name in ("models", "server", "client"):
            importlib.import_module(f"{package}.{name}")
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(package_dir))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
