"""`renkei serve` and `renkei sandbox ...` (also `renkei-sandbox serve|sandbox ...`): the sandbox's commands.

The toolkit finds `plugin_app` through the `renkei.plugins` entry point and adds its commands to `renkei`;
it never imports this package itself. Imports stay lazy for fast start-up.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from renkei_sandbox.progress import progress_bar

if TYPE_CHECKING:
    from renkei_sandbox.db.engine import Database


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class LogFormat(StrEnum):
    json = "json"
    text = "text"


sandbox_app = typer.Typer(
    help="Administer the sandbox provider (seed data, OAuth clients).", no_args_is_help=True
)
clients_app = typer.Typer(help="The OAuth client registry.", no_args_is_help=True)
sandbox_app.add_typer(clients_app, name="clients")
plugin_app = typer.Typer(
    help="The renkei sandbox provider.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
plugin_app.add_typer(sandbox_app, name="sandbox")


@plugin_app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.", envvar="RENKEI_HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.", envvar="RENKEI_PORT", min=0, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each with its own connection pool).")
    ] = 1,
    log_format: Annotated[
        LogFormat, typer.Option(help="json lines, or text for a console.")
    ] = LogFormat.json,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate/--no-migrate",
            help="Migrate (and seed an empty database) before serving; --no-migrate for multi-host set-ups "
            "that run `renkei sandbox migrate` once.",
        ),
    ] = True,
    tls: Annotated[
        bool,
        typer.Option("--tls", help="Serve over https with a locally generated certificate (var/tls/)."),
    ] = False,
    cert: Annotated[
        str | None,
        typer.Option("--cert", envvar="RENKEI_TLS_CERT", help="TLS certificate (PEM): TLS."),
    ] = None,
    key: Annotated[
        str | None, typer.Option("--key", envvar="RENKEI_TLS_KEY", help="Its private key (PEM).")
    ] = None,
) -> None:
    """Start the sandbox provider (database created and seeded on first start)."""
    from pathlib import Path

    from renkei_sandbox.serve import run_server
    from renkei_sandbox.tls import DEFAULT_TLS_DIR, TlsFiles, self_signed

    if (cert is None) != (key is None):
        raise _fail("--cert and --key go together")
    files = None
    if cert is not None and key is not None:
        files = TlsFiles(Path(cert), Path(key))
        missing = [str(p) for p in (files.cert, files.key) if not p.is_file()]
        if missing:
            raise _fail(f"no such file: {', '.join(missing)}")
    elif tls:
        files = self_signed(DEFAULT_TLS_DIR, host)
        typer.echo(f"TLS: self-signed certificate {files.cert} (trust it, or curl --cacert {files.cert})")
    raise typer.Exit(
        run_server(
            host=host, port=port, workers=workers, log_format=log_format.value, migrate=migrate, tls=files
        )
    )


def main() -> None:
    """`renkei-sandbox`: the same commands without the toolkit."""
    plugin_app(prog_name="renkei-sandbox")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"renkei sandbox: {message}", err=True)
    return typer.Exit(1)


def _open_database() -> Database:
    """The database of DATABASE_URL (default var/sandbox.sqlite3), migrated to the newest schema."""
    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.config import database_url_from_env
    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.db.migrate import upgrade_head

    try:
        db = Database.from_url(database_url_from_env())
        upgrade_head(db.engine)
    except SQLAlchemyError as error:
        raise _fail(f"cannot open the database: {describe_database_error(error)}") from None
    return db


@sandbox_app.command()
def seed(
    customers: Annotated[int, typer.Option(min=1, max=100_000, help="Number of demo customers.")] = 50,
    years: Annotated[int, typer.Option(min=1, max=20, help="Years of transaction history.")] = 2,
    seed_number: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same data.")] = 1,
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete all existing data (clients too) first.")
    ] = False,
    transactions: Annotated[
        int,
        typer.Option(
            min=0,
            max=100_000_000,
            help="Extra bulk transactions spread over every ordinary account, before the history "
            "(data-scale tests: COPY on PostgreSQL).",
        ),
    ] = 0,
) -> None:
    """Create the schema and fill the database (DATABASE_URL, default var/sandbox.sqlite3) with demo data."""
    import time

    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.seed.bulk import spread_bulk_history
    from renkei_sandbox.seed.seeder import DEMO_PASSWORD, clear_all, has_seed_data
    from renkei_sandbox.seed.seeder import seed as run_seed

    db = _open_database()
    started = time.perf_counter()
    try:
        with db.write_session() as session, session.begin():
            if has_seed_data(session):
                if not replace:
                    raise _fail("the database already holds data; use --replace to start over")
                clear_all(session)
            with progress_bar("demo customers", customers) as advance:
                summary = run_seed(session, customers, years, seed_number, progress=advance)
            bulk = 0
            if transactions:
                with progress_bar("bulk transactions", transactions) as advance:
                    bulk, _ = spread_bulk_history(session, transactions, progress=advance)
    except SQLAlchemyError as error:
        raise _fail(f"seeding failed: {describe_database_error(error)}") from None
    typer.echo(
        f"seeded {summary.customers} customers, {summary.accounts} accounts, "
        f"{summary.transactions + bulk} transactions, {summary.cards} cards "
        f"in {time.perf_counter() - started:.1f} s"
    )
    typer.echo(f"demo logins: demo01 … demo{customers:02d}, password {DEMO_PASSWORD}")


class CredentialsFormat(StrEnum):
    text = "text"
    env = "env"
    json = "json"


@clients_app.command("add")
def clients_add(
    name: Annotated[str, typer.Option(help="The application's name, shown on the consent page.")],
    redirect_uri: Annotated[
        list[str], typer.Option("--redirect-uri", help="Exact redirect URI (repeatable).")
    ],
    output_format: Annotated[
        CredentialsFormat,
        typer.Option(
            "--format",
            help='text: client_id=... lines; env: export lines for `eval "$(...)"`; json: one object.',
        ),
    ] = CredentialsFormat.text,
    jwk: Annotated[
        str | None,
        typer.Option("--jwk", help="FAPI: the client's public key, a JWK or JWK set (JSON, or @FILE)."),
    ] = None,
    jwks_uri: Annotated[
        str | None, typer.Option("--jwks-uri", help="FAPI: where the client publishes its JWK set (https).")
    ] = None,
    generate_key: Annotated[
        str | None,
        typer.Option(
            "--generate-key",
            help="FAPI: generate a key pair (ES256, or PS256 with --alg) and write the private JWK to this "
            "new file (mode 0600); its public half is registered.",
        ),
    ] = None,
    alg: Annotated[str, typer.Option(help="Algorithm of --generate-key: ES256 or PS256.")] = "ES256",
    registration_number: Annotated[
        str | None,
        typer.Option(
            help="電子決済等代行業者 登録番号 (e.g. 関東財務局長（電代）第1号), shown on the consent page."
        ),
    ] = None,
    purpose: Annotated[str | None, typer.Option(help="利用目的, shown on the consent page.")] = None,
    contact: Annotated[str | None, typer.Option(help="問い合わせ先, shown on the consent page.")] = None,
    checklist_status: Annotated[
        str, typer.Option(help="API接続チェックリスト: not_submitted, submitted or approved.")
    ] = "not_submitted",
) -> None:
    """Register a confidential client; prints what it needs as KEY=VALUE lines. For the FAPI 2.0 profile (the
    default of `renkei serve`): private_key_jwt with a public JWK (--jwk), a --jwks-uri or a generated key
    pair (--generate-key FILE). Without one of those: a client_secret (shown only once), which only the
    plain profile (RENKEI_PROFILE=plain) accepts."""
    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.oauth.clients import ClientRegistrationError, register_client
    from renkei_sandbox.oauth.connector_registry import record_registry

    chosen = [o for o in (jwk, jwks_uri, generate_key) if o is not None]
    if len(chosen) > 1:
        raise _fail("give at most one of --jwk, --jwks-uri and --generate-key FILE")
    jwks = _jwks_option(jwk) if jwk is not None else None
    if generate_key is not None:
        jwks = _generate_key_file(generate_key, alg)
    db = _open_database()
    try:
        with db.write_session() as session, session.begin():
            client = register_client(session, name, redirect_uri, jwks=jwks, jwks_uri=jwks_uri)
            record_registry(
                session, client.client_id, registration_number, purpose, contact, checklist_status
            )
    except ClientRegistrationError as error:
        raise _fail(str(error)) from None
    except SQLAlchemyError as error:
        raise _fail(f"registration failed: {describe_database_error(error)}") from None
    values = {"client_id": client.client_id}
    if client.client_secret is not None:
        values["client_secret"] = client.client_secret
    else:
        values |= {
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": "ES256 PS256",
            "dpop_signing_alg": "ES256 PS256",
        }
        if generate_key is not None:
            values["private_key_file"] = generate_key
    typer.echo(_credentials_text(values, output_format))


def _credentials_text(values: dict[str, str], output_format: CredentialsFormat) -> str:
    import json
    import shlex

    if output_format is CredentialsFormat.json:
        return json.dumps(values)
    if output_format is CredentialsFormat.env:
        return "\n".join(f"export {name.upper()}={shlex.quote(value)}" for name, value in values.items())
    return "\n".join(f"{name}={value}" for name, value in values.items())


def _jwks_option(value: str) -> str:
    """A JWK set (JSON) from --jwk: a JWK or a JWK set, inline or @FILE."""
    import json
    from pathlib import Path

    text = Path(value[1:]).read_text() if value.startswith("@") else value
    try:
        data = json.loads(text)
    except ValueError:
        raise _fail("--jwk is not JSON (a JWK, a JWK set, or @FILE)") from None
    if isinstance(data, dict) and "keys" not in data:
        data = {"keys": [data]}
    return json.dumps(data)


def _generate_key_file(path: str, alg: str) -> str:
    """Generate a key pair, write the private JWK to `path` (0600, never over an existing file); the public
    JWK set to register."""
    import json

    from renkei_runtime.fapi import generate_key, public_jwk, write_private_key

    try:
        key = generate_key(alg)
    except ValueError as error:
        raise _fail(str(error)) from None
    key.ensure_kid()
    try:
        write_private_key(key, path)
    except FileExistsError:
        raise _fail(f"{path} already exists; choose a new file for the private key") from None
    except OSError as error:
        raise _fail(f"cannot write {path}: {error.strerror}") from None
    return json.dumps({"keys": [public_jwk(key)]})


@clients_app.command("list")
def clients_list(
    include_retired: Annotated[bool, typer.Option("--all", help="Include removed clients.")] = False,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="text or json")] = OutputFormat.text,
) -> None:
    """List registered clients (never their secrets): id, name, live grants, redirect URIs."""
    import json

    from renkei_sandbox.oauth.client_admin import list_clients

    db = _open_database()
    with db.session() as session:
        clients = list_clients(session, include_retired)
    if output_format is OutputFormat.json:
        rows = [
            {
                "client_id": c.client_id,
                "name": c.name,
                "redirect_uris": c.redirect_uris,
                "token_endpoint_auth_method": c.auth_method,
                "created_at": c.created_at.isoformat(),
                "active_grants": c.active_grants,
                "registration_number": c.registration_number,
                "checklist_status": c.checklist_status,
                "suspended": c.suspended,
            }
            for c in clients
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not clients:
        typer.echo("no clients (register one with `renkei sandbox clients add`)", err=True)
    for c in clients:
        uris = " ".join(c.redirect_uris) or "(removed)"
        state = "suspended" if c.suspended else c.checklist_status
        typer.echo(f"{c.client_id}\t{c.name}\t{c.active_grants} grants\t{state}\t{uris}")


@clients_app.command("remove")
def clients_remove(
    client_id: Annotated[str, typer.Argument(help="The client_id to remove.")],
) -> None:
    """Remove a client: revoke every grant and token of it and retire its credentials and redirect URIs."""
    from renkei_sandbox.oauth.client_admin import UnknownClient, remove_client

    db = _open_database()
    try:
        with db.write_session() as session, session.begin():
            revoked = remove_client(session, client_id)
    except UnknownClient as error:
        raise _fail(str(error)) from None
    typer.echo(f"removed {client_id}; revoked {revoked} grant(s)")


def _set_suspended(client_id: str, suspended: bool) -> None:
    from renkei_sandbox.oauth.client_admin import UnknownClient
    from renkei_sandbox.oauth.connector_registry import set_suspended

    db = _open_database()
    try:
        with db.write_session() as session, session.begin():
            set_suspended(session, client_id, suspended)
    except UnknownClient as error:
        raise _fail(str(error)) from None


@clients_app.command("suspend")
def clients_suspend(client_id: Annotated[str, typer.Argument(help="The client_id to suspend.")]) -> None:
    """利用停止: the client's tokens get 403 client_suspended at once, and it gets no new tokens; its grants
    are kept (`clients resume` restores them)."""
    _set_suspended(client_id, True)
    typer.echo(f"suspended {client_id}")


@clients_app.command("resume")
def clients_resume(client_id: Annotated[str, typer.Argument(help="The client_id to resume.")]) -> None:
    """End a suspension: the client's live tokens work again."""
    _set_suspended(client_id, False)
    typer.echo(f"resumed {client_id}")


