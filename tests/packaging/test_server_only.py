"""A provider developer's install: renkei-runtime and the generated bank-inquiry package with their `server`
extras, plus uvicorn, in a venv of their own (no toolkit, no sandbox, no FastAPI). A script there serves the
generated server over a tiny in-memory service; the test calls it over HTTP, and the generated client of the
same venv calls it too. Twice: with the newest versions pip picks, and with the lowest ends of the ranges
renkei-runtime and the generated packages declare (LOWEST), so the declared ranges are tested at both ends."""

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
LOWEST = ("pydantic==2.14.0", "httpx==0.27.0", "anyio==4.5.0", "starlette==0.47.0")
"""The lower ends of runtime/pyproject.toml's ranges (and of generation/project.py's, checked below)."""

CONSUMER_SCRIPT = r"""
import sys

from renkei_bank_inquiry.client import Client
from renkei_runtime.client import UnauthorizedError

with Client(sys.argv[1], token="good-token") as client:
    assert client.list_accounts(bank_code="2963").accounts == []
try:
    Client(sys.argv[1], token="bad-token").list_accounts(bank_code="2963")
except UnauthorizedError as error:
    assert error.error is not None and error.error.errorCode
else:
    raise SystemExit("a bad token was accepted")
print("client ok")
"""

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
        return models.AccountList(accounts=[], count=0, asOf="2026-12-04T09:00:00+09:00")


app = create_app(InMemoryBank(), Verifier())
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@pytest.fixture(scope="module", params=["newest", "lowest"])
def provider(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> object:
    root = tmp_path_factory.mktemp(f"server-only-{request.param}")
    pins = LOWEST if request.param == "lowest" else ()
    venv_dir = root / "venv"
    venv.create(venv_dir, with_pip=True)
    python = str(venv_dir / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "uvicorn", *pins, *PACKAGES],
        check=True,
        capture_output=True,
        timeout=600,
    )
    listed = subprocess.run([python, "-m", "pip", "list"], capture_output=True, text=True, check=True).stdout
    assert "fastapi" not in listed.lower() and "renkei-sandbox" not in listed and "SQLAlchemy" not in listed
    for pin in pins:
        name, version = pin.split("==")
        assert f"{name} " in listed.lower() and version in listed, f"{pin} not installed:\n{listed}"
    script = root / "provider.py"
    script.write_text(PROVIDER_SCRIPT)
    (root / "consumer.py").write_text(CONSUMER_SCRIPT)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    process = subprocess.Popen([python, str(script), str(port)], cwd=root, env=env)
    base = f"http://127.0.0.1:{port}/v2"
    try:
        for _ in range(200):
            assert process.poll() is None, "the provider did not start"
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, python, root
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_generated_server_alone_serves_with_the_standard_errors(provider: tuple[str, str, Path]) -> None:
    base = provider[0]
    ok = httpx.get(f"{base}/banks/2963/accounts", headers={"Authorization": "Bearer good-token"})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"accounts": [], "count": 0, "asOf": "2026-12-04T09:00:00+09:00"}
    assert ok.headers["x-fapi-interaction-id"]
    denied = httpx.get(f"{base}/banks/2963/accounts")
    assert denied.status_code == 401
    assert denied.json()["errorCode"] and denied.json()["errorMessage"]
    missing = httpx.get(f"{base}/nothing-here")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "not_found"
    assert httpx.get(f"{base}/openapi.json").json()["info"]["title"]


def test_the_generated_client_of_the_same_venv_calls_it(provider: tuple[str, str, Path]) -> None:
    base, python, root = provider
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [python, str(root / "consumer.py"), base], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0 and "client ok" in result.stdout, result.stdout + result.stderr


def test_lowest_pins_are_the_lower_ends_of_the_declared_ranges() -> None:
    """LOWEST, runtime/pyproject.toml and the generated packages' requirements name the same lower ends."""
    import tomllib

    from renkei.generation.project import RUNTIME_REQUIREMENTS, SERVER_REQUIREMENTS

    runtime = tomllib.loads((REPO / "runtime" / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*runtime["dependencies"], *runtime["optional-dependencies"]["server"]]
    generated = [
        r for r in (*RUNTIME_REQUIREMENTS, *SERVER_REQUIREMENTS) if not r.startswith("renkei-runtime")
    ]
    for pin in LOWEST:
        name, version = pin.split("==")
        lower = version.removesuffix(".0")
        in_runtime = [r for r in declared if r.startswith(name + ">=")]
        assert in_runtime and in_runtime[0].startswith(f"{name}>={lower}"), (pin, in_runtime)
        in_generated = [r for r in generated if r.startswith(name + ">=")]
        assert all(r.startswith(f"{name}>={lower}") for r in in_generated), (pin, in_generated)
