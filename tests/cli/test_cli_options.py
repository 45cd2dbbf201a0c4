"""`renkei --version`, `--quiet` / `--verbose`, and the message of a missing extra, through the real console
script (a child process, as a user runs it)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from terminal import run_on_a_terminal

from renkei import extras

RENKEI = Path(sys.executable).with_name("renkei")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RENKEI), *args], capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


def test_version_names_the_installed_distributions() -> None:
    result = run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(
        f"renkei {version('renkei')}, renkei-runtime {version('renkei-runtime')}"
    )


def test_quiet_and_verbose_exclude_each_other() -> None:
    result = run("--quiet", "--verbose", "check")
    assert result.returncode == 2
    assert "exclude each other" in result.stderr


def test_seed_draws_a_progress_bar_on_a_terminal_unless_quiet(tmp_path: Path) -> None:
    def seed(name: str, *options: str) -> tuple[list[str], dict[str, str]]:
        database = {"DATABASE_URL": f"sqlite:///{tmp_path / name}"}
        return [str(RENKEI), *options, "sandbox", "seed", "--customers", "3", "--years", "1"], database

    argv, env = seed("loud.sqlite3")
    status, drawn = run_on_a_terminal(argv, env)
    assert status == 0, drawn
    assert "demo customers" in drawn and "3/3" in drawn
    argv, env = seed("quiet.sqlite3", "--quiet")
    status, drawn = run_on_a_terminal(argv, env)
    assert status == 0, drawn
    assert "demo customers" not in drawn
    piped = run("sandbox", "seed", "--customers", "3", "--years", "1",
                env={"DATABASE_URL": f"sqlite:///{tmp_path / 'piped.sqlite3'}"})  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert "demo customers" not in piped.stderr  # not a terminal: no bar in logs
    assert "seeded 3 customers" in piped.stdout


def test_a_missing_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    assert extras.missing_extra("generate") is None  # the dev install has every extra
    monkeypatch.setitem(extras.EXTRAS, "generate", ("datamodel_code_generator", "no_such_module_here"))
    message = extras.missing_extra("generate")
    assert message is not None
    assert "no_such_module_here" in message and "pip install 'renkei[generate]'" in message
