"""`conformance_command` works as a typer command (the way generator/cli.py wires it)."""

from __future__ import annotations

import functools
import socket
from typing import Any

import typer
from typer.testing import CliRunner

from renkei.conformance.command import conformance_command


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.command("conformance")
    @functools.wraps(conformance_command)
    def conformance(*args: Any, **kwargs: Any) -> None:
        raise typer.Exit(conformance_command(*args, **kwargs))

    @app.command("other")
    def other() -> None:
        """A second command, so that `conformance` is a subcommand as in the real CLI."""

    return app


def test_help_lists_every_option() -> None:
    result = CliRunner().invoke(_app(), ["conformance", "--help"])
    assert result.exit_code == 0
    for option in (
        "--spec", "--base-url", "--token", "--client-id", "--client-secret", "--username", "--password",
        "--bank-code", "--report-dir", "--max-examples", "--time-limit", "--seed", "--sandbox",
    ):  # fmt: skip
        assert option in result.output


def test_unreachable_base_url_exits_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = CliRunner().invoke(
        _app(),
        ["conformance", "--spec", "spec/card.yaml", "--base-url", f"http://127.0.0.1:{port}", "--token", "x"],
    )
    assert result.exit_code == 2
    assert "cannot reach" in result.output
