"""Generation at Stripe size: `renkei generate` on the 4 MB, 470-operation synthetic spec beside a peer.

`python -m bench generate-large [ROUNDS] [--with-fastapi-codegen]`: the spec of
`tests/generation/corpus/make_large.py --stripe-size` (94 resources, 125 properties a model), each tool as a
whole command (interpreter start included) from an empty output directory. The rounds interleave the tools,
so that a drifting machine load hits all of them alike; per tool: the median over the rounds, the spread
(min-max), and the CPU time (user + system of the command and its children, median). Peers get the same
file (it is one self-contained document). `BENCH_RENKEI_BEFORE=DIR` adds a row for another checkout's
generator (`DIR/generator` and `DIR/runtime` put first on PYTHONPATH): before and after in the same run.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench._util import BIN, ROOT, WORK, allow_generic_spec, peer_executable

SPEC_SCRIPT = ROOT / "tests" / "generation" / "corpus" / "make_large.py"


@dataclass(frozen=True)
class Row:
    tool: str
    walls: list[float]
    cpus: list[float]
    ok: bool


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _run(argv: list[str | Path], env: dict[str, str]) -> tuple[float, float, bool]:
    """(wall seconds, CPU seconds of the children, exit 0)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([str(a) for a in argv], capture_output=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode == 0


Command = tuple[list[str | Path], dict[str, str]]
"""argv and environment."""


def _tools(spec: Path, out: Path, with_fastapi_codegen: bool) -> dict[str, Command]:
    base = {**os.environ, "NO_COLOR": "1"}
    tools: dict[str, Command] = {
        "renkei generate": ([BIN / "renkei", "generate", spec, "-o", out / "renkei"], base)
    }
    if before := os.environ.get("BENCH_RENKEI_BEFORE"):
        path = os.pathsep.join([f"{before}/generator", f"{before}/runtime", base.get("PYTHONPATH", "")])
        tools["renkei generate (before)"] = (
            [BIN / "renkei", "generate", spec, "-o", out / "before"],
            {**base, "PYTHONPATH": path.rstrip(os.pathsep)},
        )
    opc = peer_executable("openapi-python-client")
    peer_env = {**base, "PATH": f"{opc.parent}{os.pathsep}{base.get('PATH', '')}"}
    tools["openapi-python-client"] = (
        [opc, "generate", "--path", spec, "--output-path", out / "opc", "--overwrite"],
        peer_env,
    )
    if with_fastapi_codegen:
        fcg = peer_executable("fastapi-code-generator")
        fcg_env = {**base, "PATH": f"{fcg.parent}{os.pathsep}{base.get('PATH', '')}"}
        tools["fastapi-code-generator"] = ([fcg, "--input", spec, "--output", out / "fcg"], fcg_env)
    return tools


def run(rounds: int = 3, with_fastapi_codegen: bool = False) -> tuple[list[Row], str, str, str]:
    """Rows, spec description, load average before and after."""
    import runpy

    with tempfile.TemporaryDirectory(dir=WORK if WORK.exists() else None) as tmp:
        tmpdir = Path(tmp)
        spec = tmpdir / "stripe-size.yaml"
        module = runpy.run_path(str(SPEC_SCRIPT))
        module["write_large_spec"](spec, 94, 125)
        allow_generic_spec(tmpdir)
        described = f"{spec.stat().st_size / 1e6:.1f} MB, 470 operations"
        tools = _tools(spec, tmpdir / "out", with_fastapi_codegen)
        results: dict[str, tuple[list[float], list[float], bool]] = {name: ([], [], True) for name in tools}
        load_before = _load()
        names = list(tools)
        for number in range(rounds):
            order = names[number % len(names) :] + names[: number % len(names)]
            for name in order:
                argv, env = tools[name]
                shutil.rmtree(tmpdir / "out", ignore_errors=True)
                wall, cpu, ok = _run(argv, env)
                walls, cpus, all_ok = results[name]
                walls.append(wall)
                cpus.append(cpu)
                results[name] = (walls, cpus, all_ok and ok)
        load_after = _load()
    rows = [Row(name, walls, cpus, ok) for name, (walls, cpus, ok) in results.items()]
    return rows, described, load_before, load_after


def to_markdown(rows: list[Row], described: str, load_before: str, load_after: str) -> str:
    lines = [
        f"Input: the stripe-size synthetic spec ({described}); load average (1, 5, 15 min) {load_before} "
        f"before, {load_after} after.",
        "",
        "| tool | wall, median | spread (min-max) | CPU (user+sys), median | each round | exit 0 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        each = " ".join(f"{w:.1f}" for w in row.walls)
        spread = f"{min(row.walls):.2f}-{max(row.walls):.2f} s"
        lines.append(
            f"| {row.tool} | {statistics.median(row.walls):.2f} s | {spread} "
            f"| {statistics.median(row.cpus):.2f} s | {each} | {'yes' if row.ok else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> str:
    rounds = next((int(a) for a in argv if a.isdigit()), 3)
    return to_markdown(*run(rounds, "--with-fastapi-codegen" in argv))


if __name__ == "__main__":
    import sys

    print(main(sys.argv[1:]))
