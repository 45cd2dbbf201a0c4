"""/healthz, /readyz (database reachable, schema at the newest migration) and /metrics over HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from sandbox_harness import running_sandbox
from sqlalchemy import text

from renkei_sandbox.ops.schema import head_revisions


def sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    for line in metrics.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match is None:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(match.group(2))
    return 0.0


def test_health_readiness_and_metrics(tmp_path: Path) -> None:
    with running_sandbox(tmp_path) as sandbox, httpx.Client(base_url=sandbox.base_url) as http:
        assert http.get("/healthz").json() == {"status": "ok"}
        ready = http.get("/readyz")
        assert ready.status_code == 200 and ready.json()["migration"] == sorted(head_revisions())

        before = http.get("/metrics").text
        assert http.get("/v2/banks/2963/accounts").status_code == 401  # no token
        assert http.get("/v2/banks/2963/accounts").status_code == 401
        assert http.get("/no/such/page").status_code == 404
        after = http.get("/metrics")
        assert after.headers["content-type"].startswith("text/plain")
        labels = {"operation": "list_accounts", "method": "GET", "status": "401"}
        assert sample(after.text, "renkei_http_requests_total", **labels) == (
            sample(before, "renkei_http_requests_total", **labels) + 2
        )
        assert sample(after.text, "renkei_http_requests_total", operation="unmatched", status="404") >= 1
        assert (
            sample(after.text, "renkei_http_request_duration_seconds_count", operation="list_accounts") >= 2
        )
        assert sample(after.text, "renkei_db_pool_connections_in_use") >= 0
        assert "/no/such/page" not in after.text  # raw paths never become labels

        with sandbox.db.engine.begin() as connection:  # a schema one migration behind the code
            connection.execute(text("UPDATE alembic_version SET version_num = '0002'"))
        behind = http.get("/readyz")
        assert behind.status_code == 503
        assert behind.json()["reason"] == "migrations_pending"
        assert http.get("/healthz").status_code == 200  # alive, only not ready
