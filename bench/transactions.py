"""List-transactions latency and throughput on an account with 1,000,000 transactions (SQLite), the generated
path (the real sandbox app) beside a hand-written FastAPI endpoint running the same query, in the same run.

The database (a small seed plus one grown account) is built once and cached under .bench/, keyed by its
parameters and the migration head. Each app then runs alone in a uvicorn process (one worker, no access log)
on 127.0.0.1 and wrk (one thread) replays a fixed list of pages of one year's window (limit 100, several
cursor positions): latency (p50, p99) with one connection, so that it measures a request and not a queue,
and throughput with 8 connections. The two servers run back to back and the pair is repeated. A deep page
(the cursor 150 rows before the end of the whole 1,000,000-row history) is timed against the first page of the
same window, to show that the keyset cursor does not degrade with depth.

`python -m bench.transactions`.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from bench._util import ROOT, WORK, free_port, uvicorn_argv, wait_ready, wrk_latency_ms
from bench.transactions_apps import DATABASE_URL_ENV, TODAY_ENV

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

APPS = ("generated_app", "handwritten_app")
LABELS = {"generated_app": "generated (sandbox app)", "handwritten_app": "hand-written FastAPI"}
TRANSACTIONS = 1_000_000
CUSTOMERS = 2
YEARS = 1
SEED = 1
TODAY = date(2026, 11, 20)
"""The seeding date, pinned so that the cached database and the served business date agree."""
LOGIN = "demo01"
LIMIT = 100
WINDOW_DAYS = 365
CURSOR_POSITIONS = (0, 7_300, 14_600, 21_900, 29_200, 36_400)
"""Row offsets inside the one-year window where the replayed pages start (about 100 rows a day)."""
DEEP_FROM_END = 150
TIMED_REQUESTS = 30
THROUGHPUT_CONNECTIONS = 8


@dataclass(frozen=True)
class Load:
    app: str
    round: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    first_page_ms: float
    deep_page_ms: float


@dataclass(frozen=True)
class Workload:
    database_url: str
    token: str
    paths: list[str]
    first_page: str
    deep_page: str


@dataclass(frozen=True)
class Report:
    loads: list[Load]
    load_average_before: tuple[float, float, float]
    load_average_after: tuple[float, float, float]
    build_seconds: float | None
    """Seconds spent building the database, or None when the cached one was used."""


def _migration_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from renkei_sandbox.db.migrate import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return "-".join(sorted(ScriptDirectory.from_config(config).get_heads()))


def database_path() -> Path:
    key = f"{CUSTOMERS}c-{YEARS}y-s{SEED}-{TODAY.isoformat()}-{TRANSACTIONS}tx-{_migration_head()}"
    return WORK / f"transactions-{key}.sqlite3"


def seed_grown(session: Session) -> None:
    """Seed `CUSTOMERS` customers and prepend `TRANSACTIONS` rows to LOGIN's ordinary account."""
    from sqlalchemy import select

    from renkei_sandbox.db.models import Account, Customer
    from renkei_sandbox.seed.bulk import add_bulk_history
    from renkei_sandbox.seed.seeder import seed

    seed(session, CUSTOMERS, YEARS, SEED, today=TODAY)
    account_pk = session.scalar(
        select(Account.id)
        .join(Customer, Account.customer_id == Customer.id)
        .where(Customer.login_id == LOGIN, Account.deposit_type == "1")
    )
    assert account_pk is not None, f"{LOGIN} has no ordinary account"
    add_bulk_history(session, account_pk, TRANSACTIONS)


def build_database(path: Path) -> None:
    """Migrate, seed `CUSTOMERS` customers and prepend `TRANSACTIONS` rows to LOGIN's ordinary account."""

    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.migrate import upgrade_head

    partial = path.with_suffix(".building")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    db = Database.from_url(f"sqlite:///{partial}")
    try:
        upgrade_head(db.engine)
        with db.write_session() as session, session.begin():
            seed_grown(session)
    finally:
        db.dispose()  # the last connection checkpoints and removes the WAL file
    partial.rename(path)


