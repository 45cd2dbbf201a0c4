"""Scale-out load benchmark: list-transactions on an account with 1,000,000 transactions and getBalance, 64
connections for 60 s, against `renkei serve` with 1 and 2 workers on PostgreSQL and 1 on SQLite, beside the
hand-written FastAPI endpoints of bench/transactions_apps.py (same queries) on PostgreSQL, over sync
SQLAlchemy in the thread pool and over async SQLAlchemy (psycopg async, the same ORM code through
`run_sync`), in one run. Before loading, every set-up's bodies must equal the first one's on that database.

Databases: PostgreSQL at BENCH_POSTGRES_URL (wiped and rebuilt when it lacks the grown account: migrate,
seed 2 customers, 1,000,000 rows prepended by COPY) and the SQLite file of bench/transactions.py. Each server
runs alone on 127.0.0.1; `renkei serve` exactly as an operator starts it (`--no-migrate`, JSON access log
to a discarded stderr, scheduler on). wrk: 2 threads, 64 connections, a 3 s warm-up, then `SECONDS`
measured; list-transactions replays 6 pages of one year's window (limit 100). RSS: the server's whole
process tree (uvicorn's supervisor and its workers) at the end of the run.

`make bench-scale` (60 s), or `python -m bench scale [SECONDS]`; `BENCH_POSTGRES_URL=postgresql+psycopg://...`
names another database than `renkei_bench` on 127.0.0.1 (role renkei/renkei), which is created when missing.
About 14 minutes at 60 s (five set-ups, two endpoints each), plus about 30 s to build each database once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._util import BIN, ROOT, free_port, uvicorn_argv, wait_ready, wrk_latency_ms
from bench.transactions import (
    TODAY,
    TRANSACTIONS,
    _lua_script,
    build_database,
    database_path,
    prepare_workload,
    seed_grown,
)
from bench.transactions_apps import DATABASE_URL_ENV, TODAY_ENV

POSTGRES_ENV = "BENCH_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://renkei:renkei@127.0.0.1:5432/renkei_bench"
"""The database it builds (and may wipe) when BENCH_POSTGRES_URL is not set; created when missing."""
ONLY_ENV = "BENCH_SCALE_ONLY"
"""Parts of set-up labels to run, `;` between them (labels hold commas): `async;thread pool`; all if unset."""
CONNECTIONS = 64
THREADS = 2
SCOPES = ("transactions:read", "balances:read")


@dataclass(frozen=True)
class Setup:
    label: str
    database: str
    """`postgresql` or `sqlite`."""
    workers: int
    handwritten: str | None = None
    """An app of bench/transactions_apps.py (under plain uvicorn) instead of `renkei serve`."""


SETUPS = (
    Setup("renkei serve, PostgreSQL, 1 worker", "postgresql", 1),
    Setup("renkei serve, PostgreSQL, 2 workers", "postgresql", 2),
    Setup("renkei serve, SQLite, 1 worker", "sqlite", 1),
    Setup("hand-written FastAPI, thread pool, PostgreSQL", "postgresql", 1, handwritten="handwritten_app"),
    Setup(
        "hand-written FastAPI, async SQLAlchemy (psycopg), PostgreSQL",
        "postgresql",
        1,
        handwritten="handwritten_async_app",
    ),
)


@dataclass(frozen=True)
class Result:
    setup: Setup
    endpoint: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    rss_mb: float


def prepare_postgres(url: str) -> float | None:
    """Build the PostgreSQL database unless it already holds the grown account; seconds spent, or None."""
    from sqlalchemy import func, select, text

    from renkei_sandbox.db.base import Base
    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.migrate import upgrade_head
    from renkei_sandbox.db.models import Transaction

    db = Database.from_url(url)
    try:
        upgrade_head(db.engine)
        with db.session() as session:
            count = session.scalar(select(func.count()).select_from(Transaction))
        if count is not None and count >= TRANSACTIONS:
            return None
        Base.metadata.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade_head(db.engine)
        started = time.perf_counter()
        with db.write_session() as session, session.begin():
            seed_grown(session)
        return time.perf_counter() - started
    finally:
        db.dispose()


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", status, re.MULTILINE)
        resident = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        if ppid:
            children.setdefault(int(ppid.group(1)), []).append(int(entry.name))
        if resident:
            rss[int(entry.name)] = int(resident.group(1))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total / 1024


def _server(setup: Setup, database_url: str, port: int) -> subprocess.Popen[bytes]:
    if setup.handwritten:
        argv = uvicorn_argv(f"bench.transactions_apps:{setup.handwritten}", port)
    else:
        argv = [
            str(BIN / "renkei"),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(setup.workers),
            "--no-migrate",
        ]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        DATABASE_URL_ENV: database_url,
        "RENKEI_TODAY": TODAY.isoformat(),
        TODAY_ENV: TODAY.isoformat(),
        "RENKEI_ISSUER": f"http://127.0.0.1:{port}",
        # bearer tokens from grant_directly: the FAPI profile (renkei serve's default) refuses them
        "RENKEI_PROFILE": "plain",
    }
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wrk(base: str, token: str, target: str | Path, seconds: int) -> tuple[float, float, float, int, int]:
    """(requests/s, p50 ms, p99 ms, errors, requests); `target` a path, or a Lua script of paths."""
    argv = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    argv += ["-H", f"Authorization: Bearer {token}"]
    if isinstance(target, Path):
        argv += ["-s", str(target), base]
    else:
        argv += [base + target]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if rps is None or total is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non_2xx.group(1)) if non_2xx else 0

    return (
        float(rps.group(1)),
        wrk_latency_ms(out, "50"),
        wrk_latency_ms(out, "99"),
        errors,
        int(total.group(1)),
    )


Bodies = dict[tuple[str, str], Any]
"""(database, path) -> the body the first set-up on that database answered."""


def _check_bodies(setup: Setup, base: str, token: str, paths: list[str], bodies: Bodies) -> None:
    """Every set-up on a database answers each path with the body the first one gave (asOf aside)."""
    import httpx

    for path in paths:
        response = httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"{setup.label}: {path} answered {response.status_code}: {response.text}")
        body = {k: v for k, v in response.json().items() if k != "asOf"}
        if bodies.setdefault((setup.database, path), body) != body:
            raise RuntimeError(f"{setup.label}: {path} answered another body than the first set-up")


def ensure_database(url: str) -> None:
    """Create the database of `url` when it does not exist yet (the role needs CREATEDB, as renkei's has)."""
    import psycopg
    from sqlalchemy.engine import make_url

    target = make_url(url)
    maintenance = target.set(drivername="postgresql", database="postgres")
    with psycopg.connect(maintenance.render_as_string(hide_password=False), autocommit=True) as connection:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        exists = connection.execute(query, (target.database,)).fetchone()
        if exists is None:
            connection.execute(f'CREATE DATABASE "{target.database}"')


def run(seconds: int = 60) -> tuple[list[Result], str]:
    postgres = os.environ.get(POSTGRES_ENV, DEFAULT_POSTGRES_URL)
    ensure_database(postgres)
    notes = []
    built = prepare_postgres(postgres)
    if built is not None:
        notes.append(f"PostgreSQL database built in {built:.0f} s (seed + {TRANSACTIONS:,} rows by COPY).")
    sqlite_path = database_path()
    if not sqlite_path.exists():
        started = time.perf_counter()
        build_database(sqlite_path)
        notes.append(f"SQLite database built in {time.perf_counter() - started:.0f} s.")
    workloads = {
        "postgresql": prepare_workload(postgres, SCOPES),
        "sqlite": prepare_workload(sqlite_path, SCOPES),
    }
    results: list[Result] = []
    bodies: Bodies = {}
    load_before = os.getloadavg()
    only = os.environ.get(ONLY_ENV, "")
    chosen = [setup for setup in SETUPS if not only or any(part in setup.label for part in only.split(";"))]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for setup in chosen:
            workload = workloads[setup.database]
            script = _lua_script(workload.paths, Path(tmp))
            balance = workload.paths[0].split("/transactions")[0] + "/balance"
            port = free_port()
            server = _server(setup, workload.database_url, port)
            base = f"http://127.0.0.1:{port}"
            try:
                wait_ready(base + balance, workload.token, server, timeout=90)
                _check_bodies(setup, base, workload.token, [*workload.paths, balance], bodies)
                for endpoint, target in (("listTransactions", script), ("getBalance", balance)):
                    _wrk(base, workload.token, target, 3)  # warm-up (every worker started, pools filled)
                    rps, p50, p99, errors, total = _wrk(base, workload.token, target, seconds)
                    rss = _tree_rss_mb(server.pid)
                    results.append(Result(setup, endpoint, rps, p50, p99, errors, total, rss))
                    print(f"{setup.label} {endpoint}: {rps:.0f} req/s p99 {p99:.0f} ms", file=sys.stderr)
            finally:
                server.terminate()
                server.wait(60)
    load_after = os.getloadavg()
    notes.append(
        "Load average (1, 5, 15 min): "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + " before, "
        + ", ".join(f"{x:.2f}" for x in load_after)
        + " after."
    )
    return results, "\n".join(notes)


def _ratio(top: Result | None, bottom: Result | None, p99: bool = False) -> str:
    """requests/s (or p99) of `top` ÷ `bottom`; `–` when either did not run (BENCH_SCALE_ONLY)."""
    if top is None or bottom is None:
        return "–"
    if p99:
        return f"{top.p99_ms / bottom.p99_ms:.2f}"
    return f"{top.requests_per_second / bottom.requests_per_second:.2f}"


def to_markdown(results: list[Result], notes: str) -> str:
    lines = [
        "| set-up | endpoint | requests/s | p50 | p99 | errors / requests | RSS (all processes) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.setup.label} | {r.endpoint} | {r.requests_per_second:,.0f} | {r.p50_ms:.0f} ms | "
            f"{r.p99_ms:.0f} ms | {r.errors} / {r.requests:,} | {r.rss_mb:.0f} MB |"
        )
    by = {(r.setup.label, r.endpoint): r for r in results}
    lines += [
        "",
        "| endpoint | 2 workers ÷ 1 worker (PostgreSQL) | renkei 1 worker ÷ hand-written "
        "| hand-written async ÷ thread pool: requests/s | p99 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for endpoint in ("listTransactions", "getBalance"):
        one, two, _sqlite, hand, hand_async = (by.get((setup.label, endpoint)) for setup in SETUPS)
        lines.append(
            f"| {endpoint} | {_ratio(two, one)} | {_ratio(one, hand)} | {_ratio(hand_async, hand)} "
            f"| {_ratio(hand_async, hand, p99=True)} |"
        )
    return "\n".join([*lines, "", notes])


def main(argv: list[str]) -> int:
    seconds = int(argv[0]) if argv else 60
    results, notes = run(seconds)
    print(to_markdown(results, notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
