"""`renkei docs` on the three APIs as a whole command (interpreter start included): wall time and CPU time
(user + system of the child), into an empty directory (cold) and again with nothing changed (no-op),
beside bare interpreter start; the load average is printed with it (the machine is shared)."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._util import BIN, ROOT

SPECS = ("spec/bank-inquiry.yaml", "spec/bank-transfer.yaml", "spec/card.yaml")
REPEAT = 7


def _run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, capture_output=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run() -> list[tuple[str, float, float]]:
    """(what, median wall, median CPU) rows."""
    renkei = str(BIN / "renkei")
    rows = []
    baseline = [_run([sys.executable, "-c", "pass"]) for _ in range(REPEAT)]
    rows.append(("python -c pass (baseline)", *_medians(baseline)))
    with tempfile.TemporaryDirectory(prefix="renkei-docs-bench-") as scratch:
        out = Path(scratch) / "site"
        cold = []
        for _ in range(REPEAT):
            shutil.rmtree(out, ignore_errors=True)
            cold.append(_run([renkei, "docs", *SPECS, "-o", str(out)]))
        rows.append(("renkei docs, 3 APIs, empty directory", *_medians(cold)))
        noop = [_run([renkei, "docs", *SPECS, "-o", str(out)]) for _ in range(REPEAT)]
        rows.append(("renkei docs, 3 APIs, nothing changed", *_medians(noop)))
    return rows


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def to_markdown(rows: list[tuple[str, float, float]]) -> str:
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"load average before the table was printed: {load} (1 / 5 / 15 min)",
        "",
        f"| command (median of {REPEAT}) | wall time | CPU time (user + system) |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {what} | {wall:.2f} s | {cpu:.2f} s |" for what, wall, cpu in rows]
    return "\n".join(lines)
