"""`renkei sandbox ...`: administration of the sandbox provider. Imports stay lazy for fast start-up."""

from __future__ import annotations

import typer

sandbox_app = typer.Typer(help="Administer the sandbox provider (seed data, OAuth clients).", no_args_is_help=True)
