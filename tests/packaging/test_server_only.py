"""A provider developer's install: renkei-runtime and the generated bank-inquiry package with their `server`
extras, plus uvicorn, in a venv of their own (no toolkit, no sandbox, no FastAPI). A script there serves the
generated server over a tiny in-memory service; the test calls it over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import venv
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = (f"{REPO / 'runtime'}[server]", f"{REPO / 'generated' / 'bank_inquiry'}[server]")

PROVIDER_SCRIPT = r"""
import sys

import uvicorn
from renkei_runtime.server import VerifiedToken
from renkei_bank_inquiry import models
from renkei_bank_inquiry.server import create_app


class Verifier:
    async def verify(self, token):
        if token != "good-token":
            return None
        return VerifiedToken("customer-1", "app-1", frozenset({"accounts:read"}), "2963")


class InMemoryBank:
    async def list_accounts(self, ctx, *, bank_code):
        return models.AccountList(accounts=[])


app = create_app(InMemoryBank(), Verifier())
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> object:
    root = tmp_path_factory.mktemp("server-only")
    venv_dir = root / "venv"
    venv.create(venv_dir, with_pip=True)
    python = str(venv_dir / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "uvicorn", *PACKAGES],
        check=True,
        capture_output=True,
        timeout=600,
    )
    listed = subprocess.run([python, "-m", "pip", "list"], capture_output=True, text=True, check=True).stdout
    assert "fastapi" not in listed.lower() and "renkei-sandbox" not in listed and "SQLAlchemy" not in listed
    script = root / "provider.py"
    script.write_text(PROVIDER_SCRIPT)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    process = subprocess.Popen([python, str(script), str(port)], cwd=root, env=env)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(200):
            assert process.poll() is None, "the provider did not start"
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_generated_server_alone_serves_with_the_standard_errors(provider: str) -> None:
    ok = httpx.get(f"{provider}/banks/2963/accounts", headers={"Authorization": "Bearer good-token"})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"accounts": []}
    assert ok.headers["x-fapi-interaction-id"]
    denied = httpx.get(f"{provider}/banks/2963/accounts")
    assert denied.status_code == 401
    assert denied.json()["errorCode"] and denied.json()["errorMessage"]
    missing = httpx.get(f"{provider}/nothing-here")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "not_found"
    assert httpx.get(f"{provider}/openapi.json").json()["info"]["title"]
