"""Shared by the runtime tests: a generated package from a spec, imported from a temporary directory."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from generic_spec import allow_generic_spec

from renkei.generation.command import run_generate

GeneratePackage = Callable[[Path, str], ModuleType]


@pytest.fixture(scope="session")
def generate_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratePackage]:
    """`generate_package(spec, package)`: `spec` generated as `package`, imported with its `models`,
    `service`, `server` and `client` modules; the output directories leave sys.path at the session's end."""
    added: list[str] = []

    def generate(spec: Path, package: str) -> ModuleType:
        root = tmp_path_factory.mktemp(package)
        target = root / f"{package.replace('_', '-')}.yaml"
        shutil.copy(spec, target)
        allow_generic_spec(root)
        assert run_generate([target], root / "out", None, False) == 0
        added.append(str(root / "out" / package))
        sys.path.insert(0, added[-1])
        module = importlib.import_module(package)
        for name in ("models", "service", "server", "client"):
            importlib.import_module(f"{package}.{name}")
        return module

    yield generate
    for path in added:
        sys.path.remove(path)
