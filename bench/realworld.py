"""The real-world corpus (published specs in tests/generation/corpus/, Swagger 2.0 banks among them):
renkei's generate time, peak memory and import time of each generated module, beside fastapi-code-generator
and openapi-python-client generating from the same document in the same run.

Peers get the document as renkei reads it (converted to OpenAPI 3.0.3 and bundled, one JSON file): neither
reads Swagger 2.0. Peak memory is the maximum resident set of the generating process (`/usr/bin/time`).
Import time is the wall time of a fresh `python -c "import <package>.<module>"` minus `python -c pass`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench._util import BIN, ROOT, WORK, peer_executable

CORPUS = ROOT / "tests" / "generation" / "corpus"
REAL_WORLD = ("swagger2-*.yaml",)
PEER_NAMES = ("fastapi-code-generator", "openapi-python-client")
MODULES = ("models", "server", "client")


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mib: float
    ok: bool


@dataclass(frozen=True)
class Row:
    spec: str
    size_kib: float
    operations: int
    renkei: Measure
    imports: dict[str, float]
    peers: dict[str, Measure]


def real_world_specs() -> list[Path]:
    return sorted(path for pattern in REAL_WORLD for path in CORPUS.glob(pattern))


def measure(argv: list[str | Path], cwd: Path | None = None) -> Measure:
    """Wall time and peak RSS of one run of `argv` (its directory first on PATH, as when activated)."""
    env = {**os.environ, "NO_COLOR": "1", "PATH": str(Path(argv[0]).parent) + os.pathsep + os.environ["PATH"]}
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", rss.name, *map(str, argv)],
            cwd=cwd,
            env=env,
            capture_output=True,
        )
        seconds = time.perf_counter() - start
        text = Path(rss.name).read_text().strip().splitlines()
    peak = int(text[-1]) / 1024 if text and text[-1].isdigit() else float("nan")
    return Measure(seconds, peak, proc.returncode == 0)


def import_seconds(package_dir: Path, module: str, baseline: float, repeat: int = 3) -> float:
    code = f"import {package_dir.name}.{module}"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=package_dir.parent, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2] - baseline


def run() -> list[Row]:
    from renkei.loading import load_spec

    baseline = min(measure([sys.executable, "-c", "pass"]).seconds for _ in range(3))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(dir=WORK if WORK.exists() else None) as tmp:
        tmpdir = Path(tmp)
        for spec in real_world_specs():
            document = load_spec(spec).document
            operations = sum(
                1 for item in document.get("paths", {}).values() for key in item if key in _METHODS
            )
            out = tmpdir / f"renkei-{spec.stem}"
            ours = measure([BIN / "renkei", "generate", spec, "-o", out])
            imports: dict[str, float] = {}
            if ours.ok:
                [package] = [p for p in out.iterdir() if (p / "pyproject.toml").exists()]
                inner = next(p for p in package.iterdir() if (p / "server.py").exists())
                imports = {m: import_seconds(inner, m, baseline) for m in MODULES}
            single = tmpdir / f"{spec.stem}.json"
            single.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            peers: dict[str, Measure] = {}
            for name in PEER_NAMES:
                exe = peer_executable(name)
                target = tmpdir / f"{name}-{spec.stem}"
                shutil.rmtree(target, ignore_errors=True)
                if name == "fastapi-code-generator":
                    argv: list[str | Path] = [exe, "--input", single, "--output", target]
                else:
                    argv = [exe, "generate", "--path", single, "--output-path", target, "--overwrite"]
                peers[name] = measure(argv)
            rows.append(Row(spec.stem, spec.stat().st_size / 1024, operations, ours, imports, peers))
    return rows


_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _cell(m: Measure) -> str:
    return f"{m.seconds:.2f} s, {m.peak_mib:.0f} MiB" if m.ok else f"fails ({m.seconds:.2f} s)"


def to_markdown(rows: list[Row]) -> str:
    lines = [
        "| spec | size | operations | renkei generate | import models / server / client "
        "| fastapi-code-generator | openapi-python-client |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        imports = " / ".join(f"{r.imports[m] * 1000:.0f} ms" for m in MODULES) if r.imports else "–"
        lines.append(
            f"| {r.spec} | {r.size_kib:.0f} KiB | {r.operations} | {_cell(r.renkei)} | {imports} "
            f"| {_cell(r.peers['fastapi-code-generator'])} | {_cell(r.peers['openapi-python-client'])} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(to_markdown(run()))
