"""A consumer developer's install: only renkei-runtime and the generated bank-inquiry package, in a venv of
their own, no toolkit, no sandbox. A script there runs the OAuth flow against a real sandbox (a child
process of the dev venv) and lists transactions with the generated client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import venv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
REDIRECT_URI = "http://127.0.0.1:9/callback"
HEAVY = ("renkei", "renkei_sandbox", "sqlalchemy", "fastapi", "schemathesis", "datamodel_code_generator")

CONSUMER_SCRIPT = r"""
import base64, datetime, hashlib, json, re, secrets, sys
from urllib.parse import parse_qs, urlsplit

import httpx
from renkei_runtime.client import OAuth2TokenAuth
from renkei_bank_inquiry.client import Client

base, target = sys.argv[1], json.loads(sys.argv[2])
verifier = secrets.token_urlsafe(48)
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
scope = "accounts:read balances:read transactions:read"


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as browser:
    start = browser.get("/oauth/authorize", params={
        "response_type": "code", "client_id": target["client_id"], "redirect_uri": target["redirect_uri"],
        "scope": scope, "state": "s1", "code_challenge": challenge, "code_challenge_method": "S256",
        "bank_code": target["bank_code"],
    })
    login = browser.get(start.headers["location"])
    handle = hidden(login.text, "request_handle")
    logged_in = browser.post("/login", data={
        "csrf": hidden(login.text, "csrf"), "request_handle": handle,
        "login_id": target["username"], "password": target["password"],
    })
    consent = browser.get(logged_in.headers["location"])
    accounts = re.findall(r'name="account_ids" value="([^"]+)"', consent.text)
    done = browser.post("/consent", data={
        "csrf": hidden(consent.text, "csrf"), "request_handle": handle, "decision": "approve",
        "account_ids": accounts,
    })
    code = parse_qs(urlsplit(done.headers["location"]).query)["code"][0]
token = httpx.post(f"{base}/oauth/token", auth=(target["client_id"], target["client_secret"]), data={
    "grant_type": "authorization_code", "code": code, "redirect_uri": target["redirect_uri"],
    "code_verifier": verifier,
}).json()
auth = OAuth2TokenAuth(
    token_url=f"{base}/oauth/token", client_id=target["client_id"], client_secret=target["client_secret"],
    access_token=token["access_token"], refresh_token=token.get("refresh_token"),
)
with Client(f"{base}/v2", auth=auth) as api:
    listed = api.list_accounts(bank_code=target["bank_code"]).accounts
    since = datetime.date.today() - datetime.timedelta(days=180)
    transactions = [
        tx
        for account in listed
        for tx in api.iter_list_transactions(
            bank_code=target["bank_code"], account_id=account.account_id, date_from=since
        )
    ]
print(json.dumps({
    "accounts": len(listed), "transactions": len(transactions),
    "loaded": sorted(m.split(".")[0] for m in sys.modules if m.split(".")[0] in HEAVY_MODULES),
}))
""".replace("HEAVY_MODULES", repr(HEAVY))


def _pip(venv_dir: Path, *args: str) -> None:
    subprocess.run(
        [
            str(venv_dir / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def client_only_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding renkei-runtime and renkei-bank-inquiry (and what they require) only."""
    venv_dir = tmp_path_factory.mktemp("client-only") / "venv"
    venv.create(venv_dir, with_pip=True)
    _pip(venv_dir, str(REPO / "runtime"), str(REPO / "generated" / "bank_inquiry"))
    return venv_dir


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[str, dict[str, str]]]:
    """A seeded sandbox served by a child process of the dev venv: (base URL, client and customer)."""
    import socket

    with tempfile.TemporaryDirectory(prefix="renkei-client-only-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'sandbox.sqlite3'}"
        module = [sys.executable, "-m", "renkei_sandbox.conformance_target"]
        prepared = subprocess.run(
            [*module, "prepare", url, "1", REDIRECT_URI],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        profile = json.loads(prepared.stdout)  # a provider profile: its client and primary customer
        customer = profile["customers"]["primary"]
        target = {
            "client_id": profile["client"]["client_id"],
            "client_secret": profile["client"]["client_secret"],
            "username": customer["username"],
            "password": customer["password"],
            "bank_code": customer["bank_code"],
            "redirect_uri": REDIRECT_URI,
        }
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        process = subprocess.Popen([*module, "serve", url, str(port)], env=dict(os.environ, DATABASE_URL=url))
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if (
                        httpx.get(f"{base}/.well-known/oauth-authorization-server", timeout=1).status_code
                        == 200
                    ):
                        break
                except httpx.HTTPError:
                    pass
                process.poll()
                assert process.returncode is None, "the sandbox did not start"
                import time

                time.sleep(0.1)
            yield base, target
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_the_client_alone_installs_small(client_only_venv: Path) -> None:
    listed = subprocess.run(
        [str(client_only_venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {p["name"].lower().replace("_", "-") for p in json.loads(listed.stdout)} - {"pip", "setuptools"}
    assert {"renkei-runtime", "renkei-bank-inquiry", "pydantic", "httpx"} <= names
    assert not names & {"renkei", "renkei-sandbox", "sqlalchemy", "fastapi", "starlette", "schemathesis"}
    assert len(names) <= 13, sorted(names)


def test_the_client_alone_authorizes_and_lists_transactions(
    client_only_venv: Path, sandbox: tuple[str, dict[str, str]]
) -> None:
    base, target = sandbox
    script = client_only_venv.parent / "consumer.py"
    script.write_text(CONSUMER_SCRIPT)
    run = subprocess.run(
        [str(client_only_venv / "bin" / "python"), str(script), base, json.dumps(target)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=client_only_venv.parent,  # not the repository: nothing of the source tree on sys.path
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["accounts"] >= 1
    assert result["transactions"] >= 1
    assert result["loaded"] == []
