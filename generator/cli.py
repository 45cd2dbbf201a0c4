"""The `renkei` command. Each command imports its implementation lazily so that start-up stays fast."""

from __future__ import annotations

import functools
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from generator.conformance.command import conformance_command
from sandbox.cli import sandbox_app

app = typer.Typer(
    name="renkei",
    help="renkei (連携): the Japanese financial open-API standard as OpenAPI, made executable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(sandbox_app, name="sandbox")


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def check(
    specs: Annotated[
        list[Path] | None,
        typer.Argument(help="OpenAPI documents or directories holding them (default: spec/)."),
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="text or json")] = OutputFormat.text,
) -> None:
    """Validate OpenAPI documents and apply the standard's guideline rules."""
    from generator.checking.command import run_check

    raise typer.Exit(run_check(specs or [Path("spec")], output_format.value))


@app.command()
def generate(
    specs: Annotated[list[Path], typer.Argument(help="OpenAPI documents; each becomes OUT/<package>/.")],
    out: Annotated[Path, typer.Option("-o", "--output", help="Output directory.")] = Path("generated"),
    templates: Annotated[
        Path | None, typer.Option("--templates", help="A directory of templates overlaying the built-ins.")
    ] = None,
    check_only: Annotated[
        bool, typer.Option("--check", help="Do not write; exit 1 with a diff when OUT is stale.")
    ] = False,
) -> None:
    """Generate pydantic models, a FastAPI server, a service protocol and httpx clients."""
    from generator.generation.command import run_generate

    raise typer.Exit(run_generate(specs, out, templates, check_only))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
) -> None:
    """Start the sandbox provider (database created and seeded on first start)."""
    from sandbox.serve import run_server

    raise typer.Exit(run_server(host=host, port=port))


@app.command("conformance")
@functools.wraps(conformance_command)
def conformance(*args: Any, **kwargs: Any) -> None:
    raise typer.Exit(conformance_command(*args, **kwargs))


def main() -> None:
    app()
