"""The newcomer's first screen: `renkei serve`'s banner (port from RENKEI_PORT) and the landing page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from live_server import bind_free_socket
from sandbox_harness import RunningSandbox, seeded_database

from renkei_sandbox.welcome.landing import serves_docs

RENKEI = Path(sys.executable).with_name("renkei")


@contextmanager
def serving(tmp_path: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    """`renkei serve ARGS` on a free port (from RENKEI_PORT) over a seeded database: (process, banner, base
    URL) once the banner is printed; the process is stopped afterwards."""
    db = seeded_database(tmp_path)
    url = db.engine.url.render_as_string(hide_password=False)
    db.dispose()
    with bind_free_socket() as sock:
        port = sock.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "RENKEI_PORT": str(port), "RENKEI_RATE_LIMITS": "off"}
    process = subprocess.Popen(
        [str(RENKEI), "serve", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        banner = []
        for line in process.stdout:
            banner.append(line)
            if "sandbox authorize" in line:
                break
        yield process, "".join(banner), f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=60)


def get_when_up(process: subprocess.Popen[str], url: str, timeout: float = 120) -> httpx.Response:
    """GET `url` once the server answers (it may still be starting); fails when the process exits."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=10)
        except httpx.TransportError:
            assert process.poll() is None, "renkei serve exited"
            assert time.monotonic() < deadline, "renkei serve did not start serving"
            time.sleep(0.1)


def test_serve_takes_its_port_from_renkei_port_and_prints_the_banner(tmp_path: Path) -> None:
    with serving(tmp_path) as (process, text, base):
        assert f"start here     {base}/" in text
        assert f"connected apps {base}/account/connections" in text
        assert "demo01   2963 中央労働金庫" in text and "demo02   2965 新潟県労働金庫" in text
        assert "password renkei-demo" in text
        assert f"renkei sandbox authorize --base-url {base}" in text
        assert get_when_up(process, f"{base}/").status_code == 200


def test_two_workers_serve_what_the_supervisors_banner_announces(tmp_path: Path) -> None:
    """The supervisor of `--workers 2` prints the banner without building the app (tests/sandbox/ops/
    test_sandbox_supervisor.py); its /docs line still says what the workers serve."""
    with serving(tmp_path, "--workers", "2") as (process, text, base):
        assert f"API docs       {base}/docs" in text
        answer = get_when_up(process, f"{base}/docs/")
        assert answer.status_code == 200 and "<html" in answer.text.lower()


def test_landing_page_links_logins_connections_and_metadata(sandbox: RunningSandbox) -> None:
    page = httpx.get(f"{sandbox.base_url}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="ja">' in html and 'lang="en"' in html
    assert 'href="/account/connections"' in html and 'href="/login"' in html
    assert 'href="/.well-known/oauth-authorization-server"' in html
    assert "<code>demo01</code>" in html and "中央労働金庫" in html and "renkei-demo" in html
    assert f"renkei sandbox authorize --base-url {sandbox.base_url}" in html
    assert 'href="/docs"' in html  # served (the reference), so linked
    assert httpx.get(f"{sandbox.base_url}/docs", follow_redirects=True).status_code == 200


def test_docs_are_linked_only_when_served() -> None:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    assert not serves_docs(app.routes)
    app.add_api_route("/docs", lambda: None)
    assert serves_docs(app.routes)
