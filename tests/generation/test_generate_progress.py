"""`renkei generate`'s progress line: drawn on a terminal, never under --quiet or when stderr is not a TTY,
and without any effect on what is written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from terminal import run_on_a_terminal

RENKEI = Path(sys.executable).with_name("renkei")
SPEC = Path(__file__).resolve().parents[2] / "spec" / "bank-inquiry.yaml"


def _on_a_terminal(*args: str) -> tuple[int, str]:
    return run_on_a_terminal([str(RENKEI), *args])


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_progress_on_a_terminal_only(tmp_path: Path) -> None:
    status, drawn = _on_a_terminal("generate", str(SPEC), "-o", str(tmp_path / "tty"))
    assert status == 0, drawn
    assert "renkei generate bank-inquiry.yaml: models of" in drawn
    assert "(datamodel-code-generator)" in drawn and "formatting" in drawn

    piped = subprocess.run(
        [str(RENKEI), "generate", str(SPEC), "-o", str(tmp_path / "pipe")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == "" and piped.stdout == ""
    assert _files(tmp_path / "tty") == _files(tmp_path / "pipe")


def test_quiet_draws_nothing_even_on_a_terminal(tmp_path: Path) -> None:
    status, drawn = _on_a_terminal("--quiet", "generate", str(SPEC), "-o", str(tmp_path / "out"))
    assert status == 0, drawn
    assert "renkei generate" not in drawn
    assert (tmp_path / "out" / "bank_inquiry" / "pyproject.toml").is_file()
