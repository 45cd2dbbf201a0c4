"""Requests per second of a generated endpoint beside bare Starlette (and a plain FastAPI route), one run.

Each app runs alone in a uvicorn process (one worker, no access log) on 127.0.0.1; wrk (one thread,
32 connections) loads it for a fixed time after a warm-up; the servers run one after another so that they
never compete for the two cores; three interleaved rounds, the median round per app is reported. The figure
that matters is generated / starlette.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass

from bench._util import ROOT, free_port, wait_ready
from bench.http_apps import PATH, TOKEN

APPS = ("starlette_app", "generated_app", "fastapi_app")


@dataclass(frozen=True)
class Result:
    app: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def _wrk(url: str, seconds: int) -> tuple[float, float, float]:
    out = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", "-H", f"Authorization: Bearer {TOKEN}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def latency(pct: str) -> float:
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rps, latency("50"), latency("99")


def measure(app: str, seconds: int = 8) -> Result:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            f"bench.http_apps:{app}",
            "--factory",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    try:
        url = f"http://127.0.0.1:{port}{PATH}"
        wait_ready(url, TOKEN, server)
        _wrk(url, 2)  # warm-up
        rps, p50, p99 = _wrk(url, seconds)
        return Result(app, rps, p50, p99)
    finally:
        server.terminate()
        server.wait(10)


def run(seconds: int = 8, rounds: int = 3) -> list[Result]:
    """Each app `rounds` times, interleaved (so drifting machine load hits all alike); the median per app."""
    runs = [measure(app, seconds) for _ in range(rounds) for app in APPS]
    medians = []
    for app in APPS:
        ordered = sorted((r for r in runs if r.app == app), key=lambda r: r.requests_per_second)
        medians.append(ordered[len(ordered) // 2])
    return medians


def to_markdown(results: list[Result]) -> str:
    base = next(r for r in results if r.app == "starlette_app").requests_per_second
    lines = ["| app | requests/s | ÷ bare Starlette | p50 | p99 |", "| --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(
            f"| {r.app} | {r.requests_per_second:,.0f} | {r.requests_per_second / base:.2f}x | "
            f"{r.p50_ms:.2f} ms | {r.p99_ms:.2f} ms |"
        )
    return "\n".join(lines)
