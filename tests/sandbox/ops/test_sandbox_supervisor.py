"""`renkei serve --workers N`: the supervisor prints the banner without building the app (each worker builds
its own); tests/sandbox/welcome/ checks with real workers that the banner's /docs line holds."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sandbox_harness import seeded_database

RENKEI = Path(sys.executable).with_name("renkei")


def test_the_supervisor_never_builds_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    import renkei_sandbox.app
    from renkei_sandbox.logs import LOG_FORMAT_ENV
    from renkei_sandbox.serve import run_server

    db = seeded_database(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    db.dispose()
    for name in ("RENKEI_ISSUER", LOG_FORMAT_ENV, "PROMETHEUS_MULTIPROC_DIR"):  # run_server sets them
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)

    def no_app(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the supervisor built the app")

    execs: list[list[str]] = []
    monkeypatch.setattr(renkei_sandbox.app, "create_app", no_app)
    monkeypatch.setattr(os, "execv", lambda path, argv: execs.append(argv))
    assert run_server("127.0.0.1", 8123, workers=2, log_format="text") == 0
    supervisor = ["-m", "renkei_sandbox.supervise", "127.0.0.1", "8123", "2", "text"]
    assert [argv[1:] for argv in execs] == [supervisor]
    assert os.environ["RENKEI_ISSUER"] == "http://127.0.0.1:8123"  # what the workers inherit
    banner = capsys.readouterr().out
    assert "API docs       http://127.0.0.1:8123/docs" in banner
    assert "demo01   2963 中央労働金庫" in banner


def test_the_supervisor_process_holds_uvicorn_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """What `python -m renkei_sandbox.supervise` imports before it hands over to uvicorn's supervisor."""
    probe = (
        "import sys, uvicorn\n"
        "uvicorn.run = lambda *a, **k: print(sorted({m.split('.')[0] for m in sys.modules}))\n"
        "import runpy; sys.argv = ['x', '127.0.0.1', '1', '2', 'json']\n"
        "runpy.run_module('renkei_sandbox.supervise', run_name='__main__')"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    modules = set(ast.literal_eval(loaded.stdout.strip().splitlines()[-1]))
    assert "uvicorn" in modules and "renkei_sandbox" in modules
    assert not modules & {"sqlalchemy", "alembic", "fastapi", "pydantic", "typer", "rich", "renkei"}
