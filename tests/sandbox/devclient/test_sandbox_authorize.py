"""`renkei sandbox authorize` end to end: the command in a child process, the customer in Chromium (or a
plain HTTP 'browser' for the refusal), tokens in a file that the generated client loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sandbox_browser import approve_all, chromium_page, log_in, needs_chromium
from sandbox_flow import hidden
from sandbox_harness import RunningSandbox

from renkei_bank_inquiry.client import Client
from renkei_runtime.client import TokenFile
from renkei_sandbox.seed.seeder import DEMO_PASSWORD

RENKEI = Path(sys.executable).with_name("renkei")


@contextmanager
def authorize_process(
    sandbox: RunningSandbox, work: Path, *args: str
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`renkei sandbox authorize --no-browser` over the sandbox's database; yields it and its URL."""
    env = {**os.environ, "DATABASE_URL": sandbox.db.engine.url.render_as_string(hide_password=False)}
    process = subprocess.Popen(
        [
            str(RENKEI),
            "sandbox",
            "authorize",
            "--no-browser",
            "--base-url",
            sandbox.base_url,
            "--timeout",
            "60",
            *args,
        ],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        url = ""
        for line in process.stderr:
            if line.startswith(f"{sandbox.base_url}/oauth/authorize?"):
                url = line.strip()
                break
        assert url, f"authorize printed no URL (exit {process.poll()})"
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


@pytest.mark.browser
@needs_chromium
def test_authorize_in_chromium_saves_tokens_the_generated_client_loads(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    login, bank = "demo02", "2965"  # not at the first bank: the customer picks the bank on the login page
    with authorize_process(sandbox, tmp_path) as (process, url), chromium_page() as page:
        page.goto(url)
        log_in(page, login, bank)
        approve_all(page)
        page.wait_for_url("http://127.0.0.1:*/callback?*")
        assert "連携の手続きが完了しました" in page.inner_text("h1")
        _, errors = process.communicate(timeout=30)
        assert process.returncode == 0, errors
    token_file = tmp_path / "var" / "renkei-tokens.json"
    assert token_file.stat().st_mode & 0o077 == 0  # credentials: owner only
    tokens = TokenFile.load(token_file)
    assert tokens.bank_code == bank and tokens.api_base_url == f"{sandbox.base_url}/v2"
    with Client(tokens.api_base_url, auth=tokens.auth()) as api:
        accounts = api.list_accounts(bank_code=bank).accounts
    assert accounts

    # The second run reuses the demo client (a new callback port is added to its redirect URIs).
    first_client = json.loads((tmp_path / "var" / "renkei-demo-client.json").read_text())["client_id"]
    with authorize_process(sandbox, tmp_path) as (process, url):
        assert f"client_id={first_client}" in url
        process.kill()


def test_authorize_reports_a_refusal_and_saves_nothing(sandbox: RunningSandbox, tmp_path: Path) -> None:
    with authorize_process(sandbox, tmp_path, "--bank", "2963") as (process, url):
        with httpx.Client(base_url=sandbox.base_url) as browser:
            login_page = browser.get(browser.get(url).headers["location"])
            assert login_page.status_code == 200
            form = {
                "csrf": hidden(login_page.text, "csrf"),
                "request_handle": hidden(login_page.text, "request_handle"),
                "login_id": "demo01",
                "password": DEMO_PASSWORD,
            }
            consent = browser.get(browser.post("/login", data=form).headers["location"])
            denied = browser.post(
                "/consent",
                data={
                    "csrf": hidden(consent.text, "csrf"),
                    "request_handle": hidden(consent.text, "request_handle"),
                    "decision": "deny",
                },
            )
            callback = browser.get(denied.headers["location"])
            assert "連携は許可されませんでした" in callback.text
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "not authorized: access_denied" in errors
    assert not (tmp_path / "var" / "renkei-tokens.json").exists()


def test_authorize_without_a_sandbox_says_so(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(RENKEI), "sandbox", "authorize", "--no-browser", "--base-url", "http://127.0.0.1:9"],
        cwd=tmp_path,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "cannot reach the sandbox at http://127.0.0.1:9" in result.stderr


def test_token_file_refreshes_an_expired_token_and_saves_the_rotated_one(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from renkei_sandbox.db.models import Account, Customer
    from renkei_sandbox.oauth.clients import find_client
    from renkei_sandbox.oauth.direct import grant_directly

    with sandbox.db.write_session() as session, session.begin():
        customer = session.scalars(select(Customer).where(Customer.login_id == "demo01")).one()
        account = session.scalars(select(Account).where(Account.customer_id == customer.id)).first()
        client = find_client(session, sandbox.client.client_id)
        assert account is not None and client is not None
        access, refresh = grant_directly(
            session, client, customer.id, "2963", ["accounts:read"], [account.id]
        )
    path = tmp_path / "tokens.json"
    TokenFile(
        path=path,
        issuer=sandbox.base_url,
        token_url=f"{sandbox.base_url}/oauth/token",
        api_base_url=f"{sandbox.base_url}/v2",
        client_id=sandbox.client.client_id,
        client_secret=sandbox.client.client_secret,
        access_token=access,
        refresh_token=refresh,
        expires_at=0.0,  # long expired: the first call refreshes
        bank_code="2963",
    ).save()
    tokens = TokenFile.load(path)
    with Client(tokens.api_base_url, auth=tokens.auth()) as api:
        assert api.list_accounts(bank_code="2963").accounts
    saved = TokenFile.load(path)
    assert saved.refresh_token not in (None, refresh) and saved.access_token != access
    with Client(saved.api_base_url, auth=saved.auth()) as api:  # the next run starts from the new tokens
        assert api.list_accounts(bank_code="2963").accounts


def test_a_broken_token_file_is_a_clear_error(tmp_path: Path) -> None:
    from renkei_runtime.client import TokenFileError

    with pytest.raises(TokenFileError, match="cannot read the token file"):
        TokenFile.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text('{"access_token": "x"}')
    with pytest.raises(TokenFileError, match="not a renkei token file"):
        TokenFile.load(tmp_path / "bad.json")