BENCH_TOKEN_TTL_SECONDS = 4 * 3600
"""The benchmarks' access tokens outlive a whole run (the sandbox's 600 s did not: bench/scale.py takes about
14 minutes, and its last set-up was answered 401 once the token had expired)."""


def prepare_workload(
    path: Path | str, scopes: tuple[str, ...] = ("transactions:read",), grown: int = TRANSACTIONS
) -> Workload:
    """A fresh token for LOGIN (`scopes` on the grown account, which holds at least `grown` rows at about
    100 a day) and the request paths to replay; `path` is the SQLite file, or a database URL."""
    from sqlalchemy import func, select

    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.models import Account, Customer, OAuthClient, Transaction
    from renkei_sandbox.oauth.clients import register_client
    from renkei_sandbox.oauth.direct import grant_directly
    from renkei_sandbox.services.pagination import encode_cursor

    database_url = path if isinstance(path, str) else f"sqlite:///{path}"
    db = Database.from_url(database_url)
    try:
        with db.write_session() as session, session.begin():
            account = session.scalar(
                select(Account)
                .join(Customer, Account.customer_id == Customer.id)
                .where(Customer.login_id == LOGIN, Account.deposit_type == "1")
            )
            assert account is not None
            registered = register_client(
                session, "list-transactions benchmark", ["http://127.0.0.1/callback"]
            )
            client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == registered.client_id))
            assert client is not None
            token, _refresh = grant_directly(
                session,
                client,
                account.customer_id,
                account.bank_code,
                list(scopes),
                [account.id],
                access_ttl_seconds=BENCH_TOKEN_TTL_SECONDS,
            )
        with db.session() as session:
            first_day = session.scalar(
                select(func.min(Transaction.transaction_date)).where(Transaction.account_pk == account.id)
            )
            total = session.scalar(select(func.count()).where(Transaction.account_pk == account.id))
            assert first_day is not None and total is not None and total >= grown

            def key_at(offset: int, date_from: date, date_to: date) -> str:
                row = session.execute(
                    select(Transaction.transaction_date, Transaction.transaction_id)
                    .where(
                        Transaction.account_pk == account.id,
                        Transaction.transaction_date >= date_from,
                        Transaction.transaction_date <= date_to,
                    )
                    .order_by(Transaction.transaction_date, Transaction.transaction_id)
                    .offset(offset - 1)
                    .limit(1)
                ).one()
                return encode_cursor(row[0].isoformat(), row[1])

            base = f"/v2/banks/{account.bank_code}/accounts/{account.account_id}/transactions"
            window_from = first_day + timedelta(days=(grown // 100) // 2)
            window_to = window_from + timedelta(days=WINDOW_DAYS - 1)
            window = f"{base}?dateFrom={window_from}&dateTo={window_to}&limit={LIMIT}"
            paths = [
                window if offset == 0 else f"{window}&cursor={key_at(offset, window_from, window_to)}"
                for offset in CURSOR_POSITIONS
            ]
            everything = f"{base}?dateFrom={first_day}&dateTo={TODAY}&limit={LIMIT}"
            deep = f"{everything}&cursor={key_at(total - DEEP_FROM_END, first_day, TODAY)}"
    finally:
        db.dispose()
    return Workload(database_url, token, paths, everything, deep)


def _lua_script(paths: list[str], directory: Path) -> Path:
    """A wrk script that replays `paths` round-robin (each connection keeps its own position)."""
    script = directory / "pages.lua"
    quoted = ",\n".join(f'  "{p}"' for p in paths)
    script.write_text(
        f"local paths = {{\n{quoted}\n}}\nlocal i = 0\n"
        'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
    )
    return script


def _wrk(base: str, token: str, script: Path, seconds: int, connections: int) -> tuple[float, float, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            "-H",
            f"Authorization: Bearer {token}",
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw failed requests:\n{out}")
    rps_match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rps_match is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")

    return float(rps_match.group(1)), wrk_latency_ms(out, "50"), wrk_latency_ms(out, "99")


def _median_ms(client: httpx.Client, path: str) -> float:
    """Median wall time of TIMED_REQUESTS sequential requests for `path`, each checked for a full page."""
    times: list[float] = []
    for _ in range(TIMED_REQUESTS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
        if len(response.json()["transactions"]) != LIMIT:
            raise RuntimeError(f"{path} did not return a full page")
    return statistics.median(times)


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "asOf"}


def measure(
    app: str, round_: int, workload: Workload, script: Path, seconds: int, reference: dict[str, Any]
) -> Load:
    """Serve `app`, check its bodies against `reference` (path -> body, filled by the first app), load it."""
    port = free_port()
    env = {**os.environ, DATABASE_URL_ENV: workload.database_url, TODAY_ENV: TODAY.isoformat()}
    server = subprocess.Popen(
        uvicorn_argv(f"bench.transactions_apps:{app}", port),
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base + workload.paths[0], workload.token, server)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {workload.token}"}) as client:
            for path in [*workload.paths, workload.first_page, workload.deep_page]:
                response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{app}: {path} answered {response.status_code}: {response.text}")
                body = _comparable(response.json())
                if reference.setdefault(path, body) != body:
                    raise RuntimeError(f"{app}: {path} answered a different body than {APPS[0]}")
            _wrk(base, workload.token, script, 2, THROUGHPUT_CONNECTIONS)  # warm-up
            _, p50, p99 = _wrk(base, workload.token, script, seconds, 1)
            rps, _, _ = _wrk(base, workload.token, script, seconds, THROUGHPUT_CONNECTIONS)
            first = _median_ms(client, workload.first_page)
            deep = _median_ms(client, workload.deep_page)
        return Load(app, round_, rps, p50, p99, first, deep)
    finally:
        server.terminate()
        server.wait(10)


def run(seconds: int = 10, rounds: int = 2, apps: tuple[str, ...] = APPS) -> Report:
    """Build (or reuse) the database, then load `apps` back to back, `rounds` times."""
    path = database_path()
    build_seconds = None
    if not path.exists():
        print(f"building {path.name} (once; about a minute) ...", file=sys.stderr)
        start = time.perf_counter()
        build_database(path)
        build_seconds = time.perf_counter() - start
    workload = prepare_workload(path)
    before = os.getloadavg()
    loads: list[Load] = []
    reference: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-transactions-") as tmp:
        script = _lua_script(workload.paths, Path(tmp))
        for round_ in range(1, rounds + 1):
            for app in apps:
                loads.append(measure(app, round_, workload, script, seconds, reference))
    return Report(loads, before, os.getloadavg(), build_seconds)


def to_markdown(report: Report) -> str:
    lines = [
        "| round | app | requests/s (8 conn.) | p50 (1 conn.) | p99 (1 conn.) | first page | deep page |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for load in report.loads:
        lines.append(
            f"| {load.round} | {LABELS[load.app]} | {load.requests_per_second:,.0f} | {load.p50_ms:.2f} ms | "
            f"{load.p99_ms:.2f} ms | {load.first_page_ms:.2f} ms | {load.deep_page_ms:.2f} ms |"
        )
    lines += ["", "| round | generated ÷ hand-written: requests/s | p50 | p99 |", "| --- | --- | --- | --- |"]
    for round_ in sorted({load.round for load in report.loads}):
        by_app = {load.app: load for load in report.loads if load.round == round_}
        gen, hand = by_app["generated_app"], by_app["handwritten_app"]
        lines.append(
            f"| {round_} | {gen.requests_per_second / hand.requests_per_second:.2f} | "
            f"{gen.p50_ms / hand.p50_ms:.2f} | {gen.p99_ms / hand.p99_ms:.2f} |"
        )
    load_before = ", ".join(f"{x:.2f}" for x in report.load_average_before)
    load_after = ", ".join(f"{x:.2f}" for x in report.load_average_after)
    lines += ["", f"Load average (1, 5, 15 min): {load_before} before, {load_after} after."]
    if report.build_seconds is not None:
        lines.append(f"Database built in {report.build_seconds:.0f} s (cached for later runs).")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv:
        print(f"usage: python -m bench.transactions (unknown: {' '.join(argv)})", file=sys.stderr)
        return 2
    print(to_markdown(run()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