@sandbox_app.command("grow-history")
def grow_history(
    login: Annotated[str, typer.Option(help="Demo customer whose 普通預金 account grows, e.g. demo01.")],
    transactions: Annotated[int, typer.Option(min=1, max=50_000_000, help="Rows to add.")] = 1_000_000,
) -> None:
    """Prepend a very long history to one account (for benchmarks); prints the account id."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.db.models import Account, Customer
    from renkei_sandbox.seed.bulk import add_bulk_history

    db = _open_database()
    try:
        with db.write_session() as session, session.begin():
            account = session.scalar(
                select(Account)
                .join(Customer, Account.customer_id == Customer.id)
                .where(Customer.login_id == login, Account.deposit_type == "1")
            )
            if account is None:
                raise _fail(f"no customer {login!r} with an ordinary account (seed the database first)")
            with progress_bar("transactions", transactions) as advance:
                added = add_bulk_history(session, account.id, transactions, progress=advance)
            account_id, bank_code = account.account_id, account.bank_code
    except SQLAlchemyError as error:
        raise _fail(f"growing the history failed: {describe_database_error(error)}") from None
    typer.echo(f"added {added} transactions to account {account_id} at bank {bank_code}")


def _default_base_url() -> str:
    import os

    return os.environ.get("RENKEI_BASE_URL") or f"http://127.0.0.1:{os.environ.get('RENKEI_PORT') or 8000}"


@sandbox_app.command("authorize")
def authorize_command(
    base_url: Annotated[
        str | None,
        typer.Option(
            help="The running sandbox (default $RENKEI_BASE_URL, else http://127.0.0.1:$RENKEI_PORT or 8000)."
        ),
    ] = None,
    bank: Annotated[
        str | None, typer.Option(help="Bank code (e.g. 2963); default: the customer chooses at login.")
    ] = None,
    scope: Annotated[
        str | None, typer.Option(help="Space-separated scopes (default: all bank scopes).")
    ] = None,
    callback_port: Annotated[
        int, typer.Option(min=0, max=65535, help="Loopback port for the redirect (0: a free port).")
    ] = 0,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Only print the URL.")] = False,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for the redirect.")] = 300.0,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Token file (default var/renkei-tokens.json).")
    ] = None,
    client_file: Annotated[
        Path | None,
        typer.Option(
            help="Where the demo client's credentials are kept (default var/renkei-demo-client.json)."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the URL and errors.")] = False,
) -> None:
    """Log in as a demo customer in the browser; save tokens for the generated client (like gh auth login).

    Registers (or reuses) a demo client, prints the authorization URL and opens the browser, catches the
    redirect on a loopback port, exchanges the code (PKCE S256) and writes the tokens to a file that
    `renkei_runtime.client.TokenFile.load(...)` reads.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.devclient.authorize import (
        DEFAULT_SCOPE,
        DEFAULT_TOKEN_FILE,
        AuthorizeOptions,
        Credentials,
        authorize,
    )
    from renkei_sandbox.devclient.demo_client import DEFAULT_CLIENT_FILE, demo_client
    from renkei_sandbox.devclient.flow import FlowError
    from renkei_sandbox.oauth.client_admin import UnknownClient
    from renkei_sandbox.oauth.clients import ClientRegistrationError

    db = _open_database()

    def say(text: str) -> None:
        if not quiet:
            typer.echo(text, err=True)

    def client_for(redirect_uri: str) -> Credentials:
        try:
            with db.write_session() as session, session.begin():
                client = demo_client(session, client_file or DEFAULT_CLIENT_FILE, redirect_uri)
        except (SQLAlchemyError, ClientRegistrationError, UnknownClient) as error:
            detail = describe_database_error(error) if isinstance(error, SQLAlchemyError) else str(error)
            raise _fail(f"cannot register the demo client: {detail}") from None
        say(f"{'Registered' if client.registered else 'Reusing'} the demo client {client.client_id}")
        return Credentials(client.client_id, client.client_secret)

    options = AuthorizeOptions(
        base_url=(base_url or _default_base_url()).rstrip("/"),
        scope=scope or DEFAULT_SCOPE,
        bank_code=bank,
        callback_port=callback_port,
        open_browser=not no_browser,
        timeout=timeout,
        token_file=output or DEFAULT_TOKEN_FILE,
    )
    try:
        saved = authorize(options, client_for, say, show_url=lambda url: typer.echo(url, err=True))
    except FlowError as error:
        raise _fail(str(error)) from None
    except OSError as error:
        raise _fail(f"cannot listen on 127.0.0.1:{callback_port} or write the token file: {error}") from None
    say(f"Tokens saved to {saved.path} (bank {saved.bank_code}, scope {saved.scope}).")
    say("Call the API:")
    say(
        "  from renkei_runtime.client import TokenFile\n"
        "  from renkei_bank_inquiry.client import Client\n"
        f'  tokens = TokenFile.load("{saved.path}")\n'
        "  with Client(tokens.api_base_url, auth=tokens.auth()) as api:\n"
        "      print(api.list_accounts(bank_code=tokens.bank_code))"
    )


@sandbox_app.command()
def migrate() -> None:
    """Bring the schema of DATABASE_URL to the newest migration (once per deployment, before `serve
    --no-migrate` on every host); seeds nothing."""
    from renkei_sandbox.ops.schema import head_revisions

    _open_database()
    typer.echo(f"schema at {', '.join(sorted(head_revisions()))}")


@sandbox_app.command("run-due")
def run_due(
    today: Annotated[
        str | None,
        typer.Option(help="Business date (JST) to run for, YYYY-MM-DD; default today or RENKEI_TODAY."),
    ] = None,
) -> None:
    """Execute the scheduled transfers whose date has come (exactly once, even beside running workers)."""
    from datetime import date

    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.clock import today_jst
    from renkei_sandbox.config import fixed_today_from_env
    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.services.due_transfers import run_due_transfers

    try:
        day = date.fromisoformat(today) if today else (fixed_today_from_env() or today_jst())
    except ValueError as error:
        raise _fail(str(error)) from None
    db = _open_database()
    try:
        ran = run_due_transfers(db, day)
    except SQLAlchemyError as error:
        raise _fail(f"running scheduled transfers failed: {describe_database_error(error)}") from None
    typer.echo(f"executed {ran} scheduled transfers due on or before {day.isoformat()}")
