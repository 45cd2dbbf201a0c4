"""Import time of each generated package (server and client), minus bare interpreter start."""

from __future__ import annotations

import sys

from bench._util import ROOT, time_command

PACKAGES = ("bank_inquiry", "bank_transfer", "card")


def run() -> list[tuple[str, float]]:
    baseline, _ = time_command([sys.executable, "-c", "import fastapi, httpx, pydantic"], repeat=5, cwd=ROOT)
    rows = []
    for pkg in PACKAGES:
        code = f"import generated.{pkg}.server, generated.{pkg}.client"
        seconds, ok = time_command([sys.executable, "-c", code], repeat=5, cwd=ROOT)
        rows.append((pkg, seconds - baseline if ok else float("nan")))
    return rows


def to_markdown(rows: list[tuple[str, float]]) -> str:
    lines = ["| package | import time (beyond fastapi+httpx+pydantic) |", "| --- | --- |"]
    lines += [f"| generated.{pkg} | {seconds * 1000:.0f} ms |" for pkg, seconds in rows]
    return "\n".join(lines)
