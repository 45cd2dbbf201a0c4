"""Small shared helpers for the benchmarks: timing commands, peer virtualenvs, free ports."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
PYTHON = Path(sys.executable)
BIN = PYTHON.parent

GENERIC_CONFIG = '# a generic OpenAPI document, not the standard\'s\n[rules]\nguideline = "off"\n'


def allow_generic_spec(directory: Path) -> None:
    """A renkei.toml in `directory` turning the standard's guideline rules off: `renkei generate` refuses
    what `renkei check` refuses, and a synthetic or upstream spec is not written to the standard."""
    (directory / "renkei.toml").write_text(GENERIC_CONFIG, encoding="utf-8")


PEERS = {
    # name -> (pip requirement, console script)
    "fastapi-code-generator": ("fastapi-code-generator==0.8.1", "fastapi-codegen"),
    "openapi-python-client": ("openapi-python-client==0.29.1", "openapi-python-client"),
}


def peer_executable(name: str) -> Path:
    """The peer's command, installed on first use into its own virtualenv under .bench/ (not our deps)."""
    requirement, script = PEERS[name]
    venv = WORK / "venvs" / name
    exe = venv / "bin" / script
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", requirement], check=True)
    return exe


def time_command(
    argv: Sequence[str | Path], *, repeat: int = 3, cwd: Path | None = None
) -> tuple[float, bool]:
    """Median wall time in seconds of `repeat` runs, and whether every run exited 0.

    The command's own directory comes first on PATH, as in its activated virtualenv: a peer finds the
    tools it installed beside itself (openapi-python-client runs its ruff post-hooks, as by default)."""
    times: list[float] = []
    ok = True
    directory = str(Path(argv[0]).parent)
    env = {**os.environ, "NO_COLOR": "1", "PATH": directory + os.pathsep + os.environ.get("PATH", "")}
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        ok = ok and proc.returncode == 0
    return statistics.median(times), ok


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, token: str, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Until `url` answers 200 to the bearer `token`; fails early when `server` exits."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            if httpx.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not become ready")


def uvicorn_argv(app: str, port: int) -> list[str]:
    """`python -m uvicorn <app> --factory` on 127.0.0.1:`port`, without access log."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def wrk_latency_ms(out: str, percentile: str) -> float:
    """A latency percentile (`"50"`, `"99"`) from wrk's `--latency` output, in milliseconds."""
    import re

    found = re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s)", out)
    if found is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
