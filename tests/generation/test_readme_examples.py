"""The Python examples of the generated READMEs and of docs/generated-code.md match the code: each block is
type-checked by mypy against the installed generated packages (method names, keywords, types), with the
names a reader fills in (tokens, ids, a body) declared as `Any`."""

from __future__ import annotations

import ast
import builtins
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = [*sorted((REPO / "generated").glob("*/README.md")), REPO / "docs" / "generated-code.md"]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks(markdown: str) -> list[str]:
    return [match.group(1) for match in _BLOCK.finditer(markdown)]


def free_names(tree: ast.Module) -> list[str]:
    """Names read but never bound in the block (what the reader supplies), builtins aside."""
    bound = {"__name__"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    read = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return sorted({name for name in read if name not in bound and not hasattr(builtins, name)})


def checkable_module(block: str) -> str:
    tree = ast.parse(block)
    header = ["from typing import Any", *(f"{name}: Any" for name in free_names(tree))]
    return "\n".join(header) + "\n\n" + block


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_python_example_type_checks(document: Path, tmp_path: Path) -> None:
    blocks = python_blocks(document.read_text(encoding="utf-8"))
    assert blocks, f"{document} has no Python example"
    files = []
    for number, block in enumerate(blocks, start=1):
        target = tmp_path / f"example_{number}.py"
        target.write_text(checkable_module(block), encoding="utf-8")
        files.append(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--ignore-missing-imports",
         "--cache-dir", str(tmp_path / ".mypy_cache"), *files],
        capture_output=True, text=True, cwd=tmp_path, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, f"{document.name}:\n{result.stdout}{result.stderr}"


def test_a_wrong_method_name_is_caught(tmp_path: Path) -> None:
    """The check can fail: a README-style call to a method the client does not have."""
    block = "from renkei_bank_inquiry.client import Client\n\nClient(token=t).list_acounts(bank_code=b)\n"
    target = tmp_path / "wrong.py"
    target.write_text(checkable_module(block), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".c"),
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 1 and "list_acounts" in result.stdout
