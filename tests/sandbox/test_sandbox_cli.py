"""`renkei sandbox seed` and `renkei sandbox clients add|list` against a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sandbox_harness import fresh_database
from sqlalchemy import func, select
from typer.testing import CliRunner

from renkei_sandbox.cli import plugin_app as app
from renkei_sandbox.db.models import OAuthClient
from renkei_sandbox.secrets_util import credential_hash


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    db = fresh_database(tmp_path)
    url = db.engine.url.render_as_string(hide_password=False)
    db.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_seed_then_refuse_then_replace(database_url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["sandbox", "seed", "--customers", "3", "--years", "1"])
    assert first.exit_code == 0, first.output
    assert "seeded 3 customers" in first.output
    again = runner.invoke(app, ["sandbox", "seed", "--customers", "3", "--years", "1"])
    assert again.exit_code == 1
    assert "--replace" in again.output
    replaced = runner.invoke(app, ["sandbox", "seed", "--customers", "2", "--years", "1", "--replace"])
    assert replaced.exit_code == 0, replaced.output


def test_clients_add_prints_a_secret_stored_only_as_a_hash(database_url: str) -> None:
    from renkei_sandbox.db.engine import Database

    runner = CliRunner()
    added = runner.invoke(
        app, ["sandbox", "clients", "add", "--name", "家計簿", "--redirect-uri", "https://app.example/cb"]
    )
    assert added.exit_code == 0, added.output
    values = dict(line.split("=", 1) for line in added.output.strip().splitlines())
    db = Database.from_url(database_url)
    with db.session() as session:
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == values["client_id"]))
        assert client is not None
        assert client.secret_hash == credential_hash(values["client_secret"])
        assert values["client_secret"] not in (client.secret_hash or "")
    db.dispose()
    listed = runner.invoke(app, ["sandbox", "clients", "list"])
    assert values["client_id"] in listed.output
    assert values["client_secret"] not in listed.output


def test_bad_redirect_uri_is_a_one_line_error(database_url: str) -> None:
    result = CliRunner().invoke(
        app, ["sandbox", "clients", "add", "--name", "x", "--redirect-uri", "http://evil.example/cb"]
    )
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "https" in result.output


def test_the_toolkit_command_finds_the_sandbox_through_its_entry_point() -> None:
    """`renkei sandbox ...` and `renkei serve` come from the sandbox's `renkei.plugins` entry point: the
    toolkit itself never imports the sandbox."""
    import subprocess
    import sys

    renkei = Path(sys.executable).parent / "renkei"
    listed = subprocess.run([str(renkei), "sandbox", "--help"], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "seed" in listed.stdout and "clients" in listed.stdout
    served = subprocess.run([str(renkei), "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert served.returncode == 0 and "--port" in served.stdout


def test_seed_with_bulk_transactions_and_migrate_and_run_due(database_url: str) -> None:
    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.models import Transaction
    from renkei_sandbox.ops.schema import head_revisions

    runner = CliRunner()
    migrated = runner.invoke(app, ["sandbox", "migrate"])
    assert migrated.exit_code == 0 and sorted(head_revisions())[0] in migrated.output, migrated.output
    seeded = runner.invoke(
        app, ["sandbox", "seed", "--customers", "2", "--years", "1", "--transactions", "12345"]
    )
    assert seeded.exit_code == 0, seeded.output
    db = Database.from_url(database_url)
    with db.session() as session:
        bulk = session.scalar(select(func.count()).where(Transaction.transaction_type == "bulk"))
        total = session.scalar(select(func.count()).select_from(Transaction))
    db.dispose()
    assert bulk == 12_345
    assert f"{total} transactions" in seeded.output
    due = runner.invoke(app, ["sandbox", "run-due", "--today", "2026-11-24"])
    assert due.exit_code == 0 and "executed 0 scheduled transfers" in due.output, due.output
    bad = runner.invoke(app, ["sandbox", "run-due", "--today", "24/11/2026"])
    assert bad.exit_code == 1 and "renkei sandbox:" in bad.output


def test_clients_add_generates_a_fapi_key_pair_written_0600(database_url: str, tmp_path: Path) -> None:
    import json
    import stat

    from renkei_runtime.fapi import load_key
    from renkei_sandbox.db.engine import Database

    key_file = tmp_path / "client.jwk"
    runner = CliRunner()
    added = runner.invoke(
        app,
        [
            "sandbox",
            "clients",
            "add",
            "--name",
            "家計簿",
            "--redirect-uri",
            "https://app.example/cb",
            "--generate-key",
            str(key_file),
        ],
    )
    assert added.exit_code == 0, added.output
    values = dict(line.split("=", 1) for line in added.output.strip().splitlines())
    assert values["token_endpoint_auth_method"] == "private_key_jwt"
    assert "client_secret" not in values
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    private = load_key(key_file)
    db = Database.from_url(database_url)
    with db.session() as session:
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == values["client_id"]))
        assert client is not None and client.secret_hash is None and client.jwks is not None
        registered = json.loads(client.jwks)["keys"][0]
        assert "d" not in registered and registered["x"] == private.as_dict()["x"]
    db.dispose()
    again = runner.invoke(
        app,
        [
            "sandbox",
            "clients",
            "add",
            "--name",
            "x",
            "--redirect-uri",
            "https://app.example/cb",
            "--generate-key",
            str(key_file),
        ],
    )
    assert again.exit_code == 1 and "already exists" in again.output


def test_clients_add_from_a_public_jwk_refuses_a_private_one(database_url: str) -> None:
    import json

    from renkei_runtime.fapi import generate_key, public_jwk

    key = generate_key("PS256")
    base = ["sandbox", "clients", "add", "--name", "x", "--redirect-uri", "https://app.example/cb", "--jwk"]
    runner = CliRunner()
    public = runner.invoke(app, [*base, json.dumps(public_jwk(key))])
    assert public.exit_code == 0, public.output
    private = runner.invoke(app, [*base, json.dumps(dict(key.as_dict(private=True)))])
    assert private.exit_code == 1 and "private key" in private.output
