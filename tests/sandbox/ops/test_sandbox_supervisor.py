"""`renkei serve --workers N`: the supervisor prints the banner without building the app (each worker builds
its own); tests/sandbox/welcome/ checks with real workers that the banner's /docs line holds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from sandbox_harness import seeded_database

RENKEI = Path(sys.executable).with_name("renkei")


def test_the_supervisor_never_builds_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    import renkei_sandbox.app
    from renkei_sandbox.logs import LOG_FORMAT_ENV
    from renkei_sandbox.serve import WORKER_APP, run_server

    db = seeded_database(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    db.dispose()
    for name in ("RENKEI_ISSUER", LOG_FORMAT_ENV, "PROMETHEUS_MULTIPROC_DIR"):  # run_server sets them
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)

    def no_app(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the supervisor built the app")

    started: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(renkei_sandbox.app, "create_app", no_app)
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append((app, options)))
    assert run_server("127.0.0.1", 8123, workers=2, log_format="text") == 0
    launched = [(app, options["workers"], options["factory"]) for app, options in started]
    assert launched == [(WORKER_APP, 2, True)]
    banner = capsys.readouterr().out
    assert "API docs       http://127.0.0.1:8123/docs" in banner
    assert "demo01   2963 中央労働金庫" in banner
