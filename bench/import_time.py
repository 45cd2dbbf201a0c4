"""Import time of each generated package (server and client modules), beside bare interpreter start."""

from __future__ import annotations

import sys

from bench._util import ROOT, time_command

PACKAGES = ("bank_inquiry", "bank_transfer", "card")


def run() -> list[tuple[str, float]]:
    """(what, median seconds of a whole `python -c ...` process); the first row is the empty baseline."""
    rows = [
        ("python -c pass (baseline)", time_command([sys.executable, "-c", "pass"], repeat=7, cwd=ROOT)[0])
    ]
    for pkg in PACKAGES:
        code = f"import renkei_{pkg}.server, renkei_{pkg}.client"
        seconds, ok = time_command([sys.executable, "-c", code], repeat=7, cwd=ROOT)
        rows.append((f"renkei_{pkg} (server + client)", seconds if ok else float("nan")))
    return rows


def to_markdown(rows: list[tuple[str, float]]) -> str:
    baseline = rows[0][1]
    lines = ["| import | process wall time | beyond the baseline |", "| --- | --- | --- |"]
    lines += [f"| {what} | {s * 1000:.0f} ms | {(s - baseline) * 1000:.0f} ms |" for what, s in rows]
    return "\n".join(lines)
