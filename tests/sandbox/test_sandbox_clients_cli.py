"""`renkei sandbox clients add --format env|json`, `clients list` and `clients remove` on a real database,
the env lines evaluated by a real shell."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sandbox_harness import TEST_TODAY, fresh_database
from sqlalchemy import select
from typer.testing import CliRunner

from renkei_sandbox.cli import plugin_app as app
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Account, Customer, Grant, OAuthClient, Token
from renkei_sandbox.oauth.direct import grant_directly
from renkei_sandbox.secrets_util import credential_hash
from renkei_sandbox.seed.seeder import seed

RENKEI = Path(sys.executable).with_name("renkei")


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    db = fresh_database(tmp_path)
    with db.write_session() as session, session.begin():
        seed(session, 2, 1, 3, today=TEST_TODAY)
    url = db.engine.url.render_as_string(hide_password=False)
    db.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def add(*extra: str) -> str:
    result = CliRunner().invoke(
        app,
        [
            "sandbox",
            "clients",
            "add",
            "--name",
            "家計簿 'app'",
            "--redirect-uri",
            "http://127.0.0.1:8080/cb",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_env_format_evaluates_in_a_shell_to_the_registered_credentials(database_url: str) -> None:
    add_command = (
        f"{RENKEI} sandbox clients add --name \"家計簿 'x'\" --redirect-uri http://127.0.0.1:8080/cb"
    )
    script = f'eval "$({add_command} --format env)" && echo "$CLIENT_ID $CLIENT_SECRET"'
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=os.environ, timeout=60
    )
    assert result.returncode == 0, result.stderr
    client_id, secret = result.stdout.split()
    db = Database.from_url(database_url)
    with db.session() as session:
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
        assert client is not None and client.secret_hash == credential_hash(secret)
    db.dispose()


def test_json_format_is_one_object(database_url: str) -> None:
    values = json.loads(add("--format", "json"))
    assert set(values) == {"client_id", "client_secret"}


def test_list_then_remove_revokes_grants_and_retires_the_client(database_url: str) -> None:
    values = json.loads(add("--format", "json"))
    client_id = values["client_id"]
    db = Database.from_url(database_url)
    with db.write_session() as session, session.begin():
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
        customer = session.scalars(select(Customer).order_by(Customer.id)).first()
        assert client is not None and customer is not None
        account = session.scalars(select(Account).where(Account.customer_id == customer.id)).first()
        assert account is not None
        grant_directly(session, client, customer.id, customer.bank_code, ["accounts:read"], [account.id])
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["sandbox", "clients", "list", "--format", "json"]).output)
    assert [(c["client_id"], c["active_grants"]) for c in listed] == [(client_id, 1)]
    assert values["client_secret"] not in json.dumps(listed)

    removed = runner.invoke(app, ["sandbox", "clients", "remove", client_id])
    assert removed.exit_code == 0, removed.output
    assert f"removed {client_id}; revoked 1 grant(s)" in removed.output
    with db.session() as session:
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
        assert client is not None and client.secret_hash is None and client.redirect_uris == []
        assert all(g.revoked_at is not None for g in session.scalars(select(Grant)))
        assert all(t.revoked_at is not None for t in session.scalars(select(Token)))
    db.dispose()

    assert client_id not in runner.invoke(app, ["sandbox", "clients", "list"]).output
    assert client_id in runner.invoke(app, ["sandbox", "clients", "list", "--all"]).output
    again = runner.invoke(app, ["sandbox", "clients", "remove", client_id])
    assert again.exit_code == 1
    assert f"no client {client_id!r}" in again.output


def test_a_removed_client_cannot_authenticate(database_url: str, tmp_path: Path) -> None:
    import httpx
    from live_server import serve

    from renkei_sandbox.app import create_app
    from renkei_sandbox.config import Settings

    values = json.loads(add("--format", "json"))
    assert CliRunner().invoke(app, ["sandbox", "clients", "remove", values["client_id"]]).exit_code == 0
    db = Database.from_url(database_url)
    settings = Settings(
        database_url=database_url, issuer="http://127.0.0.1", fixed_today=TEST_TODAY, profile="plain"
    )
    with serve(create_app(db, settings)) as base_url:
        response = httpx.post(
            f"{base_url}/oauth/introspect",
            data={"token": "x"},
            auth=(values["client_id"], values["client_secret"]),
        )
    db.dispose()
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_the_registry_items_are_recorded_listed_and_a_client_suspended_and_resumed(database_url: str) -> None:
    values = json.loads(
        add(
            "--format",
            "json",
            "--registration-number",
            "関東財務局長（電代）第99号",
            "--purpose",
            "家計簿の自動作成",
            "--contact",
            "0120-000-000",
            "--checklist-status",
            "submitted",
        )
    )
    client_id = values["client_id"]
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["sandbox", "clients", "list", "--format", "json"]).output)
    row = next(c for c in listed if c["client_id"] == client_id)
    assert (row["registration_number"], row["checklist_status"], row["suspended"]) == (
        "関東財務局長（電代）第99号",
        "submitted",
        False,
    )
    assert runner.invoke(app, ["sandbox", "clients", "suspend", client_id]).exit_code == 0
    db = Database.from_url(database_url)
    with db.session() as session:
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
        assert client is not None and client.suspended_at is not None and client.purpose == "家計簿の自動作成"
    assert "suspended" in runner.invoke(app, ["sandbox", "clients", "list"]).output
    assert runner.invoke(app, ["sandbox", "clients", "resume", client_id]).exit_code == 0
    with db.session() as session:
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
        assert client is not None and client.suspended_at is None
    db.dispose()
    bad = runner.invoke(
        app,
        [
            "sandbox",
            "clients",
            "add",
            "--name",
            "x",
            "--redirect-uri",
            "http://127.0.0.1:8080/cb",
            "--checklist-status",
            "done",
        ],
    )
    assert bad.exit_code != 0 and "checklist status" in bad.output
    unknown = runner.invoke(app, ["sandbox", "clients", "suspend", "c_nobody"])
    assert unknown.exit_code == 1 and "no client" in unknown.output
