"""List-transactions and getBalance over a PostgreSQL database seeded to millions of transactions by
`renkei sandbox seed --transactions N` (10,000,000 in docs/benchmarks.md): `renkei serve`, 1 worker, 64
connections, as bench/scale.py measures.

`BENCH_SCALE_URL=postgresql+psycopg://... python -m bench.data_scale [SECONDS]` (the database must be seeded).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench._util import free_port, wait_ready
from bench.scale import SCOPES, Setup, _server, _tree_rss_mb, _wrk
from bench.transactions import LOGIN, _lua_script, prepare_workload

URL_ENV = "BENCH_SCALE_URL"


def account_rows(url: str) -> tuple[int, int]:
    """(rows in the whole table, rows of LOGIN's ordinary account)."""
    from sqlalchemy import func, select

    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.models import Account, Customer, Transaction

    db = Database.from_url(url)
    try:
        with db.session() as session:
            total = session.scalar(select(func.count()).select_from(Transaction)) or 0
            mine = session.scalar(
                select(func.count())
                .select_from(Transaction)
                .join(Account, Transaction.account_pk == Account.id)
                .join(Customer, Account.customer_id == Customer.id)
                .where(Customer.login_id == LOGIN, Account.deposit_type == "1")
            )
    finally:
        db.dispose()
    return total, mine or 0


def main(argv: list[str]) -> int:
    url = os.environ.get(URL_ENV)
    if not url:
        print(f"set {URL_ENV} to a seeded PostgreSQL database", file=sys.stderr)
        return 2
    seconds = int(argv[0]) if argv else 60
    total, mine = account_rows(url)
    workload = prepare_workload(url, SCOPES, grown=mine - 1_000)
    setup = Setup("renkei serve, PostgreSQL, 1 worker", "postgresql", 1)
    lines = [
        f"{total:,} transactions in the table, {mine:,} on {LOGIN}'s ordinary account.",
        "",
        "| endpoint | requests/s | p50 | p99 | errors / requests | RSS |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-data-scale-") as tmp:
        script = _lua_script(workload.paths, Path(tmp))
        balance = workload.paths[0].split("/transactions")[0] + "/balance"
        port = free_port()
        server = _server(setup, url, port)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base + balance, workload.token, server, timeout=90)
            for endpoint, target in (("listTransactions", script), ("getBalance", balance)):
                _wrk(base, workload.token, target, 3)
                rps, p50, p99, errors, requests = _wrk(base, workload.token, target, seconds)
                lines.append(
                    f"| {endpoint} | {rps:,.0f} | {p50:.0f} ms | {p99:.0f} ms | {errors} / {requests:,} | "
                    f"{_tree_rss_mb(server.pid):.0f} MB |"
                )
        finally:
            server.terminate()
            server.wait(60)
    lines.append("")
    lines.append("Load average (1, 5, 15 min) after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + ".")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
