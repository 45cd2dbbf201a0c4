"""Requests per second of a generated endpoint beside bare Starlette (and a plain FastAPI route), one run.

Each app runs alone in a uvicorn process (one worker, no access log) on 127.0.0.1; wrk (one thread,
32 connections) loads it for a fixed time after a warm-up; the servers run one after another so that they
never compete for the two cores. Rounds interleave the apps (the order rotates from round to round), and
the ratio to bare Starlette is taken within each round, so that drifting machine load hits both sides of a
ratio alike; the median of those ratios is the figure reported.

Two uvicorn set-ups are measured:
- `h11`: what `pip install uvicorn` gives (and what renkei's dependencies install): the pure-Python h11
  parser on the asyncio loop;
- `httptools`: what `pip install 'uvicorn[standard]'` adds, the C parser on uvloop. The two packages go into
  `.bench/uvicorn-standard/` (first run only), put in front of the app's path for that server only.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass

from bench._util import ROOT, WORK, free_port, wait_ready
from bench.http_apps import PATH, TOKEN

APPS = ("starlette_app", "generated_app", "fastapi_app")
BASELINE = "starlette_app"
SERVERS = {
    "h11": ("--http", "h11", "--loop", "asyncio"),
    "httptools": ("--http", "httptools", "--loop", "uvloop"),
}
STANDARD_EXTRAS = WORK / "uvicorn-standard"


@dataclass(frozen=True)
class Result:
    server: str
    app: str
    requests_per_second: float
    """Median over the rounds."""
    ratios: tuple[float, ...]
    """This app's requests/s over bare Starlette's, one per round."""
    p50_ms: float
    p99_ms: float

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


@dataclass(frozen=True)
class _Run:
    rps: float
    p50_ms: float
    p99_ms: float


def _wrk(url: str, seconds: int) -> _Run:
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

    return _Run(rps, latency("50"), latency("99"))


def _server_env(server: str) -> dict[str, str]:
    env = dict(os.environ)
    if server == "httptools":
        if not (STANDARD_EXTRAS / "httptools").exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--target",
                    str(STANDARD_EXTRAS),
                    "httptools",
                    "uvloop",
                ],
                check=True,
            )
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(STANDARD_EXTRAS), str(ROOT), env.get("PYTHONPATH")])
        )
    return env


def measure(app: str, server: str = "h11", seconds: int = 8) -> _Run:
    port = free_port()
    process = subprocess.Popen(
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
            *SERVERS[server],
        ],
        cwd=ROOT,
        env=_server_env(server),
    )
    try:
        url = f"http://127.0.0.1:{port}{PATH}"
        wait_ready(url, TOKEN, process)
        _wrk(url, 2)  # warm-up
        return _wrk(url, seconds)
    finally:
        process.terminate()
        process.wait(10)


def run(server: str = "h11", seconds: int = 8, rounds: int = 5) -> list[Result]:
    """Every app `rounds` times under `server`, interleaved, in an order that rotates each round."""
    runs: list[dict[str, _Run]] = []
    for index in range(rounds):
        order = APPS[index % len(APPS) :] + APPS[: index % len(APPS)]
        runs.append({app: measure(app, server, seconds) for app in order})
    results = []
    for app in APPS:
        mine = [r[app] for r in runs]
        ordered = sorted(mine, key=lambda r: r.rps)
        middle = ordered[len(ordered) // 2]
        ratios = tuple(r[app].rps / r[BASELINE].rps for r in runs)
        results.append(Result(server, app, middle.rps, ratios, middle.p50_ms, middle.p99_ms))
    return results


def to_markdown(results: list[Result]) -> str:
    lines = [
        "| server | app | requests/s | ÷ bare Starlette (median of rounds) | each round | p50 | p99 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        rounds = " ".join(f"{x:.2f}" for x in r.ratios)
        lines.append(
            f"| {r.server} | {r.app} | {r.requests_per_second:,.0f} | {r.ratio:.2f}x | {rounds} | "
            f"{r.p50_ms:.2f} ms | {r.p99_ms:.2f} ms |"
        )
    return "\n".join(lines)


def main(servers: list[str]) -> str:
    results = [result for server in servers or list(SERVERS) for result in run(server)]
    return to_markdown(results)


if __name__ == "__main__":
    print(main(sys.argv[1:]))
