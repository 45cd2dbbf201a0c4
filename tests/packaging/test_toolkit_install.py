"""The toolkit installed as a user installs it: non-editable (`pip install .`) into a clean venv, with only
the `generate` extra. Its `renkei` runs (`--version`, `check`, `generate`), the heavy parts of other roles
(SQLAlchemy, schemathesis, psycopg) are not pulled, and a command of a missing extra says what to install."""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOT_FOR_GENERATE = ("sqlalchemy", "schemathesis", "psycopg", "psycopg-binary", "renkei-sandbox", "fastapi")

pytestmark = pytest.mark.slow


def copy_sources(target: Path) -> Path:
    """What `pip install .` reads, copied away from the work tree (no build/ or egg-info left in it)."""
    for name in ("generator", "templates", "runtime"):
        shutil.copytree(
            REPO / name,
            target / name,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"),
        )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, target / name)
    return target


def test_pip_install_dot_with_the_generate_extra(tmp_path: Path) -> None:
    sources = copy_sources(tmp_path / "src")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "./runtime", ".[generate]"],
        cwd=sources,
        check=True,
        timeout=900,
    )
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format", "freeze"], capture_output=True, text=True, check=True
    ).stdout.lower()
    names = {line.split("==")[0].replace("_", "-") for line in listed.splitlines()}
    assert "renkei" in names and "datamodel-code-generator" in names and "ruff" in names
    assert not names & set(NOT_FOR_GENERATE), names & set(NOT_FOR_GENERATE)
    editable = subprocess.run(
        [str(python), "-c", "import renkei, sys; print(renkei.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "site-packages" in editable  # a real install, not the work tree

    renkei = env_dir / "bin" / "renkei"
    version = subprocess.run([str(renkei), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("renkei 0."), version.stderr
    checked = subprocess.run(
        [str(renkei), "check", str(REPO / "spec")], capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = tmp_path / "out"
    generated = subprocess.run(
        [str(renkei), "generate", str(REPO / "spec" / "bank-inquiry.yaml"), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert generated.returncode == 0, generated.stderr
    assert (out / "bank_inquiry" / "bank_inquiry" / "client.py").is_file() or list(out.rglob("client.py"))

    conformance = subprocess.run(
        [str(renkei), "conformance", "--sandbox"], capture_output=True, text=True, timeout=60
    )
    assert conformance.returncode == 2
    assert "pip install 'renkei[conformance]'" in conformance.stderr
    serve = subprocess.run([str(renkei), "serve"], capture_output=True, text=True, timeout=60)
    assert serve.returncode == 2 and "sandbox provider is not installed" in serve.stderr
