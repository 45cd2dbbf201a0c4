"""`renkei conformance`: the command's options as a typer-compatible signature (the lead wires it into the
CLI) and their translation into one run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_SPECS = (Path("spec/bank-inquiry.yaml"), Path("spec/bank-transfer.yaml"), Path("spec/card.yaml"))
DEFAULT_MAX_EXAMPLES = 20
DEFAULT_TIME_LIMIT = 75.0


def conformance_command(
    spec: Annotated[
        list[Path] | None,
        typer.Option(
            "--spec", help="OpenAPI document to test (repeatable; default: the three APIs in spec/)."
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="The deployment, e.g. http://127.0.0.1:8000 (/v2 is added)."),
    ] = None,
    token: Annotated[
        str | None, typer.Option("--token", help="An access token holding the APIs' scopes.")
    ] = None,
    client_id: Annotated[
        str | None, typer.Option("--client-id", help="OAuth client for the login flow.")
    ] = None,
    client_secret: Annotated[str | None, typer.Option("--client-secret", help="Its secret.")] = None,
    username: Annotated[
        str | None, typer.Option("--username", help="Customer login id (e.g. demo01).")
    ] = None,
    password: Annotated[str | None, typer.Option("--password", help="Customer password.")] = None,
    bank_code: Annotated[
        str | None, typer.Option("--bank-code", help="The customer's bank (4 digits): bank paths use it.")
    ] = None,
    report_dir: Annotated[
        Path | None, typer.Option("--report-dir", help="Write junit.xml and report.html here.")
    ] = None,
    max_examples: Annotated[
        int, typer.Option("--max-examples", min=1, help="Generated examples per operation and phase.")
    ] = DEFAULT_MAX_EXAMPLES,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=0,
            help="Seconds of schemathesis testing in all, split per API (0: one pass of every phase).",
        ),
    ] = DEFAULT_TIME_LIMIT,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed: same seed, same test cases.")
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option("--profile", help="A provider profile (YAML): URLs, client, two customers, payee..."),
    ] = None,
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="Start a fresh seeded sandbox on a free port and test it.")
    ] = False,
    group: Annotated[
        str,
        typer.Option(
            "--group",
            help="standard (schemathesis and the standard's checks) or fapi (the FAPI 2.0 checks: PAR, "
            "private_key_jwt, DPoP; needs client.private_key_jwk in the profile, or --sandbox).",
        ),
    ] = "standard",
) -> int:
    """Test a deployment against the standard: schemathesis (stateful, along the spec's links) and the
    standard's own checks; exit 0 passed, 1 failures found, 2 could not run, 3 the provider stopped
    answering mid-run."""
    from renkei.extras import missing_extra

    if (missing := missing_extra("conformance")) is not None:
        typer.echo(missing, err=True)
        return 2
    from renkei.conformance.oauth_flow import FlowCredentials
    from renkei.conformance.runner import GROUPS, Access, run_conformance

    if group not in GROUPS:
        typer.echo(f"renkei conformance: --group is one of {', '.join(GROUPS)}, not {group!r}", err=True)
        return 2

    flow = None
    if client_id and client_secret and username and password:
        flow = FlowCredentials(client_id, client_secret, username, password, bank_code)
    access = Access(
        base_url=base_url,
        token=token,
        flow=flow,
        bank_code=bank_code,
        sandbox=sandbox,
        profile=profile,
        group=group,
    )
    return run_conformance(list(spec or DEFAULT_SPECS), access, report_dir, max_examples, time_limit, seed)
