"""`renkei serve` and `renkei sandbox ...` (also `renkei-sandbox serve|sandbox ...`): the sandbox's commands.

The toolkit finds `plugin_app` through the `renkei.plugins` entry point and adds its commands to `renkei`;
it never imports this package itself. Imports stay lazy for fast start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from renkei_sandbox.db.engine import Database

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
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
) -> None:
    """Start the sandbox provider (database created and seeded on first start)."""
    from renkei_sandbox.serve import run_server

    raise typer.Exit(run_server(host=host, port=port))


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
) -> None:
    """Create the schema and fill the database (DATABASE_URL, default var/sandbox.sqlite3) with demo data."""
    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.seed.seeder import DEMO_PASSWORD, clear_all, has_seed_data
    from renkei_sandbox.seed.seeder import seed as run_seed

    db = _open_database()
    try:
        with db.write_session() as session, session.begin():
            if has_seed_data(session):
                if not replace:
                    raise _fail("the database already holds data; use --replace to start over")
                clear_all(session)
            summary = run_seed(session, customers, years, seed_number)
    except SQLAlchemyError as error:
        raise _fail(f"seeding failed: {describe_database_error(error)}") from None
    typer.echo(
        f"seeded {summary.customers} customers, {summary.accounts} accounts, "
        f"{summary.transactions} transactions, {summary.cards} cards"
    )
    typer.echo(f"demo logins: demo01 … demo{customers:02d}, password {DEMO_PASSWORD}")


@clients_app.command("add")
def clients_add(
    name: Annotated[str, typer.Option(help="The application's name, shown on the consent page.")],
    redirect_uri: Annotated[
        list[str], typer.Option("--redirect-uri", help="Exact redirect URI (repeatable).")
    ],
) -> None:
    """Register a confidential client; prints its client_id and client_secret (shown only once)."""
    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.oauth.clients import ClientRegistrationError, register_client

    db = _open_database()
    try:
        with db.write_session() as session, session.begin():
            client = register_client(session, name, redirect_uri)
    except ClientRegistrationError as error:
        raise _fail(str(error)) from None
    except SQLAlchemyError as error:
        raise _fail(f"registration failed: {describe_database_error(error)}") from None
    typer.echo(f"client_id={client.client_id}")
    typer.echo(f"client_secret={client.client_secret}")


@clients_app.command("list")
def clients_list() -> None:
    """List registered clients (never their secrets)."""
    from sqlalchemy import select

    from renkei_sandbox.db.models import OAuthClient

    db = _open_database()
    with db.session() as session:
        for client in session.scalars(select(OAuthClient).order_by(OAuthClient.id)):
            typer.echo(f"{client.client_id}\t{client.name}\t{' '.join(client.redirect_uris)}")


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
            added = add_bulk_history(session, account.id, transactions)
            account_id, bank_code = account.account_id, account.bank_code
    except SQLAlchemyError as error:
        raise _fail(f"growing the history failed: {describe_database_error(error)}") from None
    typer.echo(f"added {added} transactions to account {account_id} at bank {bank_code}")
