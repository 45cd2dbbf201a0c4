"""The `renkei` command. Each command imports its implementation lazily so that start-up stays fast.

Commands of other distributions (the sandbox's `serve` and `sandbox ...`) come from the `renkei.plugins`
entry-point group: each entry is a typer app whose commands join `renkei`'s. The entry points are read only
when the command line names no built-in command, so `check` and `generate` never pay for the scan.
"""

from __future__ import annotations

import functools
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from renkei.conformance.command import conformance_command

PLUGIN_GROUP = "renkei.plugins"
SANDBOX_COMMANDS = ("serve", "sandbox")

app = typer.Typer(
    name="renkei",
    help="renkei (連携): the Japanese financial open-API standard as OpenAPI, made executable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    names = ("renkei", "renkei-runtime", "renkei-sandbox")
    installed = []
    for name in names:
        try:
            installed.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    typer.echo(", ".join(installed))
    raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the installed versions and exit."
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bars: only results and errors.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logs on stderr.")] = False,
) -> None:
    """renkei (連携): the Japanese financial open-API standard as OpenAPI, made executable."""
    from renkei.output import set_verbosity

    try:
        set_verbosity(quiet, verbose)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


class Lang(StrEnum):
    en = "en"
    ja = "ja"


LENIENT_HELP = (
    "Repair structural flaws that have one obvious repair (a repeated enum value, const in 3.0, an unknown"
    " field, a default of the wrong type, a null description) and warn with file:line."
)


@app.command()
def check(
    specs: Annotated[
        list[Path] | None,
        typer.Argument(help="OpenAPI documents or directories holding them (default: spec/)."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text, json or sarif (SARIF 2.1.0 for code review)")
    ] = OutputFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages: en or ja.")] = Lang.en,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="Print the rules' catalogue (in --lang) and exit.")
    ] = False,
    lenient: Annotated[bool, typer.Option("--lenient", help=LENIENT_HELP)] = False,
) -> None:
    """Validate OpenAPI documents and apply the standard's rules (configured by \\[tool.renkei] in
    pyproject.toml or a renkei.toml)."""
    if list_rules:
        from renkei.checking.docs import print_catalogue

        print_catalogue(lang.value)
        raise typer.Exit(0)
    from renkei.checking.command import run_check

    raise typer.Exit(run_check(specs or [Path("spec")], output_format.value, lang.value, lenient=lenient))


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
    package_prefix: Annotated[
        str, typer.Option("--package-prefix", help="Put before each import name (e.g. `acme_`).")
    ] = "",
    lenient: Annotated[bool, typer.Option("--lenient", help=LENIENT_HELP)] = False,
    allow_warnings: Annotated[
        bool,
        typer.Option(
            "--allow-warnings", help="Generate although `renkei check` has warnings (errors always refuse)."
        ),
    ] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages: en or ja.")] = Lang.en,
) -> None:
    """Generate an installable package per document: pydantic models, a Starlette server (mountable in
    FastAPI), a service protocol and httpx clients. Refuses (exit 1) a document `renkei check` refuses,
    with the same messages."""
    from renkei.generation.command import run_generate

    raise typer.Exit(
        run_generate(
            specs,
            out,
            templates,
            check_only,
            package_prefix=package_prefix,
            allow_warnings=allow_warnings,
            language=lang.value,
            lenient=lenient,
        )
    )


@app.command()
def convert(
    spec: Annotated[Path, typer.Argument(help="A Swagger 2.0 or OpenAPI 3 document (YAML or JSON).")],
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (.yaml or .json; default: stdout).")
    ] = None,
    lenient: Annotated[bool, typer.Option("--lenient", help=LENIENT_HELP)] = False,
) -> None:
    """Write SPEC as one OpenAPI 3 document: Swagger 2.0 converted to OpenAPI 3.0.3, external $refs bundled;
    checked by openapi-spec-validator before it is written."""
    from renkei.generation.converting import run_convert

    raise typer.Exit(run_convert(spec, out, lenient=lenient))


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def diff(
    old: Annotated[
        str, typer.Argument(help="The old version: a file, a directory, REV, REV:PATH or REV..REV.")
    ],
    new: Annotated[
        str, typer.Argument(help="The new version: a file or directory (the PATH for a revision).")
    ],
    output_format: Annotated[
        DiffFormat, typer.Option("--format", help="text, json or markdown (for a changelog)")
    ] = DiffFormat.text,
) -> None:
    """Classify the changes between two versions (breaking / compatible / documentation) and check the
    semver bump of info.version: exit 1 when something breaks without a major bump."""
    from renkei.diff.command import run_diff

    raise typer.Exit(run_diff(old, new, output_format.value))


@app.command()
def docs(
    specs: Annotated[
        list[Path] | None,
        typer.Argument(help="OpenAPI documents or directories holding them (default: spec/)."),
    ] = None,
    out: Annotated[Path, typer.Option("-o", "--output", help="The site's directory.")] = Path("site"),
    console: Annotated[
        str | None,
        typer.Option(
            "--console",
            help="Link each operation to an interactive console at this address relative to the site "
            "(`{api}` for the API's directory), e.g. `console/{api}`.",
        ),
    ] = None,
    check_only: Annotated[
        bool, typer.Option("--check", help="Do not write; exit 1 when OUT differs from the site.")
    ] = False,
) -> None:
    """Write the reference as static HTML (the 電文仕様書 view of every operation and schema, search,
    no network needed): open OUT/index.html."""
    from renkei.docs_site.command import run_docs

    raise typer.Exit(run_docs(specs or [Path("spec")], out, console, check_only))


@app.command("conformance")
@functools.wraps(conformance_command)
def conformance(*args: Any, **kwargs: Any) -> None:
    raise typer.Exit(conformance_command(*args, **kwargs))


def _command_names(typer_app: typer.Typer) -> set[str]:
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in typer_app.registered_commands}
    return names | {g.name or "" for g in typer_app.registered_groups}


def _add_plugins() -> set[str]:
    """Add every installed plugin's commands; returns their names."""
    from importlib.metadata import entry_points

    names: set[str] = set()
    for entry in entry_points(group=PLUGIN_GROUP):
        plugin: typer.Typer = entry.load()
        app.add_typer(plugin)
        names |= _command_names(plugin)
    return names


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in _command_names(app):
        plugin_commands = _add_plugins()
        if command in SANDBOX_COMMANDS and command not in plugin_commands:
            print(
                f"renkei {command}: the sandbox provider is not installed (pip install ./sandbox)",
                file=sys.stderr,
            )
            raise SystemExit(2)
    app()
